import t from 'tap'
import { Ajv } from 'ajv'
import { buildTestApp } from '../helpers/app.js'
import { standardPolicy } from '../../src/domain/index.js'

const loan = (over: Record<string, unknown> = {}) => ({ loanId: 'LN-1', balance: '50000.00', overdueDays: 45, ...over })
const borrower = (over: Record<string, unknown> = {}) => ({ monthlyIncome: '9000.00', monthlyObligations: '1500.00', ...over })

t.test('a quote is computed, stored and read back byte for byte', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { loan: loan(), borrower: borrower(), asOf: '2026-11-29' } })
  t.equal(res.statusCode, 201, 'created')
  t.match(res.headers['content-type'], /^application\/json/)
  const quote = res.json()
  t.equal(res.headers.location, `/v1/quotes/${quote.id}`)
  t.same(quote.policy, { name: 'standard', version: 1 })
  t.equal(quote.delinquencyBucket, 'M2')
  t.equal(quote.loan.currency, 'CNY')
  t.equal(Date.parse(quote.expiresAt) - Date.parse(quote.createdAt), 7 * 86_400_000)
  t.ok(quote.options.some((o: { id: string }) => o.id === 'installment-annuity-12'))
  t.ok(quote.options.some((o: { id: string }) => o.id === 'settlement'))
  const again = await app.inject({ method: 'GET', url: res.headers.location as string, headers })
  t.equal(again.statusCode, 200)
  t.equal(again.body, res.body, 'byte-identical')
  // The stored quote conforms to the published response schema.
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  const ajv = new Ajv({ strict: false })
  ajv.addFormat('date', true).addFormat('date-time', true).addFormat('uuid', true)
  for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema({ ...(schema as object), $id: `#/components/schemas/${name}` })
  const validate = ajv.getSchema('#/components/schemas/Quote')!
  t.ok(validate(quote), JSON.stringify(validate.errors))
})

t.test('a loan id that JSON must escape is stored and read back byte for byte', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const loanId = 'LN-"quoted"\\back{}'
  const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { loan: loan({ loanId }), borrower: borrower() } })
  t.equal(res.statusCode, 201)
  t.equal(res.json().loan.loanId, loanId)
  t.equal(Number(res.headers['content-length']), res.rawPayload.length)
  const again = await app.inject({ method: 'GET', url: res.headers.location as string, headers })
  t.ok(again.rawPayload.equals(res.rawPayload), 'the stored bytes are the bytes answered')
})

t.test('another tenant cannot read a quote: 404, like a random id', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const a = await tenant()
  const b = await tenant()
  const created = await app.inject({ method: 'POST', url: '/v1/quotes', headers: a.headers, payload: { loan: loan(), borrower: borrower() } })
  const theirs = await app.inject({ method: 'GET', url: created.headers.location as string, headers: b.headers })
  const random = await app.inject({ method: 'GET', url: '/v1/quotes/3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60', headers: b.headers })
  t.equal(theirs.statusCode, 404)
  t.same({ ...theirs.json(), instance: null }, { ...random.json(), instance: null })
  t.equal((await app.inject({ method: 'GET', url: '/v1/quotes/not-a-uuid', headers: b.headers })).statusCode, 400)
})

t.test("Apache Fineract's EMI example through the API: 100.00 at 9.4822 % over 6 months", async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const rules = { ...standardPolicy, installment: { ...standardPolicy.installment, termsMonths: [6] }, deferral: { ...standardPolicy.deferral, holidayMonths: [] } }
  t.equal((await app.inject({ method: 'PUT', url: '/v1/policies/fineract', headers, payload: rules })).statusCode, 200)
  const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { policy: 'fineract', asOf: '2024-01-01', loan: loan({ balance: '100.00', overdueDays: 0, annualInterestRate: '0.094822' }), borrower: borrower() } })
  t.equal(res.statusCode, 201, res.body)
  const option = res.json().options.find((o: { id: string }) => o.id === 'installment-annuity-6')
  t.same(option.schedule.map((r: { payment: string }) => r.payment), ['17.13', '17.13', '17.13', '17.13', '17.13', '17.13'])
  t.same(option.schedule.map((r: { interest: string }) => r.interest), ['0.79', '0.66', '0.53', '0.40', '0.27', '0.13'])
  t.same(option.schedule.map((r: { balance: string }) => r.balance), ['83.66', '67.19', '50.59', '33.86', '17.00', '0.00'])
  t.same(res.json().policy, { name: 'fineract', version: 1 })
})

t.test('the same loan under ACT/365 from 2024-01-01 at 15.678 %: 17.43, last 17.47', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const rules = { ...standardPolicy, dayCount: 'ACT/365', installment: { ...standardPolicy.installment, termsMonths: [6] } }
  await app.inject({ method: 'PUT', url: '/v1/policies/actual', headers, payload: rules })
  const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { policy: 'actual', asOf: '2024-01-01', loan: loan({ balance: '100.00', overdueDays: 0, annualInterestRate: '0.15678' }), borrower: borrower() } })
  const option = res.json().options.find((o: { id: string }) => o.id === 'installment-annuity-6')
  t.same(option.schedule.map((r: { payment: string }) => r.payment), ['17.43', '17.43', '17.43', '17.43', '17.43', '17.47'])
  t.same(option.schedule.map((r: { interest: string }) => r.interest), ['1.33', '1.05', '0.90', '0.66', '0.46', '0.22'])
})

