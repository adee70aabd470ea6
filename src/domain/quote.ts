// The single entry point: request + policy → a full repayment quote. The
// bigint Quote is built first and rendered to JSON separately, so a hot
// path can reuse the exact form.
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
import { quoteToJson } from './quote-json.js'
import { quoteJsonBytes, type QuoteHeader } from './quote-bytes.js'
import type { QuoteComputation } from './quote-json.js'
import { isQuoteInputError, parseQuoteRequest } from './quote-request.js'
import type { QuoteInput, QuoteInputError, QuoteRequest } from './quote-request.js'
import { recommend } from './recommendation.js'
import type { Recommendation } from './recommendation.js'
import { settlementOption } from './settlement-option.js'

export type { QuoteInput, QuoteInputError, QuoteRequest } from './quote-request.js'
export type { OptionJson, QuoteComputation, ScheduleRowJson } from './quote-json.js'
export { isQuoteInputError, parseQuoteRequest } from './quote-request.js'
export { quoteToJson } from './quote-json.js'
export { quoteJsonBytes, type QuoteHeader } from './quote-bytes.js'

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

// Throws PolicyError only for a policy that fails policyProblems; problems
// with the request come back as a QuoteInputError value.
export function computeQuote (request: QuoteRequest, policy: Policy): QuoteComputation | QuoteInputError {
  const input = parseQuoteRequest(request, compilePolicy(policy))
  if (isQuoteInputError(input)) return input
  return quoteToJson(buildQuote(input, policy))
}

/** The quote document as UTF-8 JSON (what the API returns and stores), with what a record needs. */
export interface QuoteDocument { json: Uint8Array, loanId: string, currency: string }

export function computeQuoteDocument (request: QuoteRequest, policy: Policy, header: QuoteHeader): QuoteDocument | QuoteInputError {
  const input = parseQuoteRequest(request, compilePolicy(policy))
  if (isQuoteInputError(input)) return input
  return { json: quoteJsonBytes(buildQuote(input, policy), header), loanId: input.loanId, currency: input.currency }
}
