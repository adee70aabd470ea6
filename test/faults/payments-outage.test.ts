import { randomUUID } from 'node:crypto'
import pg from 'pg'
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { ServicingService, lifecycleOf } from '../../src/services/servicing.js'
import { buildTestApp } from '../helpers/app.js'
import { settableClock } from '../helpers/clock.js'
import { startCluster } from '../helpers/cluster.js'
import { createQuote } from '../helpers/quotes.js'
import { eventually } from '../helpers/eventually.js'
import { DELIVERING_ENV, createEndpoint, receiver } from '../helpers/webhooks.js'

const STREAM = 40
const AMOUNT = '25.00'

/**
 * A plan on a throwaway cluster the test may stop or whose connections it may kill, and a stream
 * of payments against it: four clients posting distinct references, one after another each.
 */
async function setup (t: Test, env: Record<string, string>) {
  const cluster = await startCluster()
  t.teardown(cluster.destroy)
  const clock = settableClock()
  const { app, pool, tenant } = await buildTestApp(t, { env: { RATE_LIMIT_PER_MINUTE: '1000000', ...DELIVERING_ENV, ...env }, database: { url: cluster.url, name: 'faults' }, clock })
  const { tenantId, headers } = await tenant('faults')
  // A lender system listening: every payment event must reach it, outage or not.
  const hooks = await receiver(t)
  await createEndpoint(app, headers, hooks.url, ['plan.payment_recorded'])
  const quote = await createQuote(app, headers, 'LN-PAY-OUTAGE', { balance: '3000.00', overdueDays: 20 })
  const accepted = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': randomUUID() }, payload: { quoteId: quote.id, optionId: 'installment-annuity-3' } })
  if (accepted.statusCode !== 201) throw new Error(accepted.body)
  const plan = accepted.json() as { id: string, createdAt: string }
  const acceptedOn = new Date(Date.parse(plan.createdAt) + 8 * 3_600_000).toISOString().slice(0, 10)
  clock.at(acceptedOn)
  const body = (i: number) => ({ reference: `OUT-${i}`, amount: AMOUNT, receivedOn: acceptedOn, channel: 'bank-transfer' })
  const pay = async (i: number) => await app.inject({ method: 'POST', url: `/v1/plans/${plan.id}/payments`, headers, payload: body(i) })

  /** Runs the stream; `during(answered)` is called after each answer (to stop, start or kill on cue). */
  async function stream (during: (answered: number) => Promise<void>): Promise<LightMyRequestResponse[]> {
    const answers: LightMyRequestResponse[] = []
    let next = 0
    let answered = 0
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < STREAM) {
        const i = next++
        answers[i] = await pay(i)
        await during(++answered)
      }
    }))
    return answers
  }

  /** Every stored payment has exactly one payment_recorded event and every such event its payment. */
  async function outboxHolds (t: Test, what: string) {
    const { rows } = await pool.query<{ payments: number, events: number, matched: number }>(
      `SELECT (SELECT count(*)::int FROM payments WHERE tenant_id = $1 AND plan_id = $2) AS payments,
              (SELECT count(*)::int FROM events WHERE tenant_id = $1 AND plan_id = $2 AND type = 'plan.payment_recorded') AS events,
              (SELECT count(DISTINCT y.payment_id)::int FROM payments y JOIN events e ON e.tenant_id = y.tenant_id AND e.plan_id = y.plan_id
                 AND e.type = 'plan.payment_recorded' AND (e.data -> 'payment' ->> 'id')::uuid = y.payment_id
               WHERE y.tenant_id = $1 AND y.plan_id = $2) AS matched`, [tenantId, plan.id])
    const { payments, events, matched } = rows[0]!
    t.same([events, matched], [payments, payments], `${what}: ${payments} payments, each with its one event, and no event without its payment`)
  }

  /** The invariants once the database is back: one row per reference, each with its answer, totals exact. */
  async function converges (t: Test, first: LightMyRequestResponse[]) {
    const codes = new Set(first.map((r) => r.statusCode))
    t.ok([...codes].every((c) => c === 201 || c === 503), `only 201 or 503 during the fault: ${[...codes].join(',')}`)
    for (const r of first.filter((r) => r.statusCode === 503)) {
      t.match(r.headers['content-type'], /^application\/problem\+json/)
      t.equal(r.headers['retry-after'], '1')
    }
    t.ok(first.some((r) => r.statusCode === 503), 'the fault was felt')

    // Before any retry: what is stored is whole. Each row carries the answer its client got (or
    // would have got), and the plan's persisted lifecycle is what evaluating it decides.
    const { rows: stored } = await pool.query<{ payment_id: string, reference: string, answer: string }>(
      'SELECT payment_id, reference, answer FROM payments WHERE tenant_id = $1 AND plan_id = $2', [tenantId, plan.id])
    for (const row of stored) {
      const answer = JSON.parse(row.answer) as { payment: { id: string, reference: string, amount: string } }
      if (answer.payment.id !== row.payment_id || answer.payment.reference !== row.reference || answer.payment.amount !== AMOUNT) t.fail(`row ${row.reference} lacks its answer`)
    }
    for (const [i, r] of first.entries()) {
      if (r.statusCode !== 201) continue
      const row = stored.find((s) => s.reference === `OUT-${i}`)
      if (row?.answer !== r.body) t.fail(`OUT-${i}: answered 201 but its row ${row === undefined ? 'is missing' : 'differs'}`)
    }
    t.ok(stored.length >= first.filter((r) => r.statusCode === 201).length, `${stored.length} rows stored during the fault`)
    const lifecycle = async () => {
      const servicing = new ServicingService(pool, clock)
      const { plan: serviced, state } = await servicing.evaluate(pool, tenantId, plan.id)
      const { rows: [persisted] } = await pool.query(
        `SELECT status, to_char(completed_on, 'YYYY-MM-DD') AS "completedOn", to_char(broken_on, 'YYYY-MM-DD') AS "brokenOn",
           to_char(next_check_on, 'YYYY-MM-DD') AS "nextCheckOn", missed_installments AS missed FROM plans WHERE tenant_id = $1 AND plan_id = $2`, [tenantId, plan.id])
      const evaluated = lifecycleOf(state, serviced.rules)
      return { persisted, evaluated }
    }
    // Status and its dates exactly; the next check no later than the evaluation's (a plan no payment
    // has touched yet keeps its acceptance's, its first sweep), so the sweep cannot miss a change.
    const agrees = (t: Test, l: Awaited<ReturnType<typeof lifecycle>>, what: string) => {
      const { nextCheckOn, ...decided } = l.persisted
      const { nextCheckOn: due, ...evaluated } = l.evaluated
      t.same(decided, evaluated, `${what}: the persisted status agrees with evaluating the stored payments`)
      t.ok(due === null ? nextCheckOn === null : nextCheckOn !== null && nextCheckOn <= due, `${what}: next check ${String(nextCheckOn)}, evaluated ${String(due)}`)
    }
    agrees(t, await lifecycle(), 'after the fault')
    await outboxHolds(t, 'after the fault')

    // Clients retry every reference with the same body until each gets its answer.
    const final: LightMyRequestResponse[] = []
    for (let i = 0; i < STREAM; i++) {
      let res = await pay(i)
      for (let attempt = 0; attempt < 20 && res.statusCode === 503; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        res = await pay(i)
      }
      final.push(res)
    }
    t.same(final.map((r) => r.statusCode), Array(STREAM).fill(201), 'every reference converges to 201')
    for (const [i, r] of first.entries()) {
      if (r.statusCode === 201 && final[i]!.body !== r.body) t.fail(`OUT-${i}: the retry's answer differs from the first`)
    }
    const { rows: per } = await pool.query<{ reference: string, n: number }>(
      'SELECT reference, count(*)::int AS n FROM payments WHERE tenant_id = $1 AND plan_id = $2 GROUP BY reference ORDER BY reference', [tenantId, plan.id])
    t.equal(per.length, STREAM, 'one row per reference')
    t.ok(per.every((r) => r.n === 1), 'each reference booked once')
    const { rows: [sum] } = await pool.query('SELECT sum(amount)::text AS total FROM payments WHERE tenant_id = $1 AND plan_id = $2 AND reversed_at IS NULL', [tenantId, plan.id])
    const read = (await app.inject({ method: 'GET', url: `/v1/plans/${plan.id}`, headers })).json()
    t.equal(Number(sum.total).toFixed(2), (STREAM * Number(AMOUNT)).toFixed(2), 'the stored payments add up to the stream')
    t.equal(read.paidTotal, (STREAM * Number(AMOUNT)).toFixed(2), "the plan's paidTotal is the sum of its payments")
    const settled = await lifecycle()
    t.same(settled.persisted, settled.evaluated, 'after the retries, the persisted lifecycle is exactly the evaluation')
    t.equal(read.status, settled.persisted.status)
    await outboxHolds(t, 'after the retries')
    const delivered = await eventually(async () => new Set(hooks.received.map((r) => r.id)).size >= STREAM, 20000)
    const { rows: ids } = await pool.query<{ id: string }>("SELECT event_id::text AS id FROM events WHERE tenant_id = $1 AND type = 'plan.payment_recorded' ORDER BY seq", [tenantId])
    t.ok(delivered, `every payment event reached the receiver (${new Set(hooks.received.map((r) => r.id)).size} of ${ids.length})`)
    t.same([...new Set(hooks.received.map((r) => r.id))].sort(), ids.map((r) => r.id).sort(), 'exactly the committed events: none lost, none invented')
  }
  return { cluster, pool, stream, converges }
}

