import t from 'tap'
import { randomUUID } from 'node:crypto'
import { buildTestApp } from '../helpers/app.js'
import { createQuote } from '../helpers/quotes.js'

const accept = (headers: Record<string, string>, key: string | undefined, payload: Record<string, unknown>) => ({
  method: 'POST' as const, url: '/v1/plans', headers: key === undefined ? headers : { ...headers, 'idempotency-key': key }, payload
})

t.test('accepting an option stores the plan, its schedule as rows, and answers 201 with Location', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t)
  const { headers, tenantId } = await tenant()
  const quote = await createQuote(app, headers, 'LN-100')
  const option = quote.options.find((o) => o.id === quote.recommendedOptionId)!
  const res = await app.inject(accept(headers, 'k-1', { quoteId: quote.id, optionId: option.id, acceptedBy: 'borrower', channel: 'app' }))
  t.equal(res.statusCode, 201, 'created')
  const plan = res.json()
  t.equal(res.headers.location, `/v1/plans/${plan.id}`)
  t.notOk(res.headers['idempotent-replayed'])
  t.match(plan, { loanId: 'LN-100', status: 'active', quoteId: quote.id, optionId: option.id, currency: 'CNY', totalRepayable: option.totalRepayable, policy: { name: 'standard', version: 1 }, acceptedBy: 'borrower', channel: 'app', cancelledAt: null })
  t.same(plan.schedule, option.schedule, 'the schedule is the quoted one')
  const { rows } = await pool.query('SELECT count(*)::int AS n, sum(payment)::text AS total FROM plan_installments WHERE tenant_id = $1 AND plan_id = $2', [tenantId, plan.id])
  t.equal(rows[0].n, option.schedule.length)
  t.equal(rows[0].total, option.totalRepayable, 'rows sum exactly to the total')
  const read = await app.inject({ method: 'GET', url: `/v1/plans/${plan.id}`, headers })
  t.equal(read.statusCode, 200)
  t.has(read.json(), plan, 'GET returns the plan as accepted, from the rows, with where it stands added')
})

t.test('refusals are problems with their own type', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t)
  const { headers } = await tenant()
  const quote = await createQuote(app, headers, 'LN-200')
  const missing = await app.inject(accept(headers, 'r-1', { quoteId: randomUUID(), optionId: 'settlement' }))
  t.match(missing.json(), { status: 404, type: '/problems/not-found' })
  const unknown = await app.inject(accept(headers, 'r-2', { quoteId: quote.id, optionId: 'installment-annuity-99' }))
  t.match(unknown.json(), { status: 422, type: '/problems/unknown-option' })
  t.match(unknown.headers['content-type'], /^application\/problem\+json/)
  await pool.query("UPDATE quotes SET created_at = now() - interval '8 days', expires_at = now() - interval '1 day' WHERE quote_id = $1", [quote.id])
  const expired = await app.inject(accept(headers, 'r-3', { quoteId: quote.id, optionId: 'settlement' }))
  t.match(expired.json(), { status: 410, type: '/problems/quote-expired' })

  const fresh = await createQuote(app, headers, 'LN-201')
  const first = await app.inject(accept(headers, 'r-4', { quoteId: fresh.id, optionId: 'settlement' }))
  t.equal(first.statusCode, 201)
  const second = await app.inject(accept(headers, 'r-5', { quoteId: fresh.id, optionId: fresh.recommendedOptionId }))
  t.match(second.json(), { status: 409, type: '/problems/active-plan-exists', existingPlanId: first.json().id })

  for (const [name, key] of [['missing', undefined], ['empty', ''], ['too long', 'x'.repeat(256)], ['control character', 'a\tb']] as const) {
    const res = await app.inject(accept(headers, key, { quoteId: fresh.id, optionId: 'settlement' }))
    t.equal(res.statusCode, 400, `${name} Idempotency-Key`)
    t.match(res.json(), { type: '/problems/validation' })
  }
  t.equal((await app.inject(accept(headers, 'y'.repeat(255), { quoteId: randomUUID(), optionId: 'x' }))).statusCode, 404, 'a 255-character key is fine')
  const clientNumbers = await app.inject(accept(headers, 'r-6', { quoteId: fresh.id, optionId: 'settlement', totalRepayable: '1.00' }))
  t.equal(clientNumbers.statusCode, 400, 'numbers from the client are refused, not used')
})

