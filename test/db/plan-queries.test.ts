import t from 'tap'
import type { Queryable } from '../../src/db/pool.js'
import { findPlanWithSchedule, listPlans } from '../../src/db/plans-repository.js'
import { findQuote } from '../../src/db/quotes-repository.js'
import { buildTestApp } from '../helpers/app.js'
import { createQuote } from '../helpers/quotes.js'

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

function nodes (plan: unknown): Array<{ 'Node Type': string, 'Relation Name'?: string, 'Index Name'?: string }> {
  const out: Array<{ 'Node Type': string }> = []
  const walk = (n: any) => { out.push(n); for (const child of n.Plans ?? []) walk(child) }
  walk((plan as any)[0].Plan)
  return out as any
}

t.test('reading plans uses indexes, never a sequential scan, on a loaded table', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t)
  const { headers, tenantId } = await tenant()
  const quote = await createQuote(app, headers, 'LN-SEED')
  // Seeding 200,000 installments checks a foreign key per row: on a slow machine that outlasts
  // the service's statement_timeout, which is not what this test is about.
  const seed = await pool.connect()
  t.teardown(() => { seed.release() })
  await seed.query('SET statement_timeout = 0')
  // 50,000 plans over 25,000 loans (one quote each), with installments, so the planner has a real choice.
  await seed.query(`INSERT INTO quotes (tenant_id, quote_id, loan_id, policy_name, policy_version, currency, created_at, expires_at, body, options)
    SELECT $1, gen_random_uuid(), 'LN-' || g, 'standard', 1, 'CNY', now(), now() + interval '7 days', '{}', '[]' FROM generate_series(0, 24999) g`, [tenantId])
  await seed.query(`
    INSERT INTO plans (tenant_id, loan_id, quote_id, option_id, option_type, status, currency, amount_financed, total_repayable,
      total_interest, penalty_waived, discount, capitalized_interest, max_payment, apr, policy_name, policy_version, created_at, cancelled_at)
    SELECT $1, q.loan_id, q.quote_id, 'settlement', 'settlement', CASE WHEN k = 0 THEN 'active' ELSE 'cancelled' END, 'CNY',
      100, 100, 0, 0, 0, 0, 100, '0.0000', 'standard', 1, now() - (k * 25000 + substr(q.loan_id, 4)::int) * interval '1 second',
      CASE WHEN k = 0 THEN NULL ELSE now() END
    FROM quotes q CROSS JOIN generate_series(0, 1) k WHERE q.tenant_id = $1 AND q.loan_id <> 'LN-SEED'`, [tenantId])
  await seed.query(`INSERT INTO plan_installments (tenant_id, plan_id, number, due_date, payment, principal, interest, balance)
    SELECT tenant_id, plan_id, n, current_date + n * 30, 10, 10, 0, 0 FROM plans, generate_series(1, 4) n WHERE tenant_id = $1`, [tenantId])
  await seed.query('ANALYZE plans; ANALYZE plan_installments; ANALYZE quotes')
  await seed.query('RESET statement_timeout')
  const { rows: [some] } = await pool.query("SELECT plan_id FROM plans WHERE loan_id = 'LN-7' LIMIT 1")

  const cases: Array<[string, (db: Queryable) => Promise<unknown>]> = [
    ['GET /v1/plans/{id} with its schedule', async (db) => await findPlanWithSchedule(db, tenantId, some.plan_id)],
    ['the list by loan', async (db) => await listPlans(db, tenantId, { loanId: 'LN-7', limit: 21 })],
    ['the list by loan and status', async (db) => await listPlans(db, tenantId, { loanId: 'LN-7', status: 'active', limit: 21 })],
    ['the newest plans', async (db) => await listPlans(db, tenantId, { limit: 21 })],
    ['the newest active plans', async (db) => await listPlans(db, tenantId, { status: 'active', limit: 21 })],
    ['a later page', async (db) => await listPlans(db, tenantId, { limit: 21, after: { createdAt: new Date(Date.now() - 3600_000).toISOString().replace('Z', '000Z'), planId: some.plan_id } })],
    ['GET /v1/quotes/{id}', async (db) => await findQuote(db, tenantId, quote.id)]
  ]
  for (const [name, run] of cases) {
    const plans: unknown[] = []
    await run(explaining(pool, plans))
    const scanned = plans.flatMap(nodes)
    t.notOk(scanned.some((n) => n['Node Type'] === 'Seq Scan'), `${name}: no sequential scan (${scanned.map((n) => n['Index Name'] ?? n['Node Type']).join(' > ')})`)
    t.ok(scanned.some((n) => n['Index Name'] !== undefined), `${name}: uses an index`)
  }
})
