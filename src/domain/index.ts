// The engine's public surface (package export `repayment-plan-service/engine`): compute a quote,
// build schedules, price a penalty, an APR and affordability. Named exports only; everything
// else in src/domain is internal and may change.
export { computeQuote, computeQuoteDocument, type QuoteDocument } from './compute.js'
export { buildQuote, type Quote } from './quote.js'
export { quoteToJson, type OptionJson, type QuoteComputation, type ScheduleRowJson } from './quote-json.js'
export type { QuoteHeader } from './quote-bytes.js'
export { isQuoteInputError, parseQuoteRequest, type InputProblem, type QuoteInput, type QuoteInputError, type QuoteRequest } from './quote-request.js'
export {
  standardPolicy, defaultServicingPolicy, DAY_COUNTS, ROUNDING_MODES, AMORTIZATION_METHODS,
  type Policy, type DayCount, type RoundingMode, type AmortizationMethod, type DelinquencyBucketRule, type PenaltyPolicy,
  type InstallmentPolicy, type DeferralPolicy, type SettlementPolicy, type AffordabilityPolicy, type ServicingPolicy
} from './policy.js'
export { policyProblems, type PolicyProblem } from './policy-problems.js'
export { PolicyError } from './compiled-policy.js'
export { annuitySchedule, equalPrincipalSchedule, isUnpayable, type Schedule, type ScheduleInput, type ScheduleRow, type Unpayable } from './schedule.js'
export { penaltyFor, type PenaltyBreakdown, type PenaltyInput } from './penalty.js'
export { effectiveAnnualRate, scheduleAnnualRate } from './apr.js'
export { affordabilityFor, paymentToIncome, type Affordability } from './affordability.js'
export { delinquencyBucket } from './delinquency.js'
export { parseMoney, formatMoney, isMoneyError, type MoneyError } from './money.js'
export { parseDecimal, type Rational } from './decimal.js'
export { currencyDigits, isCurrency } from './currency.js'
export {
  evaluatePlan, payoffQuote, paymentAcceptance, defaultServicingRules, servicingRulesProblems,
  type ServicingRules, type PlanTerms, type InstallmentTerms, type PaymentRecord, type ServicingState, type InstallmentState,
  type PayoffQuote, type PaymentAcceptance, type AllocationPart
} from './servicing/index.js'
