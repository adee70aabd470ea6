// `npm run bench`: engine throughput, HTTP against the compiled service on a throwaway
// PostgreSQL, and the two ceilings (bare Fastify, pgbench) in one run. See bench/README.md.
import { fork } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { engineBench } from './engine.js'
import { onCleanup } from './lib/cleanup.js'
import { cpuMeter, processCpuMs, reapedCpuMs, treeCpuMs } from './lib/cpu.js'
import { benchDatabase, query, settleDatabase } from './lib/database.js'
import { jitterProbe } from './lib/jitter.js'
import type { LoadResult } from './lib/load-types.js'
import { pgbenchInsert } from './lib/pgbench.js'
import { getPlans, postPlans, postQuotes, quoteBodies } from './lib/phases.js'
import { pidOf, rssMiB, stopChild } from './lib/proc.js'
import { fail, metric, summary, target } from './lib/report.js'
import { isMain, runAsMain } from './lib/runner.js'
import { prepareDatabase, startService } from './lib/service.js'

const here = path.dirname(fileURLToPath(import.meta.url))

export interface Settings {
  seconds: number
  engineSeconds: number
  warmup: number
  connections: number
  planOption: string
  topupSeconds: number
}

export function settings (env = process.env): Settings {
  const seconds = Number(env.BENCH_SECONDS ?? 10)
  return {
    seconds,
    engineSeconds: Number(env.BENCH_ENGINE_SECONDS ?? Math.min(seconds, 5)),
    // a short JIT warm-up before each measured HTTP phase; none in a smoke run
    warmup: Number(env.BENCH_WARMUP_SECONDS ?? (seconds >= 3 ? 2 : 0)),
    connections: Number(env.BENCH_CONNECTIONS ?? 16),
    planOption: env.BENCH_PLAN_OPTION ?? 'settlement',
    // the longest the quote top-up for the plans phase may take
    topupSeconds: Number(env.BENCH_TOPUP_SECONDS ?? 90)
  }
}

