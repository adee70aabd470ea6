import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { createQuote } from '../helpers/quotes.js'
import { freePort } from '../helpers/ports.js'
import { startServer, waitFor } from '../helpers/process.js'

// Real PostgreSQL, real concurrency: the pool runs these transactions in parallel.
t.test('20 concurrent accepts of different options of one loan: exactly one 201, nineteen 409', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t, { env: { PG_POOL_MAX: '20' } })
  const { headers, tenantId } = await tenant()
  const pairs: Array<{ quoteId: string, optionId: string }> = []
  while (pairs.length < 20) {
    const quote = await createQuote(app, headers, 'LN-RACE')
    for (const o of quote.options) if (pairs.length < 20) pairs.push({ quoteId: quote.id, optionId: o.id })
  }
  for (let round = 0; round < 3; round++) {
    const results = await Promise.all(pairs.map(async (body, i) =>
      await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': `race-${round}-${i}` }, payload: body })))
    const codes = results.map((r) => r.statusCode).sort()
    t.same(codes, [201, ...Array(19).fill(409)], `round ${round}`)
    const winner = results.find((r) => r.statusCode === 201)!.json().id
    t.ok(results.filter((r) => r.statusCode === 409).every((r) => r.json().existingPlanId === winner), 'every loser names the winner')
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM plans WHERE tenant_id = $1 AND loan_id = 'LN-RACE' AND status = 'active'", [tenantId])
    t.equal(rows[0].n, 1, 'exactly one active plan row')
    await app.inject({ method: 'POST', url: `/v1/plans/${winner}/cancel`, headers, payload: { reason: 'next round' } })
  }
})

t.test('20 concurrent accepts with the same key and body: one plan, identical answers', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t, { env: { PG_POOL_MAX: '20' } })
  const { headers, tenantId } = await tenant()
  for (let round = 0; round < 5; round++) {
    const quote = await createQuote(app, headers, `LN-SAME-${round}`)
    const results = await Promise.all(Array.from({ length: 20 }, async () =>
      await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': `same-${round}` }, payload: { quoteId: quote.id, optionId: quote.recommendedOptionId } })))
    const created = results.filter((r) => r.statusCode === 201)
    const inFlight = results.filter((r) => r.statusCode === 409)
    t.equal(created.length + inFlight.length, 20, 'only the 201 or the documented in-flight 409')
    t.ok(inFlight.every((r) => r.json().type === '/problems/idempotency-key-in-flight'))
    t.equal(new Set(created.map((r) => r.body)).size, 1, 'every 201 is byte-identical')
    t.equal(created.filter((r) => r.headers['idempotent-replayed'] !== 'true').length, 1, 'exactly one executed')
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM plans WHERE tenant_id = $1 AND loan_id = $2', [tenantId, `LN-SAME-${round}`])
    t.equal(rows[0].n, 1)
  }
})

t.test('the same race through two server processes on one database', async (t) => {
  const { app, tenant, database, pool } = await buildTestApp(t)
  const { headers, tenantId } = await tenant()
  const env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn', PG_POOL_MAX: '10' }
  const servers = [startServer(await freePort(), env), startServer(await freePort(), env)]
  t.teardown(async () => { await Promise.all(servers.map(async (s) => await s.stop('SIGKILL'))) })
  for (const s of servers) t.ok(await waitFor(s, '/health/ready'), s.output())
  const pairs: Array<{ quoteId: string, optionId: string }> = []
  while (pairs.length < 20) {
    const quote = await createQuote(app, headers, 'LN-TWO')
    for (const o of quote.options) if (pairs.length < 20) pairs.push({ quoteId: quote.id, optionId: o.id })
  }
  const post = async (i: number, body: unknown, key: string) => {
    const res = await fetch(`${servers[i % 2]!.baseUrl}/v1/plans`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) })
    return { status: res.status, body: await res.text(), replayed: res.headers.get('idempotent-replayed') }
  }
  const different = await Promise.all(pairs.map(async (body, i) => await post(i, body, `two-${i}`)))
  t.same(different.map((r) => r.status).sort(), [201, ...Array(19).fill(409)])
  const winner = JSON.parse(different.find((r) => r.status === 201)!.body).id
  await app.inject({ method: 'POST', url: `/v1/plans/${winner}/cancel`, headers, payload: { reason: 'next' } })

  const same = await Promise.all(Array.from({ length: 20 }, async (_, i) => await post(i, pairs[0], 'two-same')))
  const created = same.filter((r) => r.status === 201)
  t.equal(created.length + same.filter((r) => r.status === 409).length, 20)
  t.equal(new Set(created.map((r) => r.body)).size, 1, 'byte-identical across processes')
  const { rows } = await pool.query("SELECT count(*)::int AS n FROM plans WHERE tenant_id = $1 AND loan_id = 'LN-TWO' AND status = 'active'", [tenantId])
  t.equal(rows[0].n, 1)
  for (const s of servers) t.equal(await s.stop(), 0)
})

t.test('a duplicate that outlasts the lock timeout gets 409 in-flight with Retry-After, then goes through', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t, { env: { PG_LOCK_TIMEOUT_MS: '200' } })
  const { headers, tenantId } = await tenant()
  const quote = await createQuote(app, headers, 'LN-SLOW')
  const body = { quoteId: quote.id, optionId: 'settlement' }
  const { requestHash } = await import('../../src/services/plans.js')
  // Another worker holds the key in an open transaction.
  const holder = await pool.connect()
  await holder.query('BEGIN')
  await holder.query("INSERT INTO idempotency_keys (tenant_id, key, request_hash, outcome, response_body) VALUES ($1, $2, $3, 'unknown-option', '{}')", [tenantId, 'slow', requestHash(body)])
  const blocked = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'slow' }, payload: body })
  t.equal(blocked.statusCode, 409)
  t.equal(blocked.headers['retry-after'], '1')
  t.match(blocked.json(), { type: '/problems/idempotency-key-in-flight' })
  await holder.query('ROLLBACK')
  holder.release()
  const retried = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'slow' }, payload: body })
  t.equal(retried.statusCode, 201, 'the holder gave up, so the retry executes')
})
