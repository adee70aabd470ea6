// Income-based affordability: the largest monthly installment the borrower
// can sustain is a policy share of income left after existing obligations.
import { formatRatio, roundRational } from './decimal.js'
import type { Rational, RoundingMode } from './decimal.js'

export interface Affordability {
  readonly monthlyIncome: bigint
  readonly monthlyObligations: bigint
  readonly disposableIncome: bigint
  readonly maxShareOfDisposableIncome: Rational
  readonly maxAffordablePayment: bigint
}

export function affordabilityFor (monthlyIncome: bigint, monthlyObligations: bigint, maxShare: Rational, mode: RoundingMode): Affordability {
  const surplus = monthlyIncome - monthlyObligations
  const disposableIncome = surplus > 0n ? surplus : 0n
  // named step: maxAffordablePayment
  const maxAffordablePayment = roundRational(disposableIncome * maxShare.n, maxShare.d, mode)
  return { monthlyIncome, monthlyObligations, disposableIncome, maxShareOfDisposableIncome: maxShare, maxAffordablePayment }
}

// Payment as a share of gross monthly income, to 4 decimals; null when the
// borrower reports no income (the ratio is undefined, not infinite).
export function paymentToIncome (payment: bigint, monthlyIncome: bigint, mode: RoundingMode): string | null {
  if (monthlyIncome === 0n) return null
  // Unreduced: rounding payment/income needs no gcd, the value is the same.
  return formatRatio({ n: payment, d: monthlyIncome }, 4, mode)
}
