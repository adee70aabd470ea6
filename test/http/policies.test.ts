import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { standardPolicy } from '../../src/domain/index.js'

const rules = (over: Record<string, unknown> = {}) => ({ ...structuredClone(standardPolicy), ...over })

t.test('every tenant starts with the built-in standard policy, version 1', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const list = await app.inject({ method: 'GET', url: '/v1/policies', headers })
  t.equal(list.statusCode, 200)
  t.match(list.json(), { items: [{ name: 'standard', version: 1, builtIn: true, createdAt: null }] })
  const one = await app.inject({ method: 'GET', url: '/v1/policies/standard', headers })
  t.same(one.json().rules, standardPolicy)
  t.equal((await app.inject({ method: 'GET', url: '/v1/policies/nope', headers })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: '/v1/policies/Bad%20Name', headers })).statusCode, 400)
})

t.test('each change is a new version and quotes record the version they used', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const a = await tenant()
  const b = await tenant()
  const first = await app.inject({ method: 'PUT', url: '/v1/policies/standard', headers: a.headers, payload: rules({ quoteValidityDays: 3 }) })
  t.equal(first.statusCode, 200)
  t.match(first.json(), { name: 'standard', version: 2, builtIn: false })
  const second = await app.inject({ method: 'PUT', url: '/v1/policies/standard', headers: a.headers, payload: rules({ quoteValidityDays: 5 }) })
  t.equal(second.json().version, 3)
  const quote = (await app.inject({ method: 'POST', url: '/v1/quotes', headers: a.headers, payload: { loan: { loanId: 'L', balance: '1000.00', overdueDays: 10 }, borrower: { monthlyIncome: '5000.00' } } })).json()
  t.same(quote.policy, { name: 'standard', version: 3 })
  t.equal(Date.parse(quote.expiresAt) - Date.parse(quote.createdAt), 5 * 86_400_000)
  const bQuote = (await app.inject({ method: 'POST', url: '/v1/quotes', headers: b.headers, payload: { loan: { loanId: 'L', balance: '1000.00', overdueDays: 10 }, borrower: { monthlyIncome: '5000.00' } } })).json()
  t.same(bQuote.policy, { name: 'standard', version: 1 }, "another tenant's change does not touch mine")
  const custom = await app.inject({ method: 'PUT', url: '/v1/policies/gentle', headers: a.headers, payload: rules() })
  t.match(custom.json(), { name: 'gentle', version: 1 })
  t.same((await app.inject({ method: 'GET', url: '/v1/policies', headers: a.headers })).json().items.map((p: { name: string, version: number }) => `${p.name}@${p.version}`), ['gentle@1', 'standard@3'])
})

t.test('concurrent changes get distinct versions', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const results = await Promise.all(Array.from({ length: 8 }, async (_, i) =>
    await app.inject({ method: 'PUT', url: '/v1/policies/busy', headers, payload: rules({ quoteValidityDays: i + 1 }) })))
  t.same(results.map((r) => r.statusCode), Array(8).fill(200))
  t.same(results.map((r) => r.json().version).sort((x: number, y: number) => x - y), [1, 2, 3, 4, 5, 6, 7, 8])
})

t.test('an invalid policy is a 400 naming what is wrong', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const cases: Array<[string, unknown, string]> = [
    ['a term above maxTermMonths', rules({ installment: { ...standardPolicy.installment, termsMonths: [12, 72] } }), '/body/installment/termsMonths/1'],
    ['a negative waiver', rules({ installment: { ...standardPolicy.installment, penaltyWaiver: '-0.5' } }), '/body/installment/penaltyWaiver'],
    ['a waiver above 1', rules({ settlement: { ...standardPolicy.settlement, penaltyWaiver: '1.5' } }), '/body/settlement/penaltyWaiver'],
    ['an unknown day count', rules({ dayCount: 'ACT/ACT' }), '/body/dayCount'],
    ['an unknown currency', rules({ currency: 'XYZ' }), '/body/currency'],
    ['a missing section', (() => { const r: Record<string, unknown> = rules(); delete r.deferral; return r })(), '/body/deferral'],
    ['an unknown field', rules({ surprise: true }), '/body/surprise'],
    ['buckets with a gap', rules({ buckets: [{ name: 'M0', minDays: 0, maxDays: 0 }, { name: 'M1', minDays: 5, maxDays: null }] }), '/body/buckets']
  ]
  for (const [name, payload, path] of cases) {
    const res = await app.inject({ method: 'PUT', url: '/v1/policies/bad', headers, payload: payload as object })
    t.equal(res.statusCode, 400, name)
    t.ok(res.json().errors?.some((e: { path: string }) => e.path.startsWith(path)), `${name}: ${res.body}`)
  }
  t.equal((await app.inject({ method: 'GET', url: '/v1/policies/bad', headers })).statusCode, 404, 'nothing was stored')
})
