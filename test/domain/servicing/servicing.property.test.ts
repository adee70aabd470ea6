import t from 'tap'
import { deepStrictEqual } from 'node:assert/strict'
import fc from 'fast-check'
import { addDays, daysBetween } from '../../../src/domain/dates.js'
import { evaluatePlan } from '../../../src/domain/servicing/evaluate.js'
import { lateFeeCap } from '../../../src/domain/servicing/late-fee.js'
import { costCapRate } from '../../../src/domain/servicing/plan-terms.js'
import { ServicingLedger, replay } from '../../../src/domain/servicing/ledger.js'
import { bookingOrder } from '../../../src/domain/servicing/plan-terms.js'
import type { ServicingState } from '../../../src/domain/servicing/evaluate.js'
import type { PlanTerms } from '../../../src/domain/servicing/plan-terms.js'
import type { ServicingRules } from '../../../src/domain/servicing/rules.js'
import { draftsArb, paymentsFrom, planDays, rulesArb, termsArb, totalRepayable } from './arbitraries.js'

const runs = { numRuns: 400 }
const caseArb = fc.record({ terms: termsArb, rules: rulesArb, drafts: draftsArb, asOfDay: fc.integer({ min: 0, max: 1000 }) })

function asOfFor (terms: PlanTerms, day: number): string {
  return addDays(terms.acceptedOn, day % planDays(terms))
}

// Everything ever owed is paid, still owed or waived by a payoff.
function balances (s: ServicingState, terms: PlanTerms): boolean {
  return s.paidTotal + s.outstanding + s.interestWaivedOnPayoff === totalRepayable(terms) + s.lateFeesCharged + s.reinstatedPenalty
}

t.test('money is conserved: allocations sum to the payments and paid + outstanding + waived = everything owed', async t => {
  fc.assert(fc.property(caseArb, ({ terms, rules, drafts, asOfDay }) => {
    const asOf = asOfFor(terms, asOfDay)
    const s = evaluatePlan(terms, rules, paymentsFrom(terms, drafts), asOf)
    for (const a of s.allocations) {
      const parts = a.installments.reduce((sum, i) => sum + i.fees + i.interest + i.principal, 0n)
      if (parts + a.penalty + a.unapplied !== a.amount) return false
    }
    const received = s.allocations.reduce((sum, a) => sum + a.amount, 0n)
    return balances(s, terms) && s.paidTotal + s.unapplied === received && s.outstanding >= 0n && s.arrears <= s.outstanding
  }), runs)
})

t.test('no installment is paid above what it owes, and only a payoff waives interest', async t => {
  fc.assert(fc.property(caseArb, ({ terms, rules, drafts, asOfDay }) => {
    const s = evaluatePlan(terms, rules, paymentsFrom(terms, drafts), asOfFor(terms, asOfDay))
    return s.installments.every(i =>
      i.paidPrincipal <= i.principal && i.paidInterest + i.interestWaived <= i.interest && i.paidFees <= i.fees &&
      i.unpaid === i.payment + i.fees - i.paidPrincipal - i.paidInterest - i.paidFees - i.interestWaived && i.unpaid >= 0n &&
      (i.interestWaived === 0n || s.status === 'completed')) &&
      s.paidPenalty <= s.reinstatedPenalty
  }), runs)
})

t.test('the order in which payments are handed in does not matter', async t => {
  fc.assert(fc.property(caseArb, fc.integer(), ({ terms, rules, drafts, asOfDay }, seed) => {
    const payments = paymentsFrom(terms, drafts)
    const shuffled = [...payments].sort((a, b) => ((Number(a.bookedSeq) * 7919 + seed) % 13) - ((Number(b.bookedSeq) * 7919 + seed) % 13))
    const asOf = asOfFor(terms, asOfDay)
    deepStrictEqual(evaluatePlan(terms, rules, shuffled, asOf), evaluatePlan(terms, rules, payments, asOf))
  }), { numRuns: 150 })
})

t.test('the incremental path equals the replay: posting in booking order with the clock advanced in between', async t => {
  fc.assert(fc.property(caseArb, fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 6 }), ({ terms, rules, drafts, asOfDay }, stops) => {
    const asOf = asOfFor(terms, asOfDay)
    const payments = paymentsFrom(terms, drafts).filter(p => p.receivedOn <= asOf).sort(bookingOrder)
    const ledger = new ServicingLedger(terms, rules)
    const stopDates = stops.map(d => asOfFor(terms, d)).filter(d => d <= asOf).sort()
    for (const p of payments) {
      // Advance the clock through the stops before this payment, as a caller evaluating on those days would.
      while (stopDates.length > 0 && (stopDates[0] as string) <= p.receivedOn) ledger.advanceTo(stopDates.shift() as string)
      ledger.post(p)
    }
    ledger.advanceTo(asOf)
    const fresh = replay(terms, rules, payments, asOf)
    deepStrictEqual(ledger, fresh)
  }), { numRuns: 150 })
})

