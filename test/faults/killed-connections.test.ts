import t from 'tap'
import pg from 'pg'
import { holdTableLock } from '../helpers/cluster.js'
import { faultApp } from '../helpers/fault-app.js'
import { createQuote } from '../helpers/quotes.js'

t.test('connections killed mid-transaction under a stream of accepts: nothing half-written, retries converge', async (t) => {
  const { cluster, app, pool, tenantId, headers } = await faultApp(t, { PG_POOL_MAX: '10', RATE_LIMIT_PER_MINUTE: '1000000' })
  const quotes: Array<Awaited<ReturnType<typeof createQuote>>> = []
  for (let i = 0; i < 60; i++) quotes.push(await createQuote(app, headers, `LN-K-${i}`))
  const accept = async (i: number) => await app.inject({
    method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': `kill-${i}` }, payload: { quoteId: quotes[i]!.id, optionId: quotes[i]!.recommendedOptionId }
  })

  // A killer session terminates the service's backends while the accepts stream in.
  const killer = new pg.Client({ connectionString: cluster.url, application_name: 'killer' })
  await killer.connect()
  let killing = true
  let killed = 0
  const killing$ = (async () => {
    // eslint-disable-next-line no-unmodified-loop-condition -- the test body clears it while this loop awaits
    while (killing) {
      const { rowCount } = await killer.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'repayment-plans' AND pid <> pg_backend_pid()")
      killed += rowCount ?? 0
      await new Promise((resolve) => setTimeout(resolve, 15))
    }
  })()
  const first = await Promise.all(quotes.map(async (_, i) => await accept(i)))
  killing = false
  await killing$
  await killer.end()
  t.ok(killed > 0, `terminated ${killed} backends`)
  const codes = new Set(first.map((r) => r.statusCode))
  t.ok([...codes].every((c) => c === 201 || c === 503), `only 201 or 503 while connections die: ${[...codes].join(',')}`)

  // Clients retry with the same keys until each gets its answer.
  const final = []
  for (let i = 0; i < quotes.length; i++) {
    let res = await accept(i)
    for (let attempt = 0; attempt < 10 && res.statusCode === 503; attempt++) res = await accept(i)
    final.push(res)
  }
  t.same(final.map((r) => r.statusCode), Array(quotes.length).fill(201), 'every key converges to its plan')

  const { rows: perLoan } = await pool.query("SELECT loan_id, count(*)::int AS n FROM plans WHERE tenant_id = $1 AND status = 'active' GROUP BY loan_id HAVING count(*) > 1", [tenantId])
  t.same(perLoan, [], 'no loan has two active plans')
  const { rows: plans } = await pool.query('SELECT count(*)::int AS n FROM plans WHERE tenant_id = $1', [tenantId])
  t.equal(plans[0].n, quotes.length, 'exactly one plan per key')
  const { rows: incomplete } = await pool.query(
    `SELECT p.plan_id FROM plans p
     LEFT JOIN idempotency_keys k ON k.tenant_id = p.tenant_id AND k.outcome = 'created' AND k.plan_id = p.plan_id
     WHERE p.tenant_id = $1 AND (k.key IS NULL OR (SELECT count(*) FROM plan_installments i WHERE i.tenant_id = p.tenant_id AND i.plan_id = p.plan_id) = 0)`, [tenantId])
  t.same(incomplete, [], 'every plan has its installments and its idempotency record')
  const bodies = final.map((r) => r.json())
  for (const [i, plan] of bodies.entries()) {
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM plan_installments WHERE tenant_id = $1 AND plan_id = $2', [tenantId, plan.id])
    if (rows[0].n !== quotes[i]!.options.find((o) => o.id === quotes[i]!.recommendedOptionId)!.schedule.length) t.fail(`plan ${plan.id} lacks installments`)
  }
})

t.test('a lock held elsewhere: 503 within the lock timeout, and the pool returns to baseline', async (t) => {
  const { cluster, app, pool, headers } = await faultApp(t, { PG_LOCK_TIMEOUT_MS: '300', PG_POOL_MAX: '5' })
  const quote = await createQuote(app, headers, 'LN-LOCK')
  const lock = await holdTableLock(cluster.url, 'plans')
  const started = Date.now()
  const results = await Promise.all(Array.from({ length: 8 }, async (_, i) => await app.inject({
    method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': `lock-${i}` }, payload: { quoteId: quote.id, optionId: 'settlement' }
  })))
  const elapsed = Date.now() - started
  t.same(results.map((r) => r.statusCode), Array(8).fill(503))
  t.ok(results.every((r) => r.headers['retry-after'] === '1'))
  t.ok(elapsed < 10000, `all answered in ${elapsed} ms (bounded by lock_timeout, not forever)`)
  await lock.release()
  t.equal(pool.waitingCount, 0, 'nobody waits for a connection')
  t.equal(pool.idleCount, pool.totalCount, 'every connection is back in the pool')
  const retried = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'lock-0' }, payload: { quoteId: quote.id, optionId: 'settlement' } })
  t.equal(retried.statusCode, 201, 'the failed attempt stored nothing under its key; the retry succeeds')
})
