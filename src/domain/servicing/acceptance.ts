// Whether a payment may be booked: the caller's guard before it records
// one. A payment is accepted only if the replay with it allocates every
// unit of it and of every later payment, so booking it never turns an
// earlier-accepted payment into an overpayment.
import { replay } from './ledger.js'
import { bookingOrder } from './plan-terms.js'
import type { PaymentRecord, PlanTerms } from './plan-terms.js'
import type { PlanStatus } from './ledger.js'
import type { ServicingRules } from './rules.js'

export type PaymentRefusal =
  | { readonly kind: 'amount-not-positive' }
  | { readonly kind: 'received-before-acceptance', readonly acceptedOn: string }
  | { readonly kind: 'received-in-future', readonly today: string }
  | { readonly kind: 'plan-not-active', readonly status: PlanStatus, readonly brokenOn: string | null }
  // The largest amount that could be booked instead (0 when none can).
  | { readonly kind: 'overpayment', readonly maxAmount: bigint }

export type PaymentAcceptance = { readonly kind: 'ok' } | PaymentRefusal

function unappliedTotal (terms: PlanTerms, rules: ServicingRules, payments: readonly PaymentRecord[]): bigint {
  const last = payments.reduce((max, p) => p.receivedOn > max ? p.receivedOn : max, terms.acceptedOn)
  return replay(terms, rules, payments, last).allocations.reduce((sum, a) => sum + a.unapplied, 0n)
}

// today: the current date in the tenant's time zone (the domain has no clock).
export function paymentAcceptance (terms: PlanTerms, rules: ServicingRules, payments: readonly PaymentRecord[], candidate: PaymentRecord, today: string): PaymentAcceptance {
  if (candidate.amount <= 0n) return { kind: 'amount-not-positive' }
  if (candidate.receivedOn < terms.acceptedOn) return { kind: 'received-before-acceptance', acceptedOn: terms.acceptedOn }
  if (candidate.receivedOn > today) return { kind: 'received-in-future', today }
  const before = payments.filter(p => bookingOrder(p, candidate) < 0)
  const at = replay(terms, rules, before, candidate.receivedOn)
  if (at.status === 'broken') return { kind: 'plan-not-active', status: at.status, brokenOn: at.brokenOn }
  const room = at.settlementRoom(candidate.receivedOn)
  const baseline = unappliedTotal(terms, rules, payments)
  const fits = (amount: bigint): boolean =>
    amount === 0n || (amount <= room && unappliedTotal(terms, rules, [...payments, { ...candidate, amount }]) === baseline)
  if (fits(candidate.amount)) return { kind: 'ok' }
  // More money earlier only shrinks what later payments may settle, so the
  // amounts that fit form a range from 0: search its top.
  let lo = 0n
  let hi = candidate.amount - 1n < room ? candidate.amount - 1n : room
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n
    if (fits(mid)) lo = mid
    else hi = mid - 1n
  }
  return { kind: 'overpayment', maxAmount: lo }
}
