import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { RouteOptions } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { createQuote, loanRequest } from '../helpers/quotes.js'
import { TEST_WEBHOOK_KEY } from '../helpers/env.js'

// Issue 16.6: authentication swept over every registered /v1 route (new routes are included by
// construction), exact response keys of every operation, and the idempotency hash's coverage.

interface Route { method: string, url: string }

/** Every tenant-scoped row, to show a sweep changed nothing. */
async function snapshot (pool: import('pg').Pool, tenantId: string): Promise<string> {
  const parts: unknown[] = []
  for (const table of ['tenants', 'api_keys', 'policies', 'quotes', 'plans', 'plan_installments', 'idempotency_keys']) {
    const { rows } = await pool.query(`SELECT to_jsonb(x) AS r FROM ${table} x WHERE tenant_id = $1`, [tenantId])
    parts.push([table, rows.map((r) => JSON.stringify(r.r)).sort()])
  }
  return JSON.stringify(parts)
}

t.test('every /v1 route: no key, a malformed one, a revoked one → 401; another tenant\'s key → 404 on its ids; nothing touched', async (t) => {
  const routes: Route[] = []
  const { app, tenant, pool } = await buildTestApp(t, {
    env: { WEBHOOK_ENCRYPTION_KEY: TEST_WEBHOOK_KEY },
    beforeRegister: (server) => {
      server.addHook('onRoute', (route: RouteOptions) => {
        for (const method of [route.method].flat()) if (route.url.startsWith('/v1/') && method !== 'HEAD') routes.push({ method, url: route.url })
      })
    }
  })
  t.ok(routes.length >= 9, `${routes.length} /v1 routes found`)
  const a = await tenant()
  const b = await tenant()
  const revoked = await tenant()
  await pool.query('UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1', [revoked.tenantId])
  const endpoint = (await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: a.headers, payload: { url: 'https://lender.example/hooks', eventTypes: ['plan.accepted'] } })).json()
  const quote = await createQuote(app, a.headers, 'LN-SWEEP')
  const plan = (await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...a.headers, 'idempotency-key': 'sweep' }, payload: { quoteId: quote.id, optionId: 'settlement', note: 'n' } })).json()
  const standard = (await app.inject({ url: '/v1/policies/standard', headers: a.headers })).json().rules
  const delivery = (await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers: a.headers })).json().items[0]
  t.ok(delivery, 'the acceptance made a delivery to A\'s endpoint')
  // A's resources by path parameter, and a valid body per operation (so B's call reaches the data).
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const ids: Record<string, string> = {
    '/v1/quotes/:id': quote.id,
    '/v1/plans/:id': plan.id,
    '/v1/plans/:id/cancel': plan.id,
    '/v1/plans/:id/payments': plan.id,
    '/v1/plans/:id/payments/:paymentId': plan.id,
    '/v1/plans/:id/payments/:paymentId/reversal': plan.id,
    '/v1/plans/:id/payoff': plan.id,
    '/v1/webhook-endpoints/:id': endpoint.id,
    '/v1/webhook-endpoints/:id/rotate-secret': endpoint.id,
    '/v1/webhook-endpoints/:id/deliveries': endpoint.id,
    '/v1/webhook-endpoints/:id/deliveries/:deliveryId/retry': endpoint.id
  }
  const bodies: Record<string, unknown> = {
    'POST /v1/quotes': loanRequest('LN-SWEEP'),
    'POST /v1/plans': { quoteId: quote.id, optionId: 'settlement' },
    'POST /v1/plans/:id/cancel': { reason: 'sweep' },
    'POST /v1/plans/:id/payments': { reference: 'SWEEP-PAY', amount: '1.00', receivedOn: today },
    'POST /v1/plans/:id/payments/:paymentId/reversal': { reason: 'sweep' },
    'PUT /v1/policies/:name': standard,
    'POST /v1/webhook-endpoints': { url: 'https://lender.example/other', eventTypes: ['plan.completed'] },
    'POST /v1/webhook-endpoints/:id/rotate-secret': {},
    'POST /v1/webhook-endpoints/:id/deliveries/:deliveryId/retry': {}
  }
  const before = await snapshot(pool, a.tenantId)
  const credentials: Array<[string, Record<string, string>]> = [
    ['no key', {}],
    ['malformed', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['malformed bearer', { authorization: `Bearer ${a.apiKey} extra` }],
    ['unknown', { authorization: `Bearer rpk_${'0'.repeat(43)}` }],
    ['revoked', revoked.headers]
  ]
  for (const route of routes) {
    const key = `${route.method} ${route.url}`
    const url = route.url.replace(/:id\b/, ids[route.url] ?? randomUUID()).replace(':name', 'standard').replace(':paymentId', randomUUID()).replace(':deliveryId', delivery.id).replace(/:\w+/g, 'x')
    const payload = ['POST', 'PUT', 'PATCH'].includes(route.method) ? (bodies[key] ?? {}) : undefined
    const headers = { 'idempotency-key': `sweep-${randomUUID()}` }
    for (const [name, auth] of credentials) {
      const res = await app.inject({ method: route.method as 'GET', url, headers: { ...headers, ...auth }, payload: payload as object })
      t.equal(res.statusCode, 401, `${key}, ${name}: 401`)
      t.equal(res.json().type, '/problems/unauthorized', `${key}, ${name}: unauthorized problem`)
      t.match(res.headers['www-authenticate'], /^Bearer /)
    }
    if (/:id\b/.test(route.url)) {
      const res = await app.inject({ method: route.method as 'GET', url, headers: { ...headers, ...b.headers }, payload: payload as object })
      if (bodies[key] !== undefined || payload === undefined) t.equal(res.statusCode, 404, `${key}, another tenant's key on A's id: 404`)
      else t.ok(res.statusCode === 400 || res.statusCode === 404, `${key}, another tenant's key (no valid body known: add one above): ${res.statusCode}`)
    }
  }
  // Another tenant's key on A's quote through the id-less operations touches only its own scope.
  t.equal((await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...b.headers, 'idempotency-key': 'b' }, payload: bodies['POST /v1/plans'] as object })).statusCode, 404)
  t.same((await app.inject({ url: '/v1/plans?loanId=LN-SWEEP', headers: b.headers })).json().items, [])
  t.equal(await snapshot(pool, a.tenantId), before, "A's data is untouched by the sweep")
})

