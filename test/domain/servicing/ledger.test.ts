import t from 'tap'
import { evaluatePlan } from '../../../src/domain/servicing/evaluate.js'
import { payoffQuote } from '../../../src/domain/servicing/payoff.js'
import { paymentAcceptance } from '../../../src/domain/servicing/acceptance.js'
import { ServicingLedger, replay } from '../../../src/domain/servicing/ledger.js'
import type { InstallmentTerms, PaymentRecord, PlanTerms } from '../../../src/domain/servicing/plan-terms.js'
import { rulesWith } from './fixtures.js'

// 3 × 100.00 + interest 3.00, 2.00, 1.00, due on the 10th from February.
const rows: InstallmentTerms[] = [
  { number: 1, dueDate: '2026-02-10', payment: 10300n, principal: 10000n, interest: 300n },
  { number: 2, dueDate: '2026-03-10', payment: 10200n, principal: 10000n, interest: 200n },
  { number: 3, dueDate: '2026-04-10', payment: 10100n, principal: 10000n, interest: 100n }
]
const terms: PlanTerms = {
  digits: 2, roundingMode: 'HALF_UP', dayCount: '30/360', acceptedOn: '2026-01-10', schedule: rows,
  penaltyWaived: 2500n, annualCostCap: '0.24', amountFinanced: 30000n
}
const pay = (id: string, receivedOn: string, amount: bigint, bookedSeq = 1n): PaymentRecord => ({ id, receivedOn, amount, bookedSeq })

t.test('a payment on the acceptance day, before anything is due, pays the next installments oldest first', async t => {
  const s = evaluatePlan(terms, rulesWith({}), [pay('a', '2026-01-10', 15000n)], '2026-01-10')
  t.same(s.allocations[0]?.installments, [
    { number: 1, fees: 0n, interest: 300n, principal: 10000n },
    { number: 2, fees: 0n, interest: 200n, principal: 4500n }
  ])
  t.same(s.installments.map(i => [i.state, i.paidOn]), [['paid', '2026-01-10'], ['partially_paid', null], ['upcoming', null]])
  t.same(s.nextDue, { dueDate: '2026-03-10', amount: 5500n })
  t.equal(s.status, 'active')
})

t.test('the allocation order reorders the parts within an installment, and fees are paid where they sit', async t => {
  const rules = rulesWith({ lateInstallmentFee: '5.00', allocationOrder: ['principal', 'interest', 'fees'] })
  // Row 1 missed on 02-16 (fee 5.00); 50.00 paid on 02-20 goes to its principal first.
  const s = evaluatePlan(terms, rules, [pay('a', '2026-02-20', 5000n)], '2026-02-20')
  t.same(s.allocations[0]?.installments, [{ number: 1, fees: 0n, interest: 0n, principal: 5000n }])
  t.equal(s.installments[0]?.fees, 500n)
  t.equal(s.installments[0]?.state, 'missed')
  const f = evaluatePlan(terms, rulesWith({ lateInstallmentFee: '5.00' }), [pay('a', '2026-02-20', 5000n)], '2026-02-20')
  t.same(f.allocations[0]?.installments, [{ number: 1, fees: 500n, interest: 300n, principal: 4200n }], 'default order: fees, interest, principal')
})

t.test('with principal first a part payment still goes row by row; interest paid ahead is not refunded by a payoff', async t => {
  const rules = rulesWith({ allocationOrder: ['principal', 'interest', 'fees'] })
  t.match(payoffQuote(terms, rules, [], '2026-01-25'), { kind: 'payoff', amount: 30150n, unpaidPrincipal: 30000n, accruedInterest: 150n, interestWaived: 450n })
  const early = [pay('a', '2026-01-25', 30000n)]
  const s = evaluatePlan(terms, rules, early, '2026-01-25')
  t.same(s.allocations[0]?.installments, [
    { number: 1, fees: 0n, interest: 300n, principal: 10000n },
    { number: 2, fees: 0n, interest: 200n, principal: 10000n },
    { number: 3, fees: 0n, interest: 0n, principal: 9500n }
  ])
  // Row 1 has earned 1.50 of the 3.00 paid; the excess is not credited, row 3's 1.00 is waived.
  t.match(payoffQuote(terms, rules, early, '2026-01-25'), { amount: 500n, accruedInterest: 0n, interestWaived: 100n })
  const done = evaluatePlan(terms, rules, [...early, pay('b', '2026-01-25', 500n, 2n)], '2026-01-25')
  t.match(done, { status: 'completed', completedOn: '2026-01-25', outstanding: 0n, interestWaivedOnPayoff: 100n, paidTotal: 30500n })
})