t.test('database stopped and started mid-stream of payments: 201 or 503, nothing half-written, retries converge, every event delivered', async (t) => {
  const { cluster, stream, converges } = await setup(t, { PG_CONNECTION_TIMEOUT_MS: '1000' })
  let stopped = false
  let restarted = false
  let stoppedAt = 0
  const first = await stream(async (answered) => {
    if (!stopped && answered >= 8) {
      stopped = true
      stoppedAt = answered
      await cluster.stop('immediate')
    } else if (stopped && !restarted && answered >= stoppedAt + 12) {
      restarted = true
      await cluster.start()
    }
  })
  if (!restarted) await cluster.start()
  t.ok(stopped, 'the database was stopped mid-stream')
  await converges(t, first)
})

t.test('the pool\'s connections terminated by the server mid-stream of payments: same invariants', async (t) => {
  const { cluster, stream, converges } = await setup(t, { PG_POOL_MAX: '10' })
  const killer = new pg.Client({ connectionString: cluster.url, application_name: 'killer' })
  await killer.connect()
  let killed = 0
  // After every third answer, the server terminates the service's backends that are busy: the
  // other clients' payments die mid-transaction, the ones in between get through.
  const first = await stream(async (answered) => {
    if (answered % 3 !== 0) return
    const { rowCount } = await killer.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'repayment-plans' AND state <> 'idle' AND pid <> pg_backend_pid()")
    killed += rowCount ?? 0
  })
  await killer.end()
  t.ok(killed > 0, `terminated ${killed} backends`)
  await converges(t, first)
})
