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

import { paymentFlows } from './amortization-table.js'
import type { AmortizationTable } from './amortization-table.js'

const MAX_ITERATIONS = 200

// Horner from the last month: g = Σ p_k v^k (the derivative is inlined in
// the solver so no per-iteration object is allocated).
function presentValue (flows: readonly number[], v: number): number {
  let g = 0
  for (let k = flows.length; k >= 1; k--) g = g * v + (flows[k - 1] as number)
  return g * v
}

function solve (amount: number, flows: readonly number[]): number {
  let v = 1
  while (presentValue(flows, v) < amount) v *= 2
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    // g = Σ p_k v^k, dg = Σ k p_k v^(k−1), both by Horner.
    let g = 0
    let dg = 0
    for (let k = flows.length; k >= 1; k--) {
      dg = dg * v + g
      g = g * v + (flows[k - 1] as number)
    }
    const next = v - (g * v - amount) / (dg * v + g)
    if (!(next < v)) break
    v = next
  }
  return v
}

function toFlows (payments: readonly bigint[]): number[] {
  return payments.map(Number)
}

function checkedFactor (amount: number, flows: readonly number[]): number {
  let positive = false
  let negative = false
  for (const p of flows) {
    if (p < 0) negative = true
    else if (p > 0) positive = true
  }
  if (amount <= 0 || negative || !positive) {
    throw new RangeError('effective rate needs a positive amount and non-negative payments, not all zero')
  }
  return solve(amount, flows)
}

export function monthlyDiscountFactor (amountFinanced: bigint, payments: readonly bigint[]): number {
  return checkedFactor(Number(amountFinanced), toFlows(payments))
}

function annualRateText (amount: number, flows: readonly number[]): string {
  const v = checkedFactor(amount, flows)
  const annual = Math.pow(v, -12) - 1
  const text = annual.toFixed(4)
  return text === '-0.0000' ? '0.0000' : text
}

export function effectiveAnnualRate (amountFinanced: bigint, payments: readonly bigint[]): string {
  let sum = 0n
  for (const p of payments) sum += p
  if (sum === amountFinanced) return '0.0000'
  return annualRateText(Number(amountFinanced), toFlows(payments))
}

// The option builders' form: the schedule table and its already-summed
// total, so the hot path neither re-adds bigints nor copies exact payments.
export function scheduleAnnualRate (amountFinanced: bigint, table: AmortizationTable, totalPaid: bigint): string {
  if (totalPaid === amountFinanced) return '0.0000'
  return annualRateText(Number(amountFinanced), paymentFlows(table))
}
