// The early payoff quote: the one payment that settles the plan on a date.
// It is the ledger's settlement room while the plan is active, split into
// the parts an auditor checks.
import { replay, rowUnpaid } from './ledger.js'
import type { PaymentRecord, PlanTerms } from './plan-terms.js'
import type { ServicingRules } from './rules.js'

export interface PayoffQuote {
  readonly kind: 'payoff'
  readonly asOf: string
  readonly status: 'active' | 'completed'
  readonly amount: bigint
  readonly unpaidPrincipal: bigint
  // Unpaid interest of the installments due on or before asOf.
  readonly unpaidInterestDue: bigint
  // Interest of the current period earned to asOf and not yet paid.
  readonly accruedInterest: bigint
  readonly unpaidFees: bigint
  // Unpaid interest not yet earned: forgiven by paying `amount` on asOf.
  readonly interestWaived: bigint
}

export interface PayoffRefused {
  readonly kind: 'plan-not-active'
  readonly asOf: string
  readonly status: 'broken'
  readonly brokenOn: string
  readonly outstanding: bigint
}

// Evaluated at the end of asOf: payments received that day count, and a
// plan that breaches that day is already broken.
export function payoffQuote (terms: PlanTerms, rules: ServicingRules, payments: readonly PaymentRecord[], asOf: string): PayoffQuote | PayoffRefused {
  const ledger = replay(terms, rules, payments, asOf)
  if (ledger.status === 'broken') {
    return { kind: 'plan-not-active', asOf, status: 'broken', brokenOn: ledger.brokenOn as string, outstanding: ledger.outstanding() }
  }
  let unpaidPrincipal = 0n
  let unpaidInterestDue = 0n
  let accruedInterest = 0n
  let unpaidFees = 0n
  let interestWaived = 0n
  for (const r of ledger.rows) {
    if (rowUnpaid(r) === 0n) continue
    unpaidPrincipal += r.terms.principal - r.paidPrincipal
    unpaidFees += r.fees - r.paidFees
    const unpaidInterest = r.terms.interest - r.paidInterest
    if (r.terms.dueDate <= asOf) {
      unpaidInterestDue += unpaidInterest
      continue
    }
    const earnedUnpaid = ledger.earned(r, asOf) - r.paidInterest
    const accrued = earnedUnpaid > 0n ? earnedUnpaid : 0n
    accruedInterest += accrued
    interestWaived += unpaidInterest - accrued
  }
  return {
    kind: 'payoff',
    asOf,
    status: ledger.status,
    amount: unpaidPrincipal + unpaidInterestDue + accruedInterest + unpaidFees,
    unpaidPrincipal,
    unpaidInterestDue,
    accruedInterest,
    unpaidFees,
    interestWaived
  }
}