t.test('a zero-interest plan pays off at its principal', async t => {
  const flat = { ...terms, schedule: rows.map(r => ({ ...r, interest: 0n, payment: r.principal })) }
  t.match(payoffQuote(flat, rulesWith({}), [], '2026-03-01'), { amount: 30000n, accruedInterest: 0n, interestWaived: 0n })
})

t.test('an installment unpaid more than breakAfterDaysPastDue breaks the plan even within the allowed misses', async t => {
  const rules = rulesWith({ allowedMissedInstallments: 3, breakAfterDaysPastDue: 20 })
  // Row 1 is never paid: 02-10 + 20 days → broken on 03-03.
  t.match(evaluatePlan(terms, rules, [], '2026-03-02'), { status: 'active', missedInstallments: 1 })
  t.match(evaluatePlan(terms, rules, [], '2026-03-03'), { status: 'broken', brokenOn: '2026-03-03', reinstatedPenalty: 2500n })
  t.match(evaluatePlan(terms, rulesWith({ allowedMissedInstallments: 3, breakAfterDaysPastDue: 20, reinstateWaivedPenalty: false }), [], '2026-03-03'),
    { status: 'broken', reinstatedPenalty: 0n })
})

t.test('after a breach, money goes to the installments first and the reinstated penalty last, and no more fees are charged', async t => {
  const rules = rulesWith({ allowedMissedInstallments: 0, lateInstallmentFee: '1.00' })
  // Broken on 02-16, the first miss; the caller refused later payments, but a booked one still counts.
  const s = evaluatePlan(terms, rules, [pay('a', '2026-05-01', 31000n)], '2026-05-01')
  t.match(s, { status: 'broken', brokenOn: '2026-02-16', lateFeesCharged: 100n, missedInstallments: 3, reinstatedPenalty: 2500n, paidPenalty: 300n })
  t.equal(s.outstanding, 2200n)
  t.equal(s.arrears, 2200n)
  t.equal(s.allocations[0]?.penalty, 300n)
})

t.test('refuses payments before acceptance, in the future, not positive, after a breach, and beyond the payoff', async t => {
  const rules = rulesWith({})
  const p = pay('c', '2026-02-01', 100n, 9n)
  t.same(paymentAcceptance(terms, rules, [], { ...p, receivedOn: '2026-01-09' }, '2026-02-01'), { kind: 'received-before-acceptance', acceptedOn: '2026-01-10' })
  t.same(paymentAcceptance(terms, rules, [], { ...p, receivedOn: '2026-02-02' }, '2026-02-01'), { kind: 'received-in-future', today: '2026-02-01' })
  t.same(paymentAcceptance(terms, rules, [], { ...p, amount: 0n }, '2026-02-01'), { kind: 'amount-not-positive' })
  t.same(paymentAcceptance(terms, rules, [], { ...p, receivedOn: '2026-03-16' }, '2026-03-16'), { kind: 'plan-not-active', status: 'broken', brokenOn: '2026-03-16' })
  // On 02-01 the payoff is 300.00 + 3.00 × 21/30 = 302.10.
  t.same(paymentAcceptance(terms, rules, [], { ...p, amount: 40000n }, '2026-02-01'), { kind: 'overpayment', maxAmount: 30210n })
})