const QUOTE_KEYS = ['id', 'policy', 'createdAt', 'expiresAt', 'asOf', 'loan', 'borrower', 'delinquencyBucket', 'penalty', 'totalDue', 'affordability', 'options', 'rejectedOptions', 'recommendedOptionId', 'closestOptionId', 'needsReview', 'reviewReason']
const PLAN_SUMMARY_KEYS = ['id', 'loanId', 'status', 'quoteId', 'optionId', 'type', 'termMonths', 'method', 'holidayMonths', 'currency', 'amountFinanced', 'totalRepayable', 'totalInterest', 'penaltyWaived', 'discount', 'capitalizedInterest', 'maxPayment', 'apr', 'policy', 'acceptedBy', 'channel', 'note', 'createdAt', 'cancelledAt', 'cancelReason']
const PLAN_KEYS = [...PLAN_SUMMARY_KEYS, 'schedule']
const POSITION_KEYS = ['asOf', 'paidTotal', 'outstanding', 'arrears', 'daysPastDue', 'missedInstallments', 'nextDue', 'completedAt', 'brokenAt', 'reinstatedPenalty', 'lateFees']
// A plan read back carries where it stands as well as its terms and schedule.
const READ_PLAN_KEYS = [...PLAN_SUMMARY_KEYS, ...POSITION_KEYS, 'schedule']
const PAYMENT_KEYS = ['id', 'planId', 'reference', 'amount', 'receivedOn', 'channel', 'note', 'createdAt', 'reversedAt', 'reversalReason', 'allocation']
const keys = (o: object) => Object.keys(o)