export async function main (cfg = settings()): Promise<number> {
  let errors = 0
  const check = (name: string, r: LoadResult) => {
    metric(`${name}_rps`, r.rps, 'req/s')
    metric(`${name}_p50`, r.p50, 'ms')
    metric(`${name}_p99`, r.p99, 'ms')
    metric(`${name}_errors`, r.errors + r.non2xx, 'count')
    if (r.errors + r.non2xx > 0) {
      errors += r.errors + r.non2xx
      fail(`${name}: ${r.errors} errors/timeouts, ${r.non2xx} non-2xx, status ${JSON.stringify(Object.keys(r.statusCounts))}`)
    }
    if (r.completed === 0) { errors++; fail(`${name}: no request completed`) }
  }
  // CPU per request by process, and what the machine's cores could carry at that cost.
  const cpu = (name: string, meter: ReturnType<typeof cpuMeter>, requests: number) => {
    const { perRequest, machineBusy, cores } = meter.stop(requests)
    let sum = 0
    for (const [part, us] of Object.entries(perRequest)) { metric(`${name}_cpu_${part}`, us, 'us/req'); sum += us }
    metric(`${name}_machine_busy`, machineBusy * 100, `% of ${cores} cores`)
    if (sum > 0) metric(`${name}_cpu_bound`, cores * 1e6 / sum, 'req/s')
  }

  // How late a 1 ms timer in an otherwise idle process fired during a phase (lib/jitter.ts).
  const machineStalls = async (name: string, phase: () => Promise<LoadResult>) => {
    const probe = jitterProbe()
    await probe.ready
    const r = await phase()
    const j = await probe.stop()
    metric(`${name}_machine_stalls`, j.stalls, 'count')
    metric(`${name}_machine_stall_worst`, j.worstMs, 'ms')
    metric(`${name}_machine_stalled`, j.stalledMsPerS, 'ms/s')
    return r
  }

  // 1. Engine first, while nothing else competes for the core.
  const engine = engineBench({ seconds: cfg.engineSeconds, warmupSeconds: Math.min(1, cfg.engineSeconds) })
  metric('engine_quotes_per_s', engine.perSecond, 'quotes/s')

  // 2. The service on real PostgreSQL.
  const db = await benchDatabase()
  const tenant = await prepareDatabase(db.url, `bench-${Date.now()}`)
  const auth = { authorization: `Bearer ${tenant.apiKey}` }
  const svc = await startService(db.url)
  const pgPid = db.postmasterPid
  const postgresCpu = () => pgPid === undefined ? undefined : treeCpuMs(pgPid)
  const serviceMeter = () => cpuMeter({ server: () => processCpuMs(svc.pid), postgres: postgresCpu })
  const common = { base: svc.base, auth, connections: cfg.connections }
  metric('server_rss_start', await rssMiB(svc.pid), 'MiB')

  const body = quoteBodies('Q')
  const captured = await fetch(`${svc.base}/v1/quotes`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: body() })
  if (captured.status !== 201) throw new Error(`capturing a quote: ${captured.status} ${await captured.text()}`)
  const capturedText = await captured.text()
  metric('quote_response_bytes', Buffer.byteLength(capturedText), 'bytes')

  const quotes: string[] = []
  if (cfg.warmup > 0) await postQuotes({ ...common, seconds: cfg.warmup, body, quotes })
  await settleDatabase(db.url)
  // Measured phases leave the answers unread, as the bare ceiling's phase does: the quotes
  // to accept come from the warm-up and the top-up.
  let meter = serviceMeter()
  const q = await postQuotes({ ...common, seconds: cfg.seconds, body })
  check('http_quotes', q)
  cpu('http_quotes', meter, q.completed)
  // Latency at half the measured maximum: what a caller sees with headroom left.
  await settleDatabase(db.url)
  meter = serviceMeter()
  const qHalf = await machineStalls('http_quotes_half_load', async () => await postQuotes({ ...common, seconds: cfg.seconds, rate: q.rps / 2, body }))
  check('http_quotes_half_load', qHalf)
  cpu('http_quotes_half_load', meter, qHalf.completed)

  let planRate = q.rps
  if (cfg.warmup > 0) planRate = (await postPlans({ ...common, seconds: cfg.warmup, quotes: quotes.splice(0, Math.floor(quotes.length / 4)), optionId: cfg.planOption })).rps
  // Every acceptance needs its own unused quote: top up the pool for the measured phases.
  const need = Math.ceil(Math.max(planRate, q.rps) * cfg.seconds * 2) + cfg.connections * 2
  if (quotes.length < need) {
    const t = performance.now()
    const topup = await postQuotes({ ...common, seconds: cfg.topupSeconds, max: need - quotes.length, body, quotes })
    check('topup_quotes', topup)
    console.log(`note: pre-created ${topup.ok} more quotes in ${((performance.now() - t) / 1000).toFixed(1)} s for the plans phase`)
  }
  await settleDatabase(db.url)
  meter = serviceMeter()
  const p = await postPlans({ ...common, seconds: cfg.seconds, quotes, optionId: cfg.planOption })
  check('http_plans', p)
  cpu('http_plans', meter, p.completed)
  await settleDatabase(db.url)
  meter = serviceMeter()
  const pHalf = await machineStalls('http_plans_half_load', async () => await postPlans({ ...common, seconds: cfg.seconds, rate: p.rps / 2, quotes: quotes.slice(p.completed + cfg.connections), optionId: cfg.planOption }))
  check('http_plans_half_load', pHalf)
  cpu('http_plans_half_load', meter, pHalf.completed)
  if (p.completed >= quotes.length - cfg.connections) console.log(`note: the plans phase used up all ${quotes.length} pre-created quotes before its ${cfg.seconds} s`)

  const plans = (await query<{ plan_id: string }>(db.url, `SELECT plan_id FROM plans WHERE tenant_id = '${tenant.tenantId}'`)).map((r) => r.plan_id)
  if (cfg.warmup > 0) await getPlans({ ...common, seconds: cfg.warmup, plans })
  meter = serviceMeter()
  const g = await getPlans({ ...common, seconds: cfg.seconds, plans })
  check('http_get_plan', g)
  cpu('http_get_plan', meter, g.completed)
  metric('server_rss_end', await rssMiB(svc.pid), 'MiB')
  await svc.stop()

  // 3a. Ceiling: bare Fastify, same schemas, same response bytes, its own process.
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-bare-'))
  onCleanup(async () => { await rm(tmp, { recursive: true, force: true }) })
  await writeFile(path.join(tmp, 'quote.json'), capturedText)
  const bare = fork(path.join(here, 'bare-server.js'), [], { env: { ...process.env, BENCH_CAPTURED_QUOTE: path.join(tmp, 'quote.json') } })
  onCleanup(async () => { await stopChild(bare) })
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    bare.once('message', (m) => { resolve(m as { port: number }) })
    bare.once('exit', (c) => { reject(new Error(`bare server exited ${c}`)) })
  })
  const bareCommon = { ...common, base: `http://127.0.0.1:${port}` }
  if (cfg.warmup > 0) await postQuotes({ ...bareCommon, seconds: cfg.warmup, body })
  const barePid = pidOf(bare)
  meter = cpuMeter({ server: () => processCpuMs(barePid) })
  const b = await postQuotes({ ...bareCommon, seconds: cfg.seconds, body })
  check('bare_quotes', b)
  cpu('bare_quotes', meter, b.completed)
  // The latency ceiling at the quotes' half-load rate: HTTP, validation and serialization alone.
  const bHalf = await machineStalls('bare_quotes_half_load', async () => await postQuotes({ ...bareCommon, seconds: cfg.seconds, rate: q.rps / 2, body }))
  check('bare_quotes_half_load', bHalf)
  await stopChild(bare)

  // 3b. Ceiling: pgbench one-row INSERTs, same concurrency and duration.
  meter = cpuMeter({ pgbench: () => reapedCpuMs(process.pid), postgres: postgresCpu })
  const pgb = await pgbenchInsert(db.url, { clients: cfg.connections, seconds: cfg.seconds })
  metric('pgbench_insert_tps', pgb.tps, 'tx/s')
  metric('pgbench_insert_latency', pgb.latency, 'ms')
  cpu('pgbench_insert', meter, pgb.transactions)

  target('engine_quotes_per_s', engine.perSecond, 10000, 'quotes/s')
  target('quotes_vs_bare', q.rps / b.rps, 0.5, 'ratio')
  target('quotes_p99_at_half_load', qHalf.p99, 20, 'ms', '<=')
  target('plans_p99_at_half_load', pHalf.p99, 30, 'ms', '<=')
  target('plans_vs_pgbench', p.rps / pgb.tps, 0.3, 'ratio')
  summary(`bench: ${cfg.seconds} s per HTTP phase, ${cfg.connections} connections, ${os.cpus().length} CPUs, node ${process.version}`)
  if (errors > 0) fail(`${errors} failed or non-2xx requests: the figures above are not valid`)
  return errors
}

if (isMain(import.meta.url)) await runAsMain(main)