t.test('idempotency: a retry replays the first answer byte for byte, a different body is 422', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t)
  const { headers, tenantId } = await tenant()
  const quote = await createQuote(app, headers, 'LN-300')
  const body = { quoteId: quote.id, optionId: quote.recommendedOptionId }
  const first = await app.inject(accept(headers, 'same', body))
  const again = await app.inject(accept(headers, 'same', { optionId: body.optionId, quoteId: body.quoteId }))
  t.equal(again.statusCode, 201)
  t.equal(again.body, first.body)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal(again.headers.location, first.headers.location)
  const other = await app.inject(accept(headers, 'same', { ...body, optionId: 'settlement' }))
  t.match(other.json(), { status: 422, type: '/problems/idempotency-key-reused' })
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM plans WHERE tenant_id = $1', [tenantId])
  t.equal(rows[0].n, 1, 'one plan')

  // A refusal is replayed too, even after the state that caused it has changed.
  const refused = await app.inject(accept(headers, 'late', { quoteId: quote.id, optionId: 'settlement' }))
  t.equal(refused.statusCode, 409)
  await app.inject({ method: 'POST', url: `/v1/plans/${first.json().id}/cancel`, headers, payload: { reason: 'test' } })
  const refusedAgain = await app.inject(accept(headers, 'late', { quoteId: quote.id, optionId: 'settlement' }))
  t.equal(refusedAgain.statusCode, 409)
  t.equal(refusedAgain.body, refused.body)
  t.equal(refusedAgain.headers['idempotent-replayed'], 'true')

  // A request that failed validation is not stored under its key.
  t.equal((await app.inject(accept(headers, 'fresh', { quoteId: 'nope', optionId: 'settlement' }))).statusCode, 400)
  t.equal((await app.inject(accept(headers, 'fresh', { quoteId: quote.id, optionId: 'settlement' }))).statusCode, 201)
})

t.test('unaccepted quotes are pruned once long expired; accepted ones stay with their plans', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t)
  const { headers } = await tenant()
  const lonely = await createQuote(app, headers, 'LN-OLD-1')
  const accepted = await createQuote(app, headers, 'LN-OLD-2')
  t.equal((await app.inject(accept(headers, 'keep', { quoteId: accepted.id, optionId: 'settlement' }))).statusCode, 201)
  const recent = await createQuote(app, headers, 'LN-NEW')
  await pool.query("UPDATE quotes SET created_at = now() - interval '120 days', expires_at = now() - interval '91 days' WHERE quote_id = ANY($1)", [[lonely.id, accepted.id]])
  await app.pruneExpired()
  const { rows } = await pool.query('SELECT quote_id FROM quotes ORDER BY loan_id')
  t.same(rows.map((r) => r.quote_id).sort(), [accepted.id, recent.id].sort())
  t.equal((await app.inject({ method: 'GET', url: `/v1/quotes/${lonely.id}`, headers })).statusCode, 404)
})

t.test('keys past the retention are treated as new and pruned', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t)
  const { headers } = await tenant()
  const quote = await createQuote(app, headers, 'LN-350')
  t.equal((await app.inject(accept(headers, 'old', { quoteId: quote.id, optionId: 'x' }))).statusCode, 422, 'a stored refusal')
  await pool.query("UPDATE idempotency_keys SET created_at = now() - interval '49 hours' WHERE key = 'old'")
  const reused = await app.inject(accept(headers, 'old', { quoteId: quote.id, optionId: 'settlement' }))
  t.equal(reused.statusCode, 201, 'an expired key is a new request')
  await pool.query("UPDATE idempotency_keys SET created_at = now() - interval '49 hours'")
  await app.pruneExpired()
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM idempotency_keys')
  t.equal(rows[0].n, 0, 'the reaper removed it')
})