t.test('exact response keys of every operation, optional fields sent and read back', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers, tenantId } = await tenant('shape-lender')
  const me = await app.inject({ url: '/v1/me', headers })
  t.same(keys(me.json()), ['tenantId', 'name', 'createdAt'])
  t.match(me.json(), { tenantId, name: 'shape-lender', createdAt: /^\d{4}-\d{2}-\d{2}T/ })

  const created = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: loanRequest('LN-SHAPE') })
  t.same(keys(created.json()), QUOTE_KEYS, 'quote')
  const quote = created.json()
  t.same(keys((await app.inject({ url: `/v1/quotes/${quote.id}`, headers })).json()), QUOTE_KEYS, 'stored quote')

  const body = { quoteId: quote.id, optionId: 'settlement', note: 'called on 3 May', acceptedBy: 'agent 42', channel: 'phone' }
  const accepted = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'shape' }, payload: body })
  t.equal(accepted.statusCode, 201)
  t.same(keys(accepted.json()), PLAN_KEYS, 'accepted plan')
  t.match(accepted.json(), { note: 'called on 3 May', acceptedBy: 'agent 42', channel: 'phone' })
  const read = (await app.inject({ url: `/v1/plans/${accepted.json().id}`, headers })).json()
  t.same(keys(read).sort(), [...READ_PLAN_KEYS].sort(), 'read plan')
  t.same(keys(read.schedule[0]), ['number', 'dueDate', 'payment', 'principal', 'interest', 'balance', 'fees', 'paidPrincipal', 'paidInterest', 'paidFees', 'paidOn', 'state'], 'a read plan\'s schedule row')
  t.match(read, { note: 'called on 3 May', acceptedBy: 'agent 42', channel: 'phone' })
  const list = (await app.inject({ url: '/v1/plans?loanId=LN-SHAPE', headers })).json()
  t.same(keys(list), ['items', 'nextCursor'])
  t.same(keys(list.items[0]), PLAN_SUMMARY_KEYS, 'plan summary')
  t.match(list.items[0], { note: 'called on 3 May', acceptedBy: 'agent 42', channel: 'phone' })
  const cancelled = (await app.inject({ method: 'POST', url: `/v1/plans/${read.id}/cancel`, headers, payload: { reason: 'shape' } })).json()
  t.same(keys(cancelled).sort(), [...READ_PLAN_KEYS].sort(), 'cancelled plan')

  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const second = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'shape-2' }, payload: { ...body, optionId: 'installment-annuity-3' } })
  const planId = second.json().id
  const paid = (await app.inject({ method: 'POST', url: `/v1/plans/${planId}/payments`, headers, payload: { reference: 'SHAPE-1', amount: '10.00', receivedOn: today, channel: 'bank', note: 'n' } })).json()
  t.same(keys(paid), ['payment', 'plan'], 'recorded payment')
  t.same(keys(paid.payment), PAYMENT_KEYS, 'payment')
  t.same(keys(paid.plan), ['id', 'status', ...POSITION_KEYS], 'the plan after it')
  t.same(keys(paid.payment.allocation), ['installments', 'penalty', 'settlesPlan', 'interestWaived'])
  t.match(paid.payment, { channel: 'bank', note: 'n' })
  t.same(keys((await app.inject({ url: `/v1/plans/${planId}/payments/${paid.payment.id}`, headers })).json()), PAYMENT_KEYS, 'one payment')
  t.same(keys((await app.inject({ url: `/v1/plans/${planId}/payments`, headers })).json()), ['items', 'nextCursor'], 'payments')
  t.same(keys((await app.inject({ url: `/v1/plans/${planId}/payoff`, headers })).json()), ['planId', 'asOf', 'currency', 'amount', 'unpaidPrincipal', 'unpaidInterestDue', 'accruedInterest', 'unpaidFees', 'interestWaived'], 'payoff')
  t.same(keys((await app.inject({ method: 'POST', url: `/v1/plans/${planId}/payments/${paid.payment.id}/reversal`, headers, payload: { reason: 'shape' } })).json()), ['payment', 'plan'], 'reversal')
  t.match(cancelled, { status: 'cancelled', cancelReason: 'shape', note: 'called on 3 May' })

  const policies = (await app.inject({ url: '/v1/policies', headers })).json()
  t.same(keys(policies), ['items'])
  t.same(keys(policies.items[0]), ['name', 'version', 'builtIn', 'createdAt', 'rules'])
  const policy = (await app.inject({ url: '/v1/policies/standard', headers })).json()
  t.same(keys(policy), ['name', 'version', 'builtIn', 'createdAt', 'rules'])
  t.same(keys(policy.rules), ['currency', 'annualInterestRate', 'roundingMode', 'dayCount', 'buckets', 'penalty', 'installment', 'deferral', 'settlement', 'affordability', 'quoteValidityDays', 'servicing'])
  const put = (await app.inject({ method: 'PUT', url: '/v1/policies/standard', headers, payload: policy.rules })).json()
  t.same(keys(put), ['name', 'version', 'builtIn', 'createdAt', 'rules'])
  t.match(put, { version: 2, builtIn: false })
})

t.test('the idempotency hash covers note, acceptedBy and channel: the same key with any of them changed is 422', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const quote = await createQuote(app, headers, 'LN-HASH')
  const base = { quoteId: quote.id, optionId: 'settlement', note: 'a', acceptedBy: 'b', channel: 'c' }
  const send = async (payload: object) => await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'hash' }, payload })
  t.equal((await send(base)).statusCode, 201)
  t.equal((await send(base)).headers['idempotent-replayed'], 'true', 'the same body replays')
  for (const field of ['note', 'acceptedBy', 'channel'] as const) {
    const res = await send({ ...base, [field]: 'changed' })
    t.equal(res.statusCode, 422, field)
    t.equal(res.json().type, '/problems/idempotency-key-reused', field)
    const { [field]: _dropped, ...without } = base
    t.equal((await send(without)).statusCode, 422, `${field} left out`)
  }
})
