import t from 'tap'
import type { Queryable } from '../../src/db/pool.js'
import { listPayments, lockPlansForCheck, paymentById, paymentByReference, planPayments, servicedPlan } from '../../src/db/payments-repository.js'
import { listEvents } from '../../src/db/events-repository.js'
import { buildTestApp } from '../helpers/app.js'

/** Runs the repository's own SQL under EXPLAIN and collects the plan nodes. */
function explaining (db: Queryable, plans: unknown[]): Queryable {
  return {
    query: (async (textOrConfig: string | { text: string, values?: unknown[] }, values?: unknown[]) => {
      // Named statements come as a config object; EXPLAIN runs their text unnamed.
      const q = typeof textOrConfig === 'string' ? { text: textOrConfig, values } : textOrConfig
      const result = await db.query(`EXPLAIN (FORMAT JSON) ${q.text}`, q.values)
      plans.push((result.rows[0] as { 'QUERY PLAN': unknown })['QUERY PLAN'])
      return { rows: [], rowCount: 0 }
    }) as unknown as Queryable['query']
  }
}

interface PlanNode { 'Node Type': string, 'Relation Name'?: string, 'Index Name'?: string, 'Index Cond'?: string, Plans?: PlanNode[] }

function nodes (plan: unknown): PlanNode[] {
  const out: PlanNode[] = []
  const walk = (n: PlanNode) => { out.push(n); for (const child of n.Plans ?? []) walk(child) }
  walk((plan as Array<{ Plan: PlanNode }>)[0]!.Plan)
  return out
}