t.test('allocations never depend on later dates or later payments', async t => {
  fc.assert(fc.property(caseArb, fc.integer({ min: 0, max: 400 }), ({ terms, rules, drafts, asOfDay }, extra) => {
    const payments = paymentsFrom(terms, drafts)
    const early = asOfFor(terms, asOfDay)
    const late = addDays(early, extra)
    const a = evaluatePlan(terms, rules, payments, early)
    const b = evaluatePlan(terms, rules, payments, late)
    deepStrictEqual(b.allocations.slice(0, a.allocations.length), a.allocations)
    // Completed and broken are final unless a payment is reversed.
    if (a.status !== 'active') deepStrictEqual([b.status, b.completedOn, b.brokenOn], [a.status, a.completedOn, a.brokenOn])
  }), { numRuns: 200 })
})

function breachHolds (s: ServicingState, rules: ServicingRules): boolean {
  return s.missedInstallments > rules.allowedMissedInstallments ||
    s.installments.some(i => i.unpaid > 0n && daysBetween(i.dueDate, s.asOf) > rules.breakAfterDaysPastDue)
}

t.test('states follow the dates', async t => {
  fc.assert(fc.property(caseArb, ({ terms, rules, drafts, asOfDay }) => {
    const asOf = asOfFor(terms, asOfDay)
    const s = evaluatePlan(terms, rules, paymentsFrom(terms, drafts), asOf)
    for (const i of s.installments) {
      const late = daysBetween(i.dueDate, asOf)
      const ok =
        i.state === 'paid'
          ? i.unpaid === 0n && i.paidOn !== null && i.paidOn <= asOf
          : i.state === 'upcoming'
            ? late < 0 && i.paidPrincipal + i.paidInterest + i.paidFees === 0n
            : i.state === 'due'
              ? late === 0 && i.paidPrincipal + i.paidInterest === 0n
              : i.state === 'partially_paid'
                ? late <= 0 && i.unpaid > 0n
                : i.state === 'overdue'
                  ? late > 0 && late <= rules.graceDays && i.unpaid > 0n
                  : late > rules.graceDays && i.unpaid > 0n && i.missed
      if (!ok) return false
      // A holiday row owes nothing and is never missed.
      if (i.payment === 0n && (i.missed || i.fees > 0n)) return false
    }
    if (s.missedInstallments !== s.installments.filter(i => i.missed).length) return false
    const pastDue = s.installments.filter(i => i.unpaid > 0n && i.dueDate < asOf)
    if (s.daysPastDue !== (pastDue.length === 0 ? 0 : daysBetween((pastDue[0] as { dueDate: string }).dueDate, asOf))) return false
    if (s.status === 'completed') return s.outstanding === 0n && s.completedOn !== null && s.completedOn <= asOf && s.brokenOn === null && s.nextDue === null
    if (s.status === 'broken') {
      if (s.brokenOn === null || s.brokenOn > asOf || s.nextDue !== null) return false
      // Broken on the first day the rules were breached, not a day later or earlier.
      const before = evaluatePlan(terms, rules, paymentsFrom(terms, drafts), addDays(s.brokenOn, -1) < terms.acceptedOn ? terms.acceptedOn : addDays(s.brokenOn, -1))
      const onTheDay = evaluatePlan(terms, rules, paymentsFrom(terms, drafts).filter(p => p.receivedOn < (s.brokenOn as string)), s.brokenOn)
      return breachHolds(onTheDay, rules) && (before.status !== 'broken' || s.brokenOn === terms.acceptedOn) &&
        s.reinstatedPenalty === (rules.reinstateWaivedPenalty ? terms.penaltyWaived : 0n)
    }
    return !breachHolds(s, rules) && s.outstanding > 0n && s.reinstatedPenalty === 0n
  }), runs)
})

t.test('late fees stay under the cost cap on every day and are charged only to missed installments', async t => {
  fc.assert(fc.property(caseArb, ({ terms, rules, drafts, asOfDay }) => {
    const asOf = asOfFor(terms, asOfDay)
    const s = evaluatePlan(terms, rules, paymentsFrom(terms, drafts), asOf)
    const cap = costCapRate(terms)
    if (s.installments.some(i => i.fees > 0n && !i.missed)) return false
    return cap === null || s.lateFeesCharged <= lateFeeCap(terms.amountFinanced, cap, terms.acceptedOn, asOf, terms.roundingMode)
  }), runs)
})