t.test('another tenant never sees or touches my quotes, plans or keys', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t)
  const a = await tenant()
  const b = await tenant()
  const quote = await createQuote(app, a.headers, 'LN-400')
  const mine = await app.inject(accept(a.headers, 'shared-key', { quoteId: quote.id, optionId: 'settlement' }))
  t.equal(mine.statusCode, 201)
  const planId = mine.json().id
  const theirAccept = await app.inject(accept(b.headers, 'shared-key', { quoteId: quote.id, optionId: 'settlement' }))
  t.equal(theirAccept.statusCode, 404, "B cannot accept A's quote, and A's key does not replay for B")
  t.notOk(theirAccept.headers['idempotent-replayed'])
  const random = randomUUID()
  for (const [method, url, payload] of [['GET', `/v1/plans/${planId}`, undefined], ['POST', `/v1/plans/${planId}/cancel`, { reason: 'x' }]] as const) {
    const theirs = await app.inject({ method, url, headers: b.headers, payload })
    const none = await app.inject({ method, url: url.replace(planId, random), headers: b.headers, payload })
    t.equal(theirs.statusCode, 404, `${method} ${url}`)
    t.same({ ...theirs.json(), instance: null }, { ...none.json(), instance: null }, 'same as a random id')
  }
  t.same((await app.inject({ method: 'GET', url: '/v1/plans?loanId=LN-400', headers: b.headers })).json().items, [])
  const { rows } = await pool.query('SELECT status FROM plans WHERE plan_id = $1', [planId])
  t.equal(rows[0].status, 'active', "A's plan is untouched")
})

t.test('listing is keyset-paginated, filtered by loan and status; a forged cursor is 400', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const ids: string[] = []
  for (let i = 0; i < 5; i++) {
    const quote = await createQuote(app, headers, `LN-5${i}`)
    ids.unshift((await app.inject(accept(headers, `list-${i}`, { quoteId: quote.id, optionId: 'settlement' }))).json().id)
  }
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const res: { statusCode: number, json: () => any } = await app.inject({ method: 'GET', url: `/v1/plans?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`, headers })
    t.equal(res.statusCode, 200)
    const page: { items: Array<{ id: string }>, nextCursor: string | null } = res.json()
    t.ok(page.items.length <= 2)
    t.notOk('schedule' in (page.items[0] ?? {}), 'list items carry no schedule')
    seen.push(...page.items.map((p: { id: string }) => p.id))
    cursor = page.nextCursor
  } while (cursor !== null)
  t.same(seen, ids, 'every plan once, newest first')
  await app.inject({ method: 'POST', url: `/v1/plans/${ids[0]}/cancel`, headers, payload: { reason: 'moved' } })
  t.same((await app.inject({ method: 'GET', url: '/v1/plans?status=cancelled', headers })).json().items.map((p: { id: string }) => p.id), [ids[0]])
  t.same((await app.inject({ method: 'GET', url: '/v1/plans?loanId=LN-52', headers })).json().items.length, 1)
  for (const bad of ['limit=0', 'limit=101', 'limit=abc', 'cursor=not-a-cursor', `cursor=${Buffer.from('["x","y"]').toString('base64url')}`, 'status=paid', 'tenantId=x']) {
    const res = await app.inject({ method: 'GET', url: `/v1/plans?${bad}`, headers })
    t.equal(res.statusCode, 400, bad)
  }
})

t.test('cancelling frees the loan for a new plan; cancelling again is a no-op', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const quote = await createQuote(app, headers, 'LN-600')
  const plan = (await app.inject(accept(headers, 'c-1', { quoteId: quote.id, optionId: 'settlement' }))).json()
  const cancelled = await app.inject({ method: 'POST', url: `/v1/plans/${plan.id}/cancel`, headers, payload: { reason: 'borrower prefers installments' } })
  t.equal(cancelled.statusCode, 200)
  t.match(cancelled.json(), { status: 'cancelled', cancelReason: 'borrower prefers installments' })
  t.ok(cancelled.json().cancelledAt)
  const twice = await app.inject({ method: 'POST', url: `/v1/plans/${plan.id}/cancel`, headers, payload: { reason: 'another reason' } })
  t.same(twice.json(), cancelled.json(), 'unchanged')
  const next = await app.inject(accept(headers, 'c-2', { quoteId: quote.id, optionId: quote.recommendedOptionId }))
  t.equal(next.statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: `/v1/plans/${plan.id}/cancel`, headers, payload: {} })).statusCode, 400, 'a reason is required')
})
