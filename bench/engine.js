// Engine throughput: full standard-policy quotes per second on one core, no HTTP, no DB.
import { loanMix } from './lib/loans.js'

const { computeQuote, standardPolicy } = await import('../dist/domain/index.js')

export function engineBench ({ seconds = 5, warmupSeconds = 1, asOf = '2026-01-15' } = {}) {
  const mix = loanMix(512, 7).map((q) => ({ asOf, ...q }))
  let i = 0
  const once = () => {
    const result = computeQuote(mix[i++ % mix.length], standardPolicy)
    if (result.errors) throw new Error(`engine rejected a bench loan: ${JSON.stringify(result.errors)}`)
  }
  // Warm up the JIT on the very same mix, then count whole quotes in the measured window.
  const warmUntil = performance.now() + warmupSeconds * 1000
  while (performance.now() < warmUntil) once()
  const start = performance.now()
  const until = start + seconds * 1000
  let n = 0
  while (performance.now() < until) {
    for (let k = 0; k < 50; k++) once()
    n += 50
  }
  const elapsed = (performance.now() - start) / 1000
  return { quotes: n, seconds: elapsed, perSecond: n / elapsed }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = engineBench({ seconds: Number(process.env.BENCH_SECONDS ?? 5) })
  console.log(`engine_quotes_per_s ${r.perSecond.toFixed(0)} quotes/s`)
}
