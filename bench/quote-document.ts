// The quote document path, A/B in one process: the byte writer (quoteJsonBytes) against the plain
// path it replaced, JSON.stringify of the schema-typed quoteToJson with the service's header, over
// the engine bench's loan mix. The quotes are built once; only the document is timed. Rounds
// alternate A and B so both see the same machine; the figure is the median round, as process CPU
// (µs per quote, GC threads included) and wall time. The plain path's options column (the service
// stores a quote's options beside the document) is timed as a third variant.
import { loanMix } from './lib/loans.js'
import {
  buildQuote, compilePolicy, isQuoteInputError, parseQuoteRequest, quoteJsonBytes, quoteToJson, standardPolicy,
  type Quote, type QuoteHeader
} from './lib/src.js'

const HEADER: QuoteHeader = { id: '6f1c5d8e-0000-4000-8000-000000000000', policy: { name: 'standard', version: 1 }, createdAt: '2026-01-15T00:00:00.000Z', expiresAt: '2026-02-14T00:00:00.000Z' }

const quotes: Quote[] = loanMix(512, 7).map((loan) => {
  const input = parseQuoteRequest({ asOf: '2026-01-15', ...loan }, compilePolicy(standardPolicy))
  if (isQuoteInputError(input)) throw new Error(`a bench loan was refused: ${JSON.stringify(input.errors)}`)
  return buildQuote(input, standardPolicy)
})

type Variant = (q: Quote) => number
const variants: Record<string, Variant> = {
  bytes: (q) => quoteJsonBytes(q, HEADER).json.length,
  plain: (q) => Buffer.from(JSON.stringify({ ...HEADER, ...quoteToJson(q) })).length,
  plainWithOptions: (q) => {
    const doc = { ...HEADER, ...quoteToJson(q) }
    return Buffer.from(JSON.stringify(doc)).length + Buffer.from(JSON.stringify(doc.options)).length
  }
}

// Both writers must produce the same document, or the comparison means nothing.
for (const q of quotes.slice(0, 16)) {
  const a = Buffer.from(quoteJsonBytes(q, HEADER).json)
  const b = Buffer.from(JSON.stringify({ ...HEADER, ...quoteToJson(q) }))
  if (!a.equals(b)) throw new Error('the byte writer and the plain path disagree')
}

function round (variant: Variant, passes: number): { cpu: number, wall: number } {
  let sink = 0
  const cpu0 = process.cpuUsage()
  const wall0 = performance.now()
  for (let p = 0; p < passes; p++) for (const q of quotes) sink += variant(q)
  const wall = performance.now() - wall0
  const cpu = process.cpuUsage(cpu0)
  if (sink === 0) throw new Error('nothing written')
  const n = passes * quotes.length
  return { cpu: (cpu.user + cpu.system) / n, wall: (wall * 1000) / n }
}

const rounds = Number(process.env.BENCH_DOCUMENT_ROUNDS ?? 15)
const passes = Number(process.env.BENCH_DOCUMENT_PASSES ?? 4)
const names = Object.keys(variants)
for (const name of names) round(variants[name]!, passes) // warm-up
const results: Record<string, Array<{ cpu: number, wall: number }>> = Object.fromEntries(names.map((n) => [n, []]))
for (let r = 0; r < rounds; r++) {
  for (const name of r % 2 === 0 ? names : [...names].reverse()) results[name]!.push(round(variants[name]!, passes))
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
const bytesPerQuote = quotes.reduce((sum, q) => sum + quoteJsonBytes(q, HEADER).json.length, 0) / quotes.length
console.log(`quote_document_bytes ${bytesPerQuote.toFixed(0)} bytes/quote (${quotes.length} quotes, ${rounds} alternating rounds of ${passes} passes)`)
for (const name of names) {
  const rs = results[name]!
  const cpu = rs.map((x) => x.cpu)
  console.log(`quote_document_${name} ${median(cpu).toFixed(1)} µs CPU/quote (min ${Math.min(...cpu).toFixed(1)}, max ${Math.max(...cpu).toFixed(1)}), wall ${median(rs.map((x) => x.wall)).toFixed(1)} µs/quote`)
}
