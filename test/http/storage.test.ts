import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { createQuote, loanRequest } from '../helpers/quotes.js'

t.test('a tenant at its storage quota gets 429 storage-quota-exceeded on storing requests; reads and other tenants are unaffected', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { TENANT_STORAGE_QUOTA_ROWS: '3' } })
  const a = await tenant()
  const b = await tenant()
  const q1 = await createQuote(app, a.headers, 'LN-Q-1')
  await createQuote(app, a.headers, 'LN-Q-2')
  const plan = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...a.headers, 'idempotency-key': 'k1' }, payload: { quoteId: q1.id, optionId: 'settlement' } })
  t.equal(plan.statusCode, 201, 'the third stored row')
  const over = await app.inject({ method: 'POST', url: '/v1/quotes', headers: a.headers, payload: loanRequest('LN-Q-3') })
  t.equal(over.statusCode, 429)
  t.match(over.headers['content-type'], /^application\/problem\+json/)
  t.ok(Number(over.headers['retry-after']) > 0)
  t.match(over.json(), { type: '/problems/storage-quota-exceeded', limit: 'storage', quota: 3 })
  const overPlan = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...a.headers, 'idempotency-key': 'k2' }, payload: { quoteId: q1.id, optionId: 'settlement' } })
  t.equal(overPlan.statusCode, 429, 'acceptances store rows too')
  t.equal((await app.inject({ url: `/v1/quotes/${q1.id}`, headers: a.headers })).statusCode, 200, 'reads still work')
  t.equal((await app.inject({ method: 'POST', url: '/v1/quotes', headers: b.headers, payload: loanRequest('LN-Q-B') })).statusCode, 201, 'another tenant stores on')
})

t.test('TENANT_STORAGE_QUOTA_ROWS=0 means no quota', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { TENANT_STORAGE_QUOTA_ROWS: '0' } })
  const { headers } = await tenant()
  for (let i = 0; i < 3; i++) await createQuote(app, headers, `LN-U-${i}`)
  t.pass('no quota')
})

t.test('quotes nobody accepted are pruned QUOTE_RETENTION_DAYS (default 7) after expiry; accepted ones stay', async (t) => {
  const { app, tenant, pool, config } = await buildTestApp(t)
  t.equal(config.QUOTE_RETENTION_DAYS, 7)
  const { headers } = await tenant()
  const stale = await createQuote(app, headers, 'LN-R-1')
  const recent = await createQuote(app, headers, 'LN-R-2')
  const accepted = await createQuote(app, headers, 'LN-R-3')
  t.equal((await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'r3' }, payload: { quoteId: accepted.id, optionId: 'settlement' } })).statusCode, 201)
  await pool.query("UPDATE quotes SET created_at = now() - interval '20 days', expires_at = now() - interval '8 days' WHERE quote_id = ANY($1)", [[stale.id, accepted.id]])
  await pool.query("UPDATE quotes SET created_at = now() - interval '20 days', expires_at = now() - interval '6 days' WHERE quote_id = $1", [recent.id])
  await app.pruneExpired()
  const { rows } = await pool.query('SELECT quote_id FROM quotes')
  t.same(rows.map((r) => r.quote_id).sort(), [recent.id, accepted.id].sort())
})

t.test('payments count toward the storage quota: past it, another payment is refused and so is a quote', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { TENANT_STORAGE_QUOTA_ROWS: '3' } })
  const { headers } = await tenant()
  const quote = await createQuote(app, headers, 'LN-P-1')
  const plan = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'p1' }, payload: { quoteId: quote.id, optionId: 'installment-annuity-3' } })
  t.equal(plan.statusCode, 201, plan.body)
  const { id } = plan.json() as { id: string }
  const { asOf } = (await app.inject({ url: `/v1/plans/${id}`, headers })).json() as { asOf: string }
  const pay = async (reference: string) => await app.inject({ method: 'POST', url: `/v1/plans/${id}/payments`, headers, payload: { reference, amount: '1.00', receivedOn: asOf } })
  t.equal((await pay('PQ-1')).statusCode, 201, 'the third stored row: a payment')
  const over = await pay('PQ-2')
  t.equal(over.statusCode, 429, over.body)
  t.match(over.json(), { type: '/problems/storage-quota-exceeded', quota: 3 })
  t.equal((await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: loanRequest('LN-P-2') })).statusCode, 429, 'a quote neither')
})
