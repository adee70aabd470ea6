import { randomUUID } from 'node:crypto'
import t from 'tap'
import { standardPolicy } from '../../src/domain/index.js'
import { ensureTenantWithKey, tenantForApiKey } from '../../src/db/tenants-repository.js'
import { buildTestApp } from '../helpers/app.js'
import { createQuote, loanRequest } from '../helpers/quotes.js'

t.test('ids that PostgreSQL would refuse are 400s, not 500s', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const urn = `urn:uuid:${randomUUID()}`
  t.equal((await app.inject({ method: 'GET', url: `/v1/quotes/${urn}`, headers })).statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: `/v1/plans/${urn}`, headers })).statusCode, 400)
  t.equal((await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'u' }, payload: { quoteId: urn, optionId: 'settlement' } })).statusCode, 400)
  const impossible = Buffer.from(JSON.stringify(['2024-02-30T00:00:00.000000Z', randomUUID()])).toString('base64url')
  t.equal((await app.inject({ method: 'GET', url: `/v1/plans?cursor=${impossible}`, headers })).statusCode, 400)
})

t.test('an upper-case quote id is the same request as its lower-case form', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const quote = await createQuote(app, headers, 'LN-CASE')
  const first = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'case' }, payload: { quoteId: quote.id, optionId: 'settlement' } })
  const again = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'case' }, payload: { quoteId: quote.id.toUpperCase(), optionId: 'settlement' } })
  t.equal(first.statusCode, 201)
  t.equal(again.statusCode, 201)
  t.equal(again.headers['idempotent-replayed'], 'true')
})

t.test('an option whose first payment is already past cannot be accepted', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const old = (await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { ...loanRequest('LN-OLD'), asOf: '2001-01-01' } })).json()
  const res = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'old' }, payload: { quoteId: old.id, optionId: old.recommendedOptionId } })
  t.equal(res.statusCode, 422)
  t.equal(res.json().type, '/problems/schedule-in-past')
})

t.test('another acceptance of the same loan still running past the lock timeout: 409, not 503', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t, { env: { PG_LOCK_TIMEOUT_MS: '300' } })
  const { headers, tenantId } = await tenant()
  const quote = await createQuote(app, headers, 'LN-BUSY')
  const other = await pool.connect()
  await other.query('BEGIN')
  await other.query(`INSERT INTO plans (tenant_id, loan_id, quote_id, option_id, option_type, currency, amount_financed, total_repayable,
    total_interest, penalty_waived, discount, capitalized_interest, max_payment, apr, policy_name, policy_version)
    VALUES ($1, 'LN-BUSY', $2, 'settlement', 'settlement', 'CNY', 1, 1, 0, 0, 0, 0, 1, '0', 'standard', 1)`, [tenantId, quote.id])
  const res = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'busy' }, payload: { quoteId: quote.id, optionId: 'settlement' } })
  await other.query('ROLLBACK')
  other.release()
  t.equal(res.statusCode, 409)
  t.equal(res.json().type, '/problems/loan-acceptance-in-flight')
  t.equal(res.headers['retry-after'], '1')
  const retry = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'busy' }, payload: { quoteId: quote.id, optionId: 'settlement' } })
  t.equal(retry.statusCode, 201, 'nothing was stored under the key; the retry goes through')
})

t.test('a rotated bootstrap key replaces the previous one', async (t) => {
  const { pool } = await buildTestApp(t)
  const first = 'bootstrap-key-one-0123456789abcdef'
  const second = 'bootstrap-key-two-0123456789abcdef'
  await ensureTenantWithKey(pool, 'default', first)
  t.ok(await tenantForApiKey(pool, first))
  await ensureTenantWithKey(pool, 'default', second)
  t.ok(await tenantForApiKey(pool, second))
  t.notOk(await tenantForApiKey(pool, first), 'the old bootstrap key is revoked')
  await ensureTenantWithKey(pool, 'default', second)
  t.ok(await tenantForApiKey(pool, second), 'starting again with the same key keeps it')
})

t.test('a policy whose quotes would carry too many schedule rows is refused', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const heavy = { ...standardPolicy, installment: { ...standardPolicy.installment, maxTermMonths: 120, termsMonths: [100, 110, 120], methods: ['annuity', 'equal_principal'] } }
  const res = await app.inject({ method: 'PUT', url: '/v1/policies/heavy', headers, payload: heavy })
  t.equal(res.statusCode, 400)
  t.match(res.json().detail, /schedule rows per quote/)
})
