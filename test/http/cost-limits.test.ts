import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { loanRequest } from '../helpers/quotes.js'
import { costUnits, scheduleRows } from '../../src/http/plugins/tenant-rate-limit.js'

t.test('cost units: 1 a request, +1 per 50 schedule rows computed', async (t) => {
  t.equal(costUnits(0), 1)
  t.equal(costUnits(49), 1)
  t.equal(costUnits(50), 2)
  t.equal(costUnits(600), 13)
  t.equal(scheduleRows('{"schedule":[{"number":1,"dueDate":"2026-01-01"},{"number":2,"dueDate":"2026-02-01"}]}'), 2)
})

t.test('a tenant sending 600-row quotes is limited sooner than one reading; the 429 names the limit', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { RATE_LIMIT_PER_MINUTE: '60' } })
  const heavy = await tenant()
  const reader = await tenant()
  const standard = (await app.inject({ url: '/v1/policies/standard', headers: heavy.headers })).json().rules
  const big = { ...standard, installment: { ...standard.installment, termsMonths: [120, 119, 118, 117, 79], maxTermMonths: 120, methods: ['annuity'] } }
  const put = await app.inject({ method: 'PUT', url: '/v1/policies/big', headers: heavy.headers, payload: big })
  t.ok(put.statusCode < 300, put.body.slice(0, 300))
  const first = await app.inject({ method: 'POST', url: '/v1/quotes', headers: heavy.headers, payload: { ...loanRequest('LN-BIG'), policy: 'big' } })
  t.equal(first.statusCode, 201, first.body.slice(0, 200))
  const rows = scheduleRows(first.body)
  t.ok(rows >= 590, `${rows} schedule rows in one quote`)
  let quotes = 1
  let limited: { statusCode: number, headers: Record<string, unknown>, json: () => any } | undefined
  while (limited === undefined && quotes < 60) {
    const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers: heavy.headers, payload: { ...loanRequest('LN-BIG'), policy: 'big' } })
    if (res.statusCode === 429) limited = res
    else quotes++
  }
  t.ok(limited !== undefined && quotes <= Math.ceil(60 / costUnits(rows)), `the heavy tenant was limited after ${quotes} quotes`)
  t.match(limited!.headers['content-type'], /^application\/problem\+json/)
  t.match(limited!.json(), { type: '/problems/rate-limited', limit: 'tenant-cost-units', max: 60 })
  t.ok(Number(limited!.headers['retry-after']) >= 1)
  let reads = 0
  for (let i = 0; i < 60; i++) if ((await app.inject({ url: '/v1/me', headers: reader.headers })).statusCode === 200) reads++
  t.equal(reads, 60, 'the reading tenant gets its whole budget in requests')
  t.equal((await app.inject({ url: '/v1/me', headers: reader.headers })).statusCode, 429, 'and then it is limited too')
})
