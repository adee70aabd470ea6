// The shape shared by every repayment option, plus the context the option
// builders read. Money stays exact here (bigints, or exact Numbers in a
// schedule table); quote-json renders it.
import { roundRational } from './decimal.js'
import type { Rational, RoundingMode } from './decimal.js'
import type { Affordability } from './affordability.js'
import type { CompiledPolicy } from './compiled-policy.js'
import type { PenaltyBreakdown } from './penalty.js'
import type { AmortizationMethod, DayCount } from './policy.js'
import type { AmortizationTable } from './amortization-table.js'

export type OptionType = 'installment' | 'deferral' | 'settlement'

export interface RepaymentOption {
  readonly id: string
  readonly type: OptionType
  readonly termMonths: number | null
  readonly method: AmortizationMethod | null
  readonly holidayMonths: number | null
  readonly amountFinanced: bigint
  // The schedule as columns; tableRows gives it as bigint row records.
  readonly table: AmortizationTable
  readonly totalRepayable: bigint
  readonly totalInterest: bigint
  readonly penaltyWaived: bigint
  readonly discount: bigint
  readonly capitalizedInterest: bigint
  readonly maxPayment: bigint
  readonly firstPaymentDate: string
  readonly apr: string
  readonly paymentToIncome: string | null
  readonly affordable: boolean | null
  readonly summary: string
}

export interface RejectedOption {
  readonly id: string
  readonly type: OptionType
  readonly reason: string
}

export interface OptionSet {
  readonly options: RepaymentOption[]
  readonly rejected: RejectedOption[]
}

export interface OptionContext {
  readonly asOf: string
  readonly currency: string
  readonly digits: number
  readonly roundingMode: RoundingMode
  readonly dayCount: DayCount
  readonly annualRate: Rational
  readonly balance: bigint
  readonly overdueDays: number
  readonly bucket: string
  readonly penalty: PenaltyBreakdown
  readonly totalDue: bigint
  readonly affordability: Affordability
  readonly availableFunds: bigint | null
  readonly policy: CompiledPolicy
}

// named step: penaltyWaiver (each option type has its own waiver share)
export function penaltyWaived (ctx: OptionContext, waiver: Rational): bigint {
  return roundRational(ctx.penalty.total * waiver.n, waiver.d, ctx.roundingMode)
}
