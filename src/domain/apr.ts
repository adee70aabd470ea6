// Effective annual rate of a monthly payment stream: solve
//   Σ p_k·v^k = amountFinanced,  v = 1/(1+i)
// for the monthly IRR i and report (1+i)^12 − 1. This is a ratio, not
// money, so floating point is acceptable here and nowhere else.
//
// Solver: g(v) = Σ p_k·v^k − A is increasing and convex for v > 0 (all
// p_k ≥ 0), so Newton's method started right of the root never overshoots
// and converges monotonically, however long the run of zero payments
// (payment holidays). We bracket from v = 1, doubling if the payments sum to
// less than the amount (negative rate), then iterate until no progress.

const MAX_ITERATIONS = 200

function value (payments: readonly number[], v: number): { g: number, dg: number } {
  // Horner from the last month: g = Σ p_k v^k, dg = Σ k p_k v^(k−1).
  let g = 0
  let dg = 0
  for (let k = payments.length; k >= 1; k--) {
    dg = dg * v + g
    g = g * v + (payments[k - 1] ?? 0)
  }
  return { g: g * v, dg: dg * v + g }
}

export function monthlyDiscountFactor (amountFinanced: bigint, payments: readonly bigint[]): number {
  const amount = Number(amountFinanced)
  const flows = payments.map(p => Number(p))
  if (amount <= 0 || flows.some(p => p < 0) || !flows.some(p => p > 0)) {
    throw new RangeError('effective rate needs a positive amount and non-negative payments, not all zero')
  }
  let v = 1
  while (value(flows, v).g < amount) v *= 2
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const { g, dg } = value(flows, v)
    const next = v - (g - amount) / dg
    if (!(next < v)) break
    v = next
  }
  return v
}

export function effectiveAnnualRate (amountFinanced: bigint, payments: readonly bigint[]): string {
  let sum = 0n
  for (const p of payments) sum += p
  if (sum === amountFinanced) return '0.0000'
  const v = monthlyDiscountFactor(amountFinanced, payments)
  const annual = Math.pow(v, -12) - 1
  const text = annual.toFixed(4)
  return text === '-0.0000' ? '0.0000' : text
}