t.test('servicing and the event feed read payments, plans and events by index, never by a sequential scan, on loaded tables', async (t) => {
  const { tenant, pool } = await buildTestApp(t)
  const { tenantId } = await tenant()
  const other = await tenant()
  // Seeding checks a foreign key per row: on a slow machine that outlasts the service's
  // statement_timeout, which is not what this test is about.
  const seed = await pool.connect()
  t.teardown(() => { seed.release() })
  await seed.query('SET statement_timeout = 0')
  // For each of two tenants: 20,000 plans (three in four active, each due for a check on one of
  // 200 days) with four installments, and 100,000 payments (five per plan, one in ten reversed),
  // so the planner has a real choice between the indexes and the table.
  for (const id of [tenantId, other.tenantId]) {
    await seed.query(`INSERT INTO quotes (tenant_id, quote_id, loan_id, policy_name, policy_version, currency, created_at, expires_at, body, options)
      SELECT $1, gen_random_uuid(), 'LN-' || g, 'standard', 1, 'CNY', now(), now() + interval '7 days', '{}', '[]' FROM generate_series(0, 19999) g`, [id])
    await seed.query(`
      INSERT INTO plans (tenant_id, loan_id, quote_id, option_id, option_type, status, currency, amount_financed, total_repayable,
        total_interest, penalty_waived, discount, capitalized_interest, max_payment, apr, policy_name, policy_version, created_at, cancelled_at, next_check_on)
      SELECT $1, q.loan_id, q.quote_id, 'settlement', 'settlement', CASE WHEN n % 4 = 0 THEN 'cancelled' ELSE 'active' END, 'CNY',
        100, 100, 0, 0, 0, 0, 100, '0.0000', 'standard', 1, now() - n * interval '1 second',
        CASE WHEN n % 4 = 0 THEN now() END, CASE WHEN n % 4 = 0 THEN NULL ELSE DATE '2027-01-01' + n % 200 END
      FROM quotes q, LATERAL (SELECT substr(q.loan_id, 4)::int AS n) AS k WHERE q.tenant_id = $1`, [id])
    await seed.query(`INSERT INTO plan_installments (tenant_id, plan_id, number, due_date, payment, principal, interest, balance)
      SELECT tenant_id, plan_id, n, DATE '2027-01-01' + n * 30, 25, 25, 0, 100 - n * 25 FROM plans, generate_series(1, 4) n WHERE tenant_id = $1`, [id])
    await seed.query(`INSERT INTO payments (tenant_id, payment_id, plan_id, reference, amount, received_on, request_hash, booked_seq, answer, reversed_at, reversal_answer)
      SELECT p.tenant_id, gen_random_uuid(), p.plan_id, 'REF-' || p.loan_id || '-' || k, 5, DATE '2027-01-01' + k, sha256(convert_to(p.plan_id::text || k, 'UTF8')),
        nextval('payments_booked_seq'), '{}', CASE WHEN k = 3 AND substr(p.loan_id, 4)::int % 2 = 0 THEN now() END,
        CASE WHEN k = 3 AND substr(p.loan_id, 4)::int % 2 = 0 THEN '{}' END
      FROM plans p, generate_series(1, 5) k WHERE p.tenant_id = $1`, [id])
    // Three events a plan, written by one transaction per thousand plans.
    for (let block = 0; block < 20; block++) {
      await seed.query(`INSERT INTO events (tenant_id, type, plan_id, data)
        SELECT tenant_id, 'plan.payment_recorded', plan_id, '{}' FROM plans, generate_series(1, 3)
        WHERE tenant_id = $1 AND substr(loan_id, 4)::int / 1000 = $2`, [id, block])
    }
  }
  await seed.query('ANALYZE plans; ANALYZE plan_installments; ANALYZE payments; ANALYZE quotes; ANALYZE events')
  await seed.query('RESET statement_timeout')
  const { rows: [some] } = await pool.query<{ planId: string, paymentId: string, bookedSeq: string }>(
    `SELECT p.plan_id AS "planId", y.payment_id AS "paymentId", y.booked_seq::text AS "bookedSeq" FROM plans p JOIN payments y USING (tenant_id, plan_id)
     WHERE p.tenant_id = $1 AND p.loan_id = 'LN-7' ORDER BY y.booked_seq LIMIT 1`, [tenantId])
  if (some === undefined) throw new Error('nothing seeded')

  const { rows: [middle] } = await pool.query<{ txId: string, seq: string }>(
    'SELECT tx_id::text AS "txId", seq::text AS seq FROM events WHERE tenant_id = $1 ORDER BY tx_id, seq OFFSET 30000 LIMIT 1', [tenantId])
  const cases: Array<[string, (db: Queryable) => Promise<unknown>]> = [
    ['GET /v1/events, first page', async (db) => await listEvents(db, tenantId, undefined, undefined, 101)],
    ['GET /v1/events, after a cursor', async (db) => await listEvents(db, tenantId, middle, undefined, 101)],
    ['GET /v1/events of one type, after a cursor', async (db) => await listEvents(db, tenantId, middle, 'plan.broken', 101)],
    ['a payment by its reference (replay, conflict)', async (db) => await paymentByReference(db, tenantId, 'REF-LN-7-2')],
    ['a payment by its id', async (db) => await paymentById(db, tenantId, some.planId, some.paymentId)],
    ['a payment by its id, locked for a reversal', async (db) => await paymentById(db, tenantId, some.planId, some.paymentId, true)],
    ["a plan's payments (evaluation)", async (db) => await planPayments(db, tenantId, some.planId)],
    ["GET a plan's payments, first page", async (db) => await listPayments(db, tenantId, some.planId, 21, undefined)],
    ["GET a plan's payments, after a cursor", async (db) => await listPayments(db, tenantId, some.planId, 21, some.bookedSeq)],
    ['the plan and its schedule (GET /v1/plans/{id})', async (db) => await servicedPlan(db, tenantId, some.planId, false)],
    ['the plan and its schedule, locked (a payment, a reversal)', async (db) => await servicedPlan(db, tenantId, some.planId, true)],
    ["the sweep's first page for a date", async (db) => await lockPlansForCheck(db, tenantId, '2027-03-01', undefined, 500)],
    ["the sweep's next page", async (db) => await lockPlansForCheck(db, tenantId, '2027-03-01', { nextCheckOn: '2027-01-20', planId: some.planId }, 500)],
    ["the sweep's page for a date every active plan is due", async (db) => await lockPlansForCheck(db, tenantId, '2028-01-01', { nextCheckOn: '2027-05-01', planId: some.planId }, 500)]
  ]
  for (const [name, run] of cases) {
    const plans: unknown[] = []
    await run(explaining(pool, plans))
    const scanned = plans.flatMap(nodes)
    const seq = scanned.filter((n) => n['Node Type'] === 'Seq Scan' && ['plans', 'payments', 'plan_installments', 'events'].includes(n['Relation Name'] ?? ''))
    t.same(seq.map((n) => n['Relation Name']), [], `${name}: no sequential scan (${scanned.map((n) => n['Index Name'] ?? n['Node Type']).join(' > ')})`)
    t.ok(scanned.some((n) => n['Index Name'] !== undefined), `${name}: uses an index`)
    if (name.startsWith("the sweep's")) {
      // A page starts where the last ended: the cursor is a seek into the index, in its order, not
      // a filter over every plan checked before it (quadratic over a sweep of a million plans).
      const plansScan = scanned.find((n) => n['Relation Name'] === 'plans')
      t.match(plansScan?.['Index Cond'] ?? '', name.endsWith('for a date') ? /next_check_on/ : /ROW\(next_check_on, plan_id\) >/, `${name}: the cursor is an index condition (${plansScan?.['Index Cond'] ?? 'none'})`)
      t.notOk(scanned.some((n) => /Sort/.test(n['Node Type'])), `${name}: read in index order, no sort`)
    }
  }
})
