// A policy with its decimal strings parsed once, so the quote hot path does
// no string parsing per request. Compiled policies are cached per object.
import { parseDecimal } from './decimal.js'
import type { Rational } from './decimal.js'
import { currencyDigits } from './currency.js'
import { parseMoney } from './money.js'
import type { Policy } from './policy.js'
import { policyProblems } from './policy-problems.js'
import type { PolicyProblem } from './policy-problems.js'

export class PolicyError extends Error {
  readonly problems: readonly PolicyProblem[]
  constructor (problems: readonly PolicyProblem[]) {
    super(`invalid policy: ${problems.map(p => `${p.path} ${p.message}`).join('; ')}`)
    this.name = 'PolicyError'
    this.problems = problems
  }
}

export interface CompiledPolicy {
  readonly source: Policy
  readonly digits: number
  readonly annualInterestRate: Rational
  readonly penaltyMarkup: Rational
  readonly lateFeeRate: Rational
  readonly annualCostCap: Rational | null
  readonly installmentPenaltyWaiver: Rational
  readonly deferralPenaltyWaiver: Rational
  readonly settlementPenaltyWaiver: Rational
  readonly discountByBucket: ReadonlyMap<string, Rational>
  readonly maxShareOfDisposableIncome: Rational
  // lateFeeFixed in minor units of a currency with the given digits, or
  // null when the policy's fee cannot be expressed in that currency.
  readonly lateFeeFixed: (digits: number) => bigint | null
}

const cache = new WeakMap<Policy, CompiledPolicy>()

function decimal (s: string): Rational {
  const r = parseDecimal(s)
  /* c8 ignore next */
  if (r === null) throw new Error('unreachable: policy validated')
  return r
}

export function compilePolicy (policy: Policy): CompiledPolicy {
  const hit = cache.get(policy)
  if (hit !== undefined) return hit
  const problems = policyProblems(policy)
  if (problems.length > 0) throw new PolicyError(problems)
  const feeByDigits = new Map<number, bigint | null>()
  const compiled: CompiledPolicy = {
    source: policy,
    digits: currencyDigits(policy.currency) ?? 2,
    annualInterestRate: decimal(policy.annualInterestRate),
    penaltyMarkup: decimal(policy.penalty.penaltyMarkup),
    lateFeeRate: decimal(policy.penalty.lateFeeRate),
    annualCostCap: policy.penalty.annualCostCap === null ? null : decimal(policy.penalty.annualCostCap),
    installmentPenaltyWaiver: decimal(policy.installment.penaltyWaiver),
    deferralPenaltyWaiver: decimal(policy.deferral.penaltyWaiver),
    settlementPenaltyWaiver: decimal(policy.settlement.penaltyWaiver),
    discountByBucket: new Map(Object.entries(policy.settlement.discountByBucket).map(([k, v]) => [k, decimal(v)])),
    maxShareOfDisposableIncome: decimal(policy.affordability.maxShareOfDisposableIncome),
    lateFeeFixed: (digits) => {
      let fee = feeByDigits.get(digits)
      if (fee === undefined) {
        const parsed = parseMoney(policy.penalty.lateFeeFixed, digits)
        fee = typeof parsed === 'bigint' ? parsed : null
        feeByDigits.set(digits, fee)
      }
      return fee
    }
  }
  cache.set(policy, compiled)
  return compiled
}
