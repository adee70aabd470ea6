// Late penalty on the overdue amount. The penalty rate is the contract rate
// marked up (CN bank practice: +30…50 %), accrued per day on a 365-day year
// once grace has passed; penalty interest plus late fees is held under the
// annual cost cap (the 4×LPR rule for the combined overdue charges).
import { add, mul, ONE, roundRational } from './decimal.js'
import type { Rational } from './decimal.js'
import { compilePolicy } from './compiled-policy.js'
import type { Policy } from './policy.js'

export interface PenaltyInput {
  readonly overdueAmount: bigint
  readonly annualInterestRate: Rational
  readonly overdueDays: number
  readonly digits: number
}

export interface PenaltyBreakdown {
  readonly base: bigint
  readonly annualInterestRate: Rational
  readonly penaltyMarkup: Rational
  readonly penaltyRate: Rational
  readonly graceDays: number
  readonly overdueDays: number
  readonly chargeableDays: number
  readonly penaltyInterest: bigint
  readonly lateFee: bigint
  readonly cap: bigint | null
  readonly capApplied: boolean
  readonly capReduction: bigint
  readonly total: bigint
}

const DAYS_IN_YEAR = 365n

export function penaltyFor (input: PenaltyInput, policy: Policy): PenaltyBreakdown {
  const compiled = compilePolicy(policy)
  const mode = policy.roundingMode
  const { overdueAmount: base, annualInterestRate, overdueDays, digits } = input
  const graceDays = policy.penalty.graceDays
  // Once grace is exceeded every overdue day counts, not only the days after grace.
  const chargeableDays = overdueDays > graceDays ? overdueDays : 0
  const days = BigInt(chargeableDays)
  const penaltyRate = mul(annualInterestRate, add(ONE, compiled.penaltyMarkup))

  // named step: penaltyInterest
  const penaltyInterest = roundRational(base * penaltyRate.n * days, penaltyRate.d * DAYS_IN_YEAR, mode)

  let lateFee = 0n
  if (chargeableDays > 0) {
    const fixed = compiled.lateFeeFixed(digits)
    if (fixed === null) throw new RangeError(`lateFeeFixed ${policy.penalty.lateFeeFixed} has more decimals than the currency allows`)
    const rate = compiled.lateFeeRate
    // named step: lateFee
    lateFee = roundRational(fixed * rate.d + base * rate.n, rate.d, mode)
  }

  const capRate = compiled.annualCostCap
  // named step: costCap
  const cap = capRate === null ? null : roundRational(base * capRate.n * days, capRate.d * DAYS_IN_YEAR, mode)
  const charges = penaltyInterest + lateFee
  const total = cap !== null && charges > cap ? cap : charges
  return {
    base,
    annualInterestRate,
    penaltyMarkup: compiled.penaltyMarkup,
    penaltyRate,
    graceDays,
    overdueDays,
    chargeableDays,
    penaltyInterest,
    lateFee,
    cap,
    capApplied: cap !== null && charges > cap,
    capReduction: charges - total,
    total
  }
}
