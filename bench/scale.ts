// `npm run bench:scale`: do GET /v1/plans/{id} and GET /v1/plans?loanId= stay within 20 % of
// their empty-database latency once 1,000,000 plans and their installments are loaded for the
// same tenant? See bench/README.md.
import { bulkLoanId, bulkPlanId, bulkSql } from './lib/bulk.js'
import { benchDatabase, execute, query } from './lib/database.js'
import type { LoadResult } from './lib/load-types.js'
import { rng } from './lib/loans.js'
import { getPlans, postPlans, postQuotes, quoteBodies, type Target } from './lib/phases.js'
import { rssMiB } from './lib/proc.js'
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
  metric(`${name}_p99`, r.p99, 'ms')
  if (r.errors + r.non2xx > 0 || r.completed === 0) {
    errors += r.errors + r.non2xx + (r.completed === 0 ? 1 : 0)
    fail(`${name}: ${r.errors} errors/timeouts, ${r.non2xx} non-2xx of ${r.completed}, status ${JSON.stringify(Object.keys(r.statusCounts))}`)
  }
  return r
}

async function measure (label: string, common: Target, ids: string[], loans: string[]): Promise<{ get: LoadResult, list: LoadResult }> {
  const byId = { ...common, plans: ids }
  const byLoan = { ...common, plans: loans, pathFor: byLoanPath }
  if (cfg.warmup > 0) { await getPlans({ ...byId, seconds: cfg.warmup }); await getPlans({ ...byLoan, seconds: cfg.warmup }) }
  return {
    get: record(`${label}_get_plan`, await getPlans({ ...byId, seconds: cfg.seconds })),
    list: record(`${label}_list_by_loan`, await getPlans({ ...byLoan, seconds: cfg.seconds }))
  }
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
  const ids = probeRows.map((r) => r.plan_id)
  const loans = probeRows.map((r) => r.loan_id)
  metric('probe_plans', ids.length, 'plans')
  // The first read phase would otherwise also pay for JIT warm-up: run both reads once, unmeasured.
  await getPlans({ ...common, plans: ids, seconds: Math.max(2, cfg.warmup) })
  await getPlans({ ...common, plans: loans, pathFor: byLoanPath, seconds: Math.max(2, cfg.warmup) })
  const empty = await measure('empty', common, ids, loans)

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
  await execute(db.url, 'VACUUM (ANALYZE) quotes, plans, plan_installments')
  await execute(db.url, 'CHECKPOINT')
  metric('bulk_load_seconds', (performance.now() - started) / 1000, 's')
  const [counts] = await query<{ plans: string, installments: string, mib: string }>(db.url, `SELECT
    (SELECT count(*) FROM plans WHERE tenant_id = '${tenant.tenantId}') AS plans,
    (SELECT count(*) FROM plan_installments WHERE tenant_id = '${tenant.tenantId}') AS installments,
    pg_database_size(current_database()) / 1048576 AS mib`)
  metric('loaded_plans', Number(counts?.plans), 'plans')
  metric('loaded_installments', Number(counts?.installments), 'rows')
  metric('database_size', Number(counts?.mib), 'MiB')

  // The same probes on the loaded database, and (for information) bulk plans and loans at random.
  const loaded = await measure('loaded', common, ids, loans)
  const r = rng(99)
  const sample = Array.from({ length: 5000 }, () => Math.floor(r() * cfg.plans))
  await measure('loaded_bulk', common, sample.map(bulkPlanId), sample.map(bulkLoanId))
  metric('server_rss_end', await rssMiB(svc.pid), 'MiB')
  await svc.stop()

  target('get_plan_latency_loaded_vs_empty', loaded.get.mean / empty.get.mean, 1.2, 'x mean', '<=')
  target('list_by_loan_latency_loaded_vs_empty', loaded.list.mean / empty.list.mean, 1.2, 'x mean', '<=')
  metric('get_plan_p99_loaded_vs_empty', loaded.get.p99 / empty.get.p99, 'x')
  metric('list_by_loan_p99_loaded_vs_empty', loaded.list.p99 / empty.list.p99, 'x')
  summary(`scale: ${cfg.plans} plans, ${cfg.seconds} s per phase, ${cfg.connections} connections`)
  if (errors > 0) fail(`${errors} failed or non-2xx requests: the figures above are not valid`)
  return errors
}

if (isMain(import.meta.url)) await runAsMain(main)
