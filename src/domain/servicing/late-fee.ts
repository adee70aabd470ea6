// Late installment fees stay under the same legal cost line the quote uses
// for penalty charges: base × annualCostCap × days / 365, here with the
// amount financed as base and the days since acceptance, cumulatively.
import { roundRational } from '../decimal.js'
import type { Rational, RoundingMode } from '../decimal.js'
import { daysBetween } from '../dates.js'

const DAYS_IN_YEAR = 365n

export function lateFeeCap (amountFinanced: bigint, capRate: Rational, acceptedOn: string, asOf: string, mode: RoundingMode): bigint {
  const days = BigInt(Math.max(0, daysBetween(acceptedOn, asOf)))
  // named step: servicingCostCap
  return roundRational(amountFinanced * capRate.n * days, capRate.d * DAYS_IN_YEAR, mode)
}

// The fee for one missed installment: the policy fee, cut to the room left
// under the cap by the fees charged before it (never negative).
export function lateInstallmentFeeFor (fee: bigint, capRoom: bigint | null): bigint {
  if (capRoom === null) return fee
  return fee < capRoom ? fee : capRoom > 0n ? capRoom : 0n
}
