import { Writable } from 'node:stream'
import t from 'tap'
import { pino } from 'pino'
import { loggerOptions } from '../../src/http/server-options.js'
import { buildTestApp } from '../helpers/app.js'

const INCOME = '987654.32'
const LOAN = 'ZZSENTINEL123'

t.test('logs never carry borrower income, the loan reference or the bearer token, on any path', async (t) => {
  const lines: string[] = []
  const sink = new Writable({ write (chunk, _encoding, done) { lines.push(chunk.toString()); done() } })
  const logger = pino(loggerOptions('trace') as pino.LoggerOptions, sink)
  const { app, pool, tenant } = await buildTestApp(t, { env: { LOG_LEVEL: 'trace' }, logger })
  const { apiKey } = await tenant('privacy')
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }
  const body = { loan: { loanId: LOAN, balance: '50000.00', overdueDays: 45 }, borrower: { monthlyIncome: INCOME, availableFunds: INCOME } }

  const ok = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: body })
  t.equal(ok.statusCode, 201, 'success path')
  const quoteId = ok.json().id
  t.equal((await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { ...body, loan: { ...body.loan, balance: '-1' } } })).statusCode, 400, '4xx path')
  t.equal((await app.inject({ method: 'GET', url: `/v1/plans?loanId=${LOAN}&api_key=${apiKey}`, headers })).statusCode, 400, 'key in the query')
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${apiKey}x` } })).statusCode, 401, 'bad key')
  // A 5xx path: the table the handler needs is gone.
  await pool.query('ALTER TABLE quotes RENAME TO quotes_gone')
  t.equal((await app.inject({ method: 'GET', url: `/v1/quotes/${quoteId}`, headers })).statusCode, 500, '5xx path')
  await pool.query('ALTER TABLE quotes_gone RENAME TO quotes')

  const log = lines.join('')
  t.ok(log.includes('"statusCode":500'), 'the 5xx was logged')
  t.ok(log.length > 1000, 'there are logs to look at')
  for (const [name, sentinel] of [['income', INCOME], ['loan reference', LOAN], ['API key', apiKey], ['key secret', apiKey.slice(12)]]) {
    t.notOk(log.includes(sentinel!), `no ${name} in the logs`)
  }
})
