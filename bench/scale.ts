// `npm run bench:scale`: do GET /v1/plans/{id} (with its servicing state), GET /v1/plans?loanId=
// and POST /v1/plans/{id}/payments stay within 20 % of their empty-database latency once
// 1,000,000 plans, their installments and 5,000,000 payments are loaded for the same tenant? And
// how long does the sweep of every active plan take for one date, and a second one of the same
// date? See bench/README.md.
import { bulkLoanId, bulkPaymentsDone, bulkPaymentsSql, bulkPlanId, bulkSql } from './lib/bulk.js'
import { benchDatabase, execute, query } from './lib/database.js'
import { load } from './lib/load.js'
import type { LoadResult } from './lib/load-types.js'
import { rng } from './lib/loans.js'
import { getPlans, postPlans, postQuotes, quoteBodies, type Target } from './lib/phases.js'
import { rssMiB, run } from './lib/proc.js'
import { ROOT } from './lib/root.js'
import { fail, metric, summary, target } from './lib/report.js'
import { isMain, runAsMain } from './lib/runner.js'
import { prepareDatabase, startService } from './lib/service.js'

const env = process.env
const cfg = {
  plans: Number(env.BENCH_SCALE_PLANS ?? 1_000_000),
  chunk: Number(env.BENCH_SCALE_CHUNK ?? 100_000),
  // plans made over HTTP before the load: the ones measured both times
  probes: Number(env.BENCH_SCALE_PROBES ?? 500),
  seconds: Number(env.BENCH_SECONDS ?? 10),
  warmup: Number(env.BENCH_WARMUP_SECONDS ?? 2),
  connections: Number(env.BENCH_CONNECTIONS ?? 16)
}

// Room for ~11 M installment rows and their indexes; WAL sized so loading does not checkpoint-storm.
const SCALE_SETTINGS = { shared_buffers: '512MB', max_wal_size: '8GB', checkpoint_timeout: '30min', maintenance_work_mem: '512MB' }

const byLoanPath = (loanId: string) => `/v1/plans?loanId=${encodeURIComponent(loanId)}`

let errors = 0
function record (name: string, r: LoadResult): LoadResult {
  metric(`${name}_rps`, r.rps, 'req/s')
  metric(`${name}_mean`, r.mean, 'ms')
  metric(`${name}_p50`, r.p50, 'ms')
  metric(`${name}_p99`, r.p99, 'ms')
  if (r.errors + r.non2xx > 0 || r.completed === 0) {
    errors += r.errors + r.non2xx + (r.completed === 0 ? 1 : 0)
    fail(`${name}: ${r.errors} errors/timeouts, ${r.non2xx} non-2xx of ${r.completed}, status ${JSON.stringify(Object.keys(r.statusCounts))}`)
  }
  return r
}

// Small payments (1, valid in CNY and JPY alike: a probe plan owes far more than a run can post) with references never used
// before, received on the service's today, spread over the plans in turn.
let paymentNo = 0
async function postPayments ({ base, auth, connections, seconds, plans, receivedOn }: Target & { seconds: number, plans: string[], receivedOn: string }): Promise<LoadResult> {
  return await load({
    url: base,
    method: 'POST',
    connections,
    seconds,
    headers: { 'content-type': 'application/json', ...auth },
    next: () => {
      const n = paymentNo++
      return { path: `/v1/plans/${plans[n % plans.length] ?? ''}/payments`, body: JSON.stringify({ reference: `BENCH-${n}`, amount: '1', receivedOn }) }
    }
  })
}

interface Probes { ids: string[], loans: string[], payees: string[], receivedOn: string }

async function measure (label: string, common: Target, probes: Probes, warmup = cfg.warmup): Promise<{ get: LoadResult, list: LoadResult, pay: LoadResult | undefined }> {
  const byId = { ...common, plans: probes.ids }
  const byLoan = { ...common, plans: probes.loans, pathFor: byLoanPath }
  const pay = { ...common, plans: probes.payees, receivedOn: probes.receivedOn }
  if (warmup > 0) {
    await getPlans({ ...byId, seconds: warmup })
    await getPlans({ ...byLoan, seconds: warmup })
    if (probes.payees.length > 0) await postPayments({ ...pay, seconds: warmup })
  }
  return {
    get: record(`${label}_get_plan`, await getPlans({ ...byId, seconds: cfg.seconds })),
    list: record(`${label}_list_by_loan`, await getPlans({ ...byLoan, seconds: cfg.seconds })),
    pay: probes.payees.length === 0 ? undefined : record(`${label}_post_payment`, await postPayments({ ...pay, seconds: cfg.seconds }))
  }
}

