// Engine throughput: full standard-policy quotes per second on one core, no HTTP, no DB. A quote
// is what the service computes per request: the calculation and its JSON document (the UTF-8
// bytes the API returns and stores), via computeQuoteDocument.
import { loanMix } from './lib/loans.js'
import { isMain } from './lib/runner.js'
import { computeQuoteDocument, standardPolicy, type QuoteHeader, type QuoteRequest } from './lib/src.js'

const HEADER: QuoteHeader = { id: '6f1c5d8e-0000-4000-8000-000000000000', policy: { name: 'standard', version: 1 }, createdAt: '2026-01-15T00:00:00.000Z', expiresAt: '2026-02-14T00:00:00.000Z' }

// The same seeded mix every run, dated so that every quote is computed as of the same day.
function requests (asOf: string): (i: number) => QuoteRequest {
  const mix = loanMix(512, 7).map((q): QuoteRequest => ({ asOf, ...q }))
  return (i) => {
    const request = mix[i % mix.length]
    if (request === undefined) throw new Error('empty loan mix')
    return request
  }
}

export interface EngineResult { windows: number, perSecond: number, min: number, max: number, bytesPerQuote: number }

export function engineBench ({ seconds = 5, warmupSeconds = 1, asOf = '2026-01-15' } = {}): EngineResult {
  const request = requests(asOf)
  let i = 0
  let bytes = 0
  const once = () => {
    const result = computeQuoteDocument(request(i++), standardPolicy, HEADER)
    if ('errors' in result) throw new Error(`engine rejected a bench loan: ${JSON.stringify(result.errors)}`)
    bytes += result.json.length
  }
  // Warm up the JIT on the very same mix, then count whole quotes in the measured window.
  const warmUntil = performance.now() + warmupSeconds * 1000
  while (performance.now() < warmUntil) once()
  // Whole quotes counted in one-second windows; the median window is the figure, since on a
  // shared machine single windows swing with the neighbours' load (min and max are printed).
  const windows: number[] = []
  const windowMs = Math.min(1000, seconds * 1000)
  const until = performance.now() + seconds * 1000
  while (performance.now() < until) {
    const start = performance.now()
    let n = 0
    while (performance.now() - start < windowMs) {
      for (let k = 0; k < 50; k++) once()
      n += 50
    }
    windows.push(n / ((performance.now() - start) / 1000))
  }
  windows.sort((a, b) => a - b)
  return {
    windows: windows.length,
    perSecond: windows[Math.floor(windows.length / 2)] ?? NaN,
    min: windows[0] ?? NaN,
    max: windows[windows.length - 1] ?? NaN,
    bytesPerQuote: bytes / i
  }
}

// A fixed number of quotes after as many warm-up quotes: for instruction counts under callgrind,
// which do not depend on the machine's other load.
export function engineFixed (quotes: number, asOf = '2026-01-15'): void {
  const request = requests(asOf)
  for (let i = 0; i < 2 * quotes; i++) computeQuoteDocument(request(i), standardPolicy, HEADER)
}

if (isMain(import.meta.url) && process.env.BENCH_ENGINE_QUOTES !== undefined) {
  engineFixed(Number(process.env.BENCH_ENGINE_QUOTES))
} else if (isMain(import.meta.url)) {
  const r = engineBench({ seconds: Number(process.env.BENCH_SECONDS ?? 5) })
  console.log(`engine_quotes_per_s ${r.perSecond.toFixed(0)} quotes/s (median of ${r.windows} one-second windows; min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)})`)
}