t.test('a back-dated payment may not turn a later payoff into an overpayment', async t => {
  const rules = rulesWith({})
  const payoff = payoffQuote(terms, rules, [], '2026-02-01')
  if (payoff.kind !== 'payoff') throw new Error('active')
  const booked = [pay('a', '2026-02-01', payoff.amount, 1n)]
  t.match(evaluatePlan(terms, rules, booked, '2026-02-01'), { status: 'completed' })
  const late = pay('b', '2026-01-20', 5000n, 2n)
  t.same(paymentAcceptance(terms, rules, booked, late, '2026-02-01'), { kind: 'overpayment', maxAmount: 0n })
  t.same(paymentAcceptance(terms, rules, booked, { ...late, receivedOn: '2026-02-02' }, '2026-02-02'), { kind: 'overpayment', maxAmount: 0n }, 'nothing is owed after completion')
})

t.test('evaluation replays unvalidated input deterministically and reports money beyond the settlement as unapplied', async t => {
  const s = evaluatePlan(terms, rulesWith({}), [pay('a', '2026-01-10', 40000n)], '2026-01-10')
  t.match(s, { status: 'completed', paidTotal: 30000n, unapplied: 10000n, interestWaivedOnPayoff: 600n })
  t.equal(s.installments.every(i => i.state === 'paid'), true)
})

t.test('the ledger refuses out-of-order posting, time travel and malformed input', async t => {
  const ledger = new ServicingLedger(terms, rulesWith({}))
  ledger.post(pay('a', '2026-02-01', 100n, 2n))
  t.throws(() => ledger.post(pay('b', '2026-02-01', 100n, 1n)), /booking order/)
  t.throws(() => ledger.advanceTo('2026-01-31'), /cannot go back/)
  t.throws(() => new ServicingLedger(terms, rulesWith({})).post(pay('z', '2026-02-01', 0n)), /positive/)
  t.throws(() => new ServicingLedger(terms, rulesWith({})).post(pay('z', '2026-01-01', 1n)), /acceptance/)
  t.throws(() => new ServicingLedger(terms, rulesWith({ lateInstallmentFee: '0.001' })), /lateInstallmentFee/)
  t.throws(() => replay({ ...terms, acceptedOn: '2026-02-30' }, rulesWith({}), [], '2026-03-01'), /acceptedOn/)
  t.throws(() => replay({ ...terms, schedule: [rows[1] as InstallmentTerms] }, rulesWith({}), [], '2026-03-01'), /numbered/)
  t.throws(() => replay({ ...terms, schedule: [rows[0] as InstallmentTerms, { ...rows[1] as InstallmentTerms, dueDate: '2026-02-10' }] }, rulesWith({}), [], '2026-03-01'), /rise/)
  t.throws(() => replay({ ...terms, schedule: [{ ...rows[0] as InstallmentTerms, payment: 1n }] }, rulesWith({}), [], '2026-03-01'), /principal \+ interest/)
  t.throws(() => replay({ ...terms, penaltyWaived: -1n }, rulesWith({}), [], '2026-03-01'), /negative/)
  t.throws(() => replay({ ...terms, annualCostCap: 'x' }, rulesWith({}), [], '2026-03-01'), /annualCostCap/)
})

t.test('a plan that owes nothing is completed on its acceptance day', async t => {
  t.match(evaluatePlan({ ...terms, schedule: [] }, rulesWith({}), [], '2026-01-10'), { status: 'completed', completedOn: '2026-01-10', outstanding: 0n })
})

t.test('a late fee is cut to the room left under the cost cap', async t => {
  // Cap on 02-16 (37 days): 300.00 × 0.24 × 37 / 365 = 7.298… → 7.30; on 03-16 (65 days) 12.82.
  const rules = rulesWith({ lateInstallmentFee: '10.00', allowedMissedInstallments: 2 })
  const s = evaluatePlan(terms, rules, [], '2026-03-16')
  t.same(s.installments.map(i => i.fees), [730n, 552n, 0n])
  t.equal(s.lateFeesCharged, 1282n)
  t.same(evaluatePlan({ ...terms, annualCostCap: null }, rules, [], '2026-03-16').installments.map(i => i.fees), [1000n, 1000n, 0n], 'no cap, the whole fee')
})