/** `npm run sweep -- --as-of` as cron runs it (the compiled CLI), timed. */
async function sweepOnce (url: string, asOf: string): Promise<{ seconds: number, examined: number, changed: number }> {
  const started = performance.now()
  const out = await run(process.execPath, ['dist/cli/sweep.js', '--as-of', asOf], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' } })
  const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { ran: boolean, examined: number, changed: number }
  if (!result.ran) throw new Error(`the sweep did not run: ${out}`)
  return { seconds: (performance.now() - started) / 1000, examined: result.examined, changed: result.changed }
}

export async function main (): Promise<number> {
  const db = await benchDatabase({ settings: SCALE_SETTINGS })
  const tenant = await prepareDatabase(db.url, `bench-scale-${Date.now()}`)
  const auth = { authorization: `Bearer ${tenant.apiKey}` }
  const svc = await startService(db.url)
  const common = { base: svc.base, auth, connections: cfg.connections }

  // Probe plans through the API, then read them on the empty database.
  const quotes: string[] = []
  await postQuotes({ ...common, seconds: 120, max: cfg.probes + cfg.connections, body: quoteBodies('P'), quotes })
  const made: string[] = []
  record('probe_accept', await postPlans({ ...common, seconds: 120, quotes, plans: made }))
  const probeRows = await query<{ plan_id: string, loan_id: string }>(db.url, `SELECT plan_id, loan_id FROM plans WHERE tenant_id = '${tenant.tenantId}'`)
  // Half the probes are read: the reads see the same plans (with no payments) on the empty and the
  // loaded database. The other half take the payments, a fresh third for each of the warm-up, the
  // empty and the loaded phase: a payment replays its plan's earlier payments, so a phase must not
  // inherit another's (its plans would carry more, and the ratio would measure that, not the load).
  const half = Math.floor(probeRows.length / 2)
  const sixth = Math.floor(probeRows.length / 6)
  const ids = probeRows.slice(0, half).map((r) => r.plan_id)
  const loans = probeRows.slice(0, half).map((r) => r.loan_id)
  const [warmupPayees, payees, loadedPayees] = [0, 1, 2].map((k) => probeRows.slice(half + k * sixth, half + (k + 1) * sixth).map((r) => r.plan_id))
  metric('probe_plans', probeRows.length, 'plans')
  const today = await fetch(`${svc.base}/v1/plans/${ids[0] ?? ''}`, { headers: auth }).then(async (r) => await r.json() as { asOf?: string })
  if (typeof today.asOf !== 'string') throw new Error(`a plan read has no asOf: ${JSON.stringify(today)}`)
  const probes = { ids, loans, payees: payees ?? [], receivedOn: today.asOf }
  // The first phases would otherwise also pay for JIT warm-up: run them once, unmeasured.
  await measure('warmup', common, { ...probes, payees: warmupPayees ?? [] }, 0)
  const empty = await measure('empty', common, probes)

  // Bulk load in chunks (each its own transaction), then make the planner and visibility map current.
  const started = performance.now()
  const [role] = await query<{ rolsuper: boolean }>(db.url, 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user')
  const superuser = role?.rolsuper === true
  for (let from = 0; from < cfg.plans; from += cfg.chunk) {
    const to = Math.min(cfg.plans, from + cfg.chunk) - 1
    const sql = bulkSql(tenant.tenantId, from, to)
    await execute(db.url, superuser ? sql : sql.replace(/^SET session_replication_role.*$/m, ''))
    process.stdout.write(`loaded ${to + 1} plans, ${((performance.now() - started) / 1000).toFixed(0)} s\n`)
  }
  metric('bulk_load_plans_seconds', (performance.now() - started) / 1000, 's')
  const paymentsStarted = performance.now()
  for (let from = 0; from < cfg.plans; from += cfg.chunk) {
    const to = Math.min(cfg.plans, from + cfg.chunk) - 1
    const sql = bulkPaymentsSql(tenant.tenantId, from, to)
    await execute(db.url, superuser ? sql : sql.replace(/^SET session_replication_role.*$/m, ''))
    process.stdout.write(`loaded the payments of ${to + 1} plans, ${((performance.now() - started) / 1000).toFixed(0)} s\n`)
  }
  await execute(db.url, bulkPaymentsDone)
  metric('bulk_load_payments_seconds', (performance.now() - paymentsStarted) / 1000, 's')
  await execute(db.url, 'VACUUM (ANALYZE) quotes, plans, plan_installments, payments')
  await execute(db.url, 'CHECKPOINT')
  metric('bulk_load_seconds', (performance.now() - started) / 1000, 's')
  const [counts] = await query<{ plans: string, active: string, installments: string, payments: string, mib: string }>(db.url, `SELECT
    (SELECT count(*) FROM plans WHERE tenant_id = '${tenant.tenantId}') AS plans,
    (SELECT count(*) FROM plans WHERE tenant_id = '${tenant.tenantId}' AND status = 'active') AS active,
    (SELECT count(*) FROM plan_installments WHERE tenant_id = '${tenant.tenantId}') AS installments,
    (SELECT count(*) FROM payments WHERE tenant_id = '${tenant.tenantId}') AS payments,
    pg_database_size(current_database()) / 1048576 AS mib`)
  metric('loaded_plans', Number(counts?.plans), 'plans')
  metric('loaded_active_plans', Number(counts?.active), 'plans')
  metric('loaded_installments', Number(counts?.installments), 'rows')
  metric('loaded_payments', Number(counts?.payments), 'rows')
  metric('database_size', Number(counts?.mib), 'MiB')

  // The same probes on the loaded database, and (for information) bulk plans and loans at random.
  const loaded = await measure('loaded', common, { ...probes, payees: loadedPayees ?? [] })
  const r = rng(99)
  const sample = Array.from({ length: 5000 }, () => Math.floor(r() * cfg.plans))
  await measure('loaded_bulk', common, { ids: sample.map(bulkPlanId), loans: sample.map(bulkLoanId), payees: [], receivedOn: probes.receivedOn })
  metric('server_rss_end', await rssMiB(svc.pid), 'MiB')
  await svc.stop()

  // The sweep of every active plan for the service's today (all are due: a bulk plan's first check
  // is its acceptance day), alone on the machine; then the same date again, which must find nothing.
  const first = await sweepOnce(db.url, probes.receivedOn)
  metric('sweep_seconds', first.seconds, 's')
  metric('sweep_examined', first.examined, 'plans')
  metric('sweep_changed', first.changed, 'plans')
  metric('sweep_plans_per_second', first.examined / first.seconds, 'plans/s')
  const again = await sweepOnce(db.url, probes.receivedOn)
  metric('sweep_again_seconds', again.seconds, 's')
  target('sweep_again_examined', again.examined, 0, 'plans', '<=')
  // Per active plan, what 1,000,000 active plans would take at this pace.
  target('sweep_seconds_per_1m_active', first.seconds / Math.max(1, first.examined) * 1_000_000, 300, 's', '<=')

  target('get_plan_latency_loaded_vs_empty', loaded.get.mean / empty.get.mean, 1.2, 'x mean', '<=')
  target('list_by_loan_latency_loaded_vs_empty', loaded.list.mean / empty.list.mean, 1.2, 'x mean', '<=')
  metric('get_plan_p99_loaded_vs_empty', loaded.get.p99 / empty.get.p99, 'x')
  metric('list_by_loan_p99_loaded_vs_empty', loaded.list.p99 / empty.list.p99, 'x')
  if (loaded.pay !== undefined && empty.pay !== undefined) {
    target('post_payment_latency_loaded_vs_empty', loaded.pay.mean / empty.pay.mean, 1.2, 'x mean', '<=')
    metric('post_payment_p50_loaded_vs_empty', loaded.pay.p50 / empty.pay.p50, 'x')
    metric('post_payment_p99_loaded_vs_empty', loaded.pay.p99 / empty.pay.p99, 'x')
  }
  metric('get_plan_p50_loaded_vs_empty', loaded.get.p50 / empty.get.p50, 'x')
  summary(`scale: ${cfg.plans} plans, ${cfg.seconds} s per phase, ${cfg.connections} connections`)
  if (errors > 0) fail(`${errors} failed or non-2xx requests: the figures above are not valid`)
  return errors
}

if (isMain(import.meta.url)) await runAsMain(main)