t.test('penalty: 1,000.00 overdue 26 days is 10.68 at a 10 % contract rate and capped at 17.10 at 20 %', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const quote = async (rate: string) => (await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { loan: loan({ balance: '1000.00', overdueDays: 26, annualInterestRate: rate }), borrower: borrower() } })).json()
  const ten = await quote('0.10')
  t.match(ten.penalty, { penaltyRate: '0.15', chargeableDays: 26, penaltyInterest: '10.68', total: '10.68', capApplied: false, capReduction: '0.00' })
  t.equal(ten.totalDue, '1010.68')
  const twenty = await quote('0.20')
  t.match(twenty.penalty, { penaltyRate: '0.3', penaltyInterest: '21.37', cap: '17.10', total: '17.10', capApplied: true, capReduction: '4.27' })
})

t.test('bad input is a 400 problem naming the field', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { BODY_LIMIT_BYTES: '4096' } })
  const { headers } = await tenant()
  const cases: Array<[string, unknown, string]> = [
    ['missing balance', { loan: { loanId: 'L', overdueDays: 1 }, borrower: borrower() }, '/body/loan/balance'],
    ['negative amount', { loan: loan({ balance: '-5.00' }), borrower: borrower() }, '/body/loan/balance'],
    ['too many decimals for CNY', { loan: loan({ balance: '10.001' }), borrower: borrower() }, '/body/loan/balance'],
    ['too many decimals for JPY', { loan: loan({ balance: '10.5', currency: 'JPY' }), borrower: borrower() }, '/body/loan/balance'],
    ['exponent', { loan: loan({ balance: '1e3' }), borrower: borrower() }, '/body/loan/balance'],
    ['a number, not a string', { loan: loan({ balance: 1000 }), borrower: borrower() }, '/body/loan/balance'],
    ['zero balance', { loan: loan({ balance: '0.00' }), borrower: borrower() }, '/body/loan/balance'],
    ['unknown currency', { loan: loan({ currency: 'XYZ' }), borrower: borrower() }, '/body/loan/currency'],
    ['lower-case currency', { loan: loan({ currency: 'cny' }), borrower: borrower() }, '/body/loan/currency'],
    ['overdueDays -1', { loan: loan({ overdueDays: -1 }), borrower: borrower() }, '/body/loan/overdueDays'],
    ['overdueDays 99999', { loan: loan({ overdueDays: 99999 }), borrower: borrower() }, '/body/loan/overdueDays'],
    ['overdueDays as a string', { loan: loan({ overdueDays: '30' }), borrower: borrower() }, '/body/loan/overdueDays'],
    // eslint-disable-next-line @typescript-eslint/no-loss-of-precision -- 2^53+1 becomes 2^53 on purpose: the schema must refuse an unsafe integer
    ['overdueDays 2^53+1', { loan: loan({ overdueDays: 9007199254740993 }), borrower: borrower() }, '/body/loan/overdueDays'],
    ['a rate above 1', { loan: loan({ annualInterestRate: '1.5' }), borrower: borrower() }, '/body/loan/annualInterestRate'],
    ['an impossible date', { loan: loan(), borrower: borrower(), asOf: '2024-02-30' }, '/body/asOf'],
    ['a date-time for a date', { loan: loan(), borrower: borrower(), asOf: '2024-02-01T00:00:00Z' }, '/body/asOf'],
    ['unknown field', { loan: loan({ status: 'ACCEPTED' }), borrower: borrower() }, '/body/loan/status'],
    ['negative income', { loan: loan(), borrower: borrower({ monthlyIncome: '-1' }) }, '/body/borrower/monthlyIncome'],
    ['overdue above what is owed', { loan: loan({ overdueAmount: '60000.00' }), borrower: borrower() }, '/body/loan/overdueAmount']
  ]
  for (const [name, payload, path] of cases) {
    const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: payload as object })
    t.equal(res.statusCode, 400, name)
    t.match(res.headers['content-type'], /^application\/problem\+json/, name)
    t.ok(res.json().errors?.some((e: { path: string }) => e.path === path), `${name}: ${res.body}`)
  }
  const huge = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { loan: loan({ loanId: 'x'.repeat(5000) }), borrower: borrower() } })
  t.equal(huge.statusCode, 413)
  const unknownPolicy = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { loan: loan(), borrower: borrower(), policy: 'nope' } })
  t.equal(unknownPolicy.statusCode, 422)
  t.equal(unknownPolicy.json().type, '/problems/unknown-policy')
})

t.test('JPY has no minor digits and KWD has three, end to end', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const jpy = (await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { loan: loan({ balance: '1200000', currency: 'JPY' }), borrower: borrower({ monthlyIncome: '300000', monthlyObligations: '0' }) } })).json()
  t.match(jpy.totalDue, /^\d+$/)
  t.ok(jpy.options.every((o: { schedule: Array<{ payment: string }> }) => o.schedule.every((r) => /^\d+$/.test(r.payment))))
  const kwd = (await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { loan: loan({ balance: '1500.250', currency: 'KWD' }), borrower: borrower({ monthlyIncome: '900.000', monthlyObligations: '0' }) } })).json()
  t.match(kwd.totalDue, /^\d+\.\d{3}$/)
})
