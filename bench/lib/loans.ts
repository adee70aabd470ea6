// A fixed, seeded mix of delinquent loans, so every run quotes the same work.
import type { QuoteRequest } from './src.js'

/** A POST /v1/quotes body: the engine's request without `asOf` (the service fills in today). */
export type LoanRequest = Omit<QuoteRequest, 'asOf'>

export function rng (seed: number): () => number {
  // mulberry32: tiny, fast, good enough for a workload mix
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1))

// JPY has no minor unit; CNY has two digits.
function money (major: number, currency: string): string {
  return currency === 'JPY' ? String(Math.round(major)) : major.toFixed(2)
}

export function loanMix (count: number, seed = 42): LoanRequest[] {
  const r = rng(seed)
  const out: LoanRequest[] = []
  for (let i = 0; i < count; i++) {
    const currency = r() < 0.7 ? 'CNY' : 'JPY'
    const scale = currency === 'JPY' ? 20 : 1
    const large = r() < 0.3
    const balance = (large ? pick(r, 50_000, 2_000_000) : pick(r, 500, 20_000)) * scale + (currency === 'JPY' ? 0 : pick(r, 0, 99) / 100)
    const income = pick(r, 2_000, 40_000) * scale
    const overdueDays = pick(r, 0, 400)
    out.push({
      loan: {
        loanId: `L-${seed}-${i}`,
        balance: money(balance, currency),
        overdueDays,
        currency,
        annualInterestRate: (pick(r, 30, 240) / 1000).toFixed(3)
      },
      borrower: {
        monthlyIncome: money(income, currency),
        monthlyObligations: money(income * pick(r, 0, 60) / 100, currency)
      }
    })
  }
  return out
}
