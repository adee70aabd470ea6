// Request + policy → the exact repayment quote (bigint minor units). Rendering it as the quote
// document is compute.ts's job.
import { affordabilityFor } from './affordability.js'
import type { Affordability } from './affordability.js'
import { compilePolicy } from './compiled-policy.js'
import { deferralOptions } from './deferral-options.js'
import { delinquencyBucket } from './delinquency.js'
import { installmentOptions } from './installment-options.js'
import type { OptionContext, RejectedOption, RepaymentOption } from './options.js'
import { penaltyFor } from './penalty.js'
import type { PenaltyBreakdown } from './penalty.js'
import type { Policy } from './policy.js'
import type { QuoteInput } from './quote-request.js'
import { recommend } from './recommendation.js'
import type { Recommendation } from './recommendation.js'
import { settlementOption } from './settlement-option.js'

export interface Quote extends Recommendation {
  readonly input: QuoteInput
  readonly delinquencyBucket: string
  readonly penalty: PenaltyBreakdown
  readonly totalDue: bigint
  readonly affordability: Affordability
  readonly options: RepaymentOption[]
  readonly rejectedOptions: RejectedOption[]
}

export function buildQuote (input: QuoteInput, policy: Policy): Quote {
  const compiled = compilePolicy(policy)
  const mode = policy.roundingMode
  const bucket = delinquencyBucket(input.overdueDays, policy.buckets)
  const penalty = penaltyFor({
    overdueAmount: input.overdueAmount,
    annualInterestRate: input.annualInterestRate,
    overdueDays: input.overdueDays,
    digits: input.digits
  }, policy)
  const totalDue = input.balance + input.accruedInterest + input.feesDue + penalty.total
  const affordability = affordabilityFor(input.monthlyIncome, input.monthlyObligations, compiled.maxShareOfDisposableIncome, mode)
  const ctx: OptionContext = {
    asOf: input.asOf,
    currency: input.currency,
    digits: input.digits,
    roundingMode: mode,
    dayCount: policy.dayCount,
    annualRate: input.annualInterestRate,
    balance: input.balance,
    overdueDays: input.overdueDays,
    bucket,
    penalty,
    totalDue,
    affordability,
    availableFunds: input.availableFunds,
    policy: compiled
  }
  const installments = installmentOptions(ctx)
  const deferrals = deferralOptions(ctx)
  const options = [...installments.options, ...deferrals.options, settlementOption(ctx)]
  return {
    input,
    delinquencyBucket: bucket,
    penalty,
    totalDue,
    affordability,
    options,
    rejectedOptions: [...installments.rejected, ...deferrals.rejected],
    ...recommend(options, affordability, ctx)
  }
}
