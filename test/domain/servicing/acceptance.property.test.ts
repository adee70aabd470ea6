import t from 'tap'
import fc from 'fast-check'
import { addDays } from '../../../src/domain/dates.js'
import { evaluatePlan } from '../../../src/domain/servicing/evaluate.js'
import { payoffQuote } from '../../../src/domain/servicing/payoff.js'
import { paymentAcceptance } from '../../../src/domain/servicing/acceptance.js'
import type { PaymentRecord, PlanTerms } from '../../../src/domain/servicing/plan-terms.js'
import type { ServicingRules } from '../../../src/domain/servicing/rules.js'
import { draftsArb, paymentsFrom, planDays, rulesArb, termsArb } from './arbitraries.js'

const caseArb = fc.record({ terms: termsArb, rules: rulesArb, drafts: draftsArb, asOfDay: fc.integer({ min: 0, max: 1000 }) })
type CaseValue = typeof caseArb extends fc.Arbitrary<infer V> ? V : never

// What a caller does: offer each payment in booking order (dates may go
// back), book it if accepted, book the largest acceptable amount instead
// when it is refused as an overpayment.
function book (terms: PlanTerms, rules: ServicingRules, offered: readonly PaymentRecord[]): PaymentRecord[] {
  const booked: PaymentRecord[] = []
  const today = offered.reduce((max, p) => p.receivedOn > max ? p.receivedOn : max, terms.acceptedOn)
  for (const p of offered) {
    const answer = paymentAcceptance(terms, rules, booked, p, today)
    if (answer.kind === 'ok') booked.push(p)
    else if (answer.kind === 'overpayment' && answer.maxAmount > 0n) booked.push({ ...p, amount: answer.maxAmount })
  }
  return booked
}

function unapplied (terms: PlanTerms, rules: ServicingRules, payments: readonly PaymentRecord[]): bigint {
  const last = payments.reduce((max, p) => p.receivedOn > max ? p.receivedOn : max, terms.acceptedOn)
  return evaluatePlan(terms, rules, payments, last).unapplied
}

t.test('accepted payments are always allocated in full, also after any of them is reversed', async t => {
  fc.assert(fc.property(caseArb, fc.array(fc.boolean(), { maxLength: 9 }), ({ terms, rules, drafts }, reversals) => {
    const booked = book(terms, rules, paymentsFrom(terms, drafts))
    if (unapplied(terms, rules, booked) !== 0n) return false
    const kept = booked.filter((_, k) => reversals[k] !== true)
    return unapplied(terms, rules, kept) === 0n
  }), { numRuns: 120 })
})

t.test('the overpayment answer names the largest amount that can be booked', async t => {
  fc.assert(fc.property(caseArb, fc.integer({ min: 0, max: 1000 }), fc.bigInt(1n, 10000000n), ({ terms, rules, drafts }, day, amount) => {
    const booked = book(terms, rules, paymentsFrom(terms, drafts))
    const today = addDays(terms.acceptedOn, planDays(terms))
    const candidate: PaymentRecord = { id: 'c', receivedOn: addDays(terms.acceptedOn, day % planDays(terms)), amount, bookedSeq: 100n }
    const answer = paymentAcceptance(terms, rules, booked, candidate, today)
    if (answer.kind !== 'overpayment') return true
    const more = paymentAcceptance(terms, rules, booked, { ...candidate, amount: answer.maxAmount + 1n }, today)
    if (more.kind !== 'overpayment' || more.maxAmount !== answer.maxAmount) return false
    return answer.maxAmount === 0n || paymentAcceptance(terms, rules, booked, { ...candidate, amount: answer.maxAmount }, today).kind === 'ok'
  }), { numRuns: 120 })
})

// A booked stream up to a date and the payoff quoted on it.
function quotedCase ({ terms, rules, drafts, asOfDay }: CaseValue): CaseValue & { asOf: string, booked: PaymentRecord[], quote: ReturnType<typeof payoffQuote> } {
  const asOf = addDays(terms.acceptedOn, asOfDay % planDays(terms))
  const booked = book(terms, rules, paymentsFrom(terms, drafts).filter(p => p.receivedOn <= asOf))
  return { terms, rules, drafts, asOfDay, asOf, booked, quote: payoffQuote(terms, rules, booked, asOf) }
}

t.test('paying the payoff quote on its date is accepted, completes the plan, and a unit more is refused', async t => {
  fc.assert(fc.property(caseArb, c => {
    const { terms, rules, asOf, booked, quote } = quotedCase(c)
    const before = evaluatePlan(terms, rules, booked, asOf)
    if (quote.kind === 'plan-not-active') return before.status === 'broken' && quote.outstanding === before.outstanding
    if (quote.amount !== quote.unpaidPrincipal + quote.unpaidInterestDue + quote.accruedInterest + quote.unpaidFees) return false
    if (quote.status === 'completed') return quote.amount === 0n && before.outstanding === 0n
    // The waiver is exactly the unpaid interest the plan would otherwise still collect.
    if (before.outstanding !== quote.amount + quote.interestWaived) return false
    const payoff: PaymentRecord = { id: 'payoff', receivedOn: asOf, amount: quote.amount, bookedSeq: 100n }
    if (paymentAcceptance(terms, rules, booked, payoff, asOf).kind !== 'ok') return false
    const more = paymentAcceptance(terms, rules, booked, { ...payoff, amount: quote.amount + 1n }, asOf)
    if (more.kind !== 'overpayment' || more.maxAmount !== quote.amount) return false
    const after = evaluatePlan(terms, rules, [...booked, payoff], asOf)
    return after.status === 'completed' && after.completedOn === asOf && after.outstanding === 0n &&
      after.interestWaivedOnPayoff - before.interestWaivedOnPayoff === quote.interestWaived && after.unapplied === 0n
  }), { numRuns: 300 })
})

t.test('a payment just under the payoff leaves the plan active', async t => {
  fc.assert(fc.property(caseArb, c => {
    const { terms, rules, asOf, booked, quote } = quotedCase(c)
    if (quote.kind !== 'payoff' || quote.amount < 2n) return true
    const after = evaluatePlan(terms, rules, [...booked, { id: 'x', receivedOn: asOf, amount: quote.amount - 1n, bookedSeq: 100n }], asOf)
    return after.status === 'active' && after.interestWaivedOnPayoff === 0n
  }), { numRuns: 200 })
})
