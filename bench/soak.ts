// `npm run bench:soak`: a sustained mixed load (quote → accept → read) for BENCH_SOAK_SECONDS
// (300), sampling the server's RSS after every round. Target: RSS stays under 250 MiB and flat
// (the last third's mean within 10 % of the first third's). See bench/README.md.
import { benchDatabase } from './lib/database.js'
import { getPlans, postPlans, postQuotes, quoteBodies } from './lib/phases.js'
import { rssMiB } from './lib/proc.js'
import { fail, metric, summary, target } from './lib/report.js'
import { runAsMain } from './lib/runner.js'
import { prepareDatabase, startService } from './lib/service.js'

const env = process.env
const cfg = {
  seconds: Number(env.BENCH_SOAK_SECONDS ?? 300),
  round: Number(env.BENCH_SOAK_ROUND_SECONDS ?? 10),
  connections: Number(env.BENCH_CONNECTIONS ?? 8)
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

async function main (): Promise<number> {
  const db = await benchDatabase()
  const tenant = await prepareDatabase(db.url, `soak-${Date.now()}`)
  const svc = await startService(db.url)
  const common = { base: svc.base, auth: { authorization: `Bearer ${tenant.apiKey}` }, connections: cfg.connections }
  const body = quoteBodies('S')
  const samples: number[] = []
  let errors = 0
  const started = Date.now()
  for (let round = 0; Date.now() - started < cfg.seconds * 1000; round++) {
    const quotes: string[] = []
    const plans: string[] = []
    const third = Math.max(1, Math.round(cfg.round / 3))
    const results = [
      await postQuotes({ ...common, seconds: third, body, quotes }),
      await postPlans({ ...common, seconds: third, quotes, plans }),
      await getPlans({ ...common, seconds: third, plans })
    ]
    errors += results.reduce((n, r) => n + r.errors + r.non2xx, 0)
    const rss = await rssMiB(svc.pid)
    samples.push(rss)
    metric(`soak_round_${round}_rss`, rss, 'MiB')
  }
  // The first round warms the JIT and the pools. RSS swings with GC from round to round, so
  // flatness compares the mean of the first third of the rest with the mean of the last third.
  const rest = samples.length > 1 ? samples.slice(1) : samples
  const third = Math.max(1, Math.floor(rest.length / 3))
  const base = mean(rest.slice(0, third))
  const last = mean(rest.slice(-third))
  metric('soak_rss_first_third_mean', base, 'MiB')
  metric('soak_rss_last_third_mean', last, 'MiB')
  metric('soak_rss_max', Math.max(...samples), 'MiB')
  target('soak_rss_max_under_250', Math.max(...samples), 250, 'MiB', '<=')
  target('soak_rss_growth', (last - base) / base, 0.1, 'ratio', '<=')
  summary(`soak: ${cfg.seconds} s of quote → accept → read rounds, ${cfg.connections} connections`)
  if (errors > 0) fail(`${errors} failed or non-2xx requests`)
  await svc.stop()
  return errors
}

await runAsMain(main)
