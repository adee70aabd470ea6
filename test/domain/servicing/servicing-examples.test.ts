// The worked examples of README.md ("Servicing"), pinned to the independent
// Python oracle (oracle.py → oracle-expected.json).
import t, { type Test } from 'tap'
import { formatMoney } from '../../../src/domain/money.js'
import { evaluatePlan } from '../../../src/domain/servicing/evaluate.js'
import { payoffQuote } from '../../../src/domain/servicing/payoff.js'
import { paymentAcceptance } from '../../../src/domain/servicing/acceptance.js'
import { asOracle, oracleCases, paymentsOf, termsOf } from './fixtures.js'
import type { OracleCase, OracleState } from './fixtures.js'
import type { PaymentRecord, PlanTerms } from '../../../src/domain/servicing/plan-terms.js'

function withoutAsOf (q: Record<string, string> | undefined): Record<string, string> | null {
  if (q === undefined) return null
  const { asOf: _, ...parts } = q
  return parts
}

function check (t: Test, c: OracleCase, terms: PlanTerms, payments: PaymentRecord[], expected: OracleState[]): void {
  for (const want of expected) {
    const state = evaluatePlan(terms, c.rules, payments, want.asOf)
    const quote = payoffQuote(terms, c.rules, payments, want.asOf)
    t.same(asOracle(state, c.digits, quote.kind === 'payoff' ? quote : null), want, `${c.name} as of ${want.asOf}`)
  }
}

for (const c of oracleCases()) {
  t.test(`${c.title}: matches the oracle`, async t => {
    const terms = termsOf(c)
    t.same(terms.schedule.map(r => ({ number: r.number, dueDate: r.dueDate, payment: formatMoney(r.payment, c.digits), principal: formatMoney(r.principal, c.digits), interest: formatMoney(r.interest, c.digits) })),
      c.schedule, 'the engine builds the oracle schedule')
    const payments = paymentsOf(c)
    check(t, c, terms, payments, c.states)
    if (c.reversed !== undefined && c.statesAfterReversal !== undefined) {
      check(t, c, terms, payments.filter(p => p.id !== c.reversed), c.statesAfterReversal)
    }
  })
}

t.test('the early payoff is quoted before it is paid, and the quoted amount is accepted and completes the plan', async t => {
  const c = oracleCases().find(x => x.name === 'early-payoff') as OracleCase
  const terms = termsOf(c)
  const payments = paymentsOf(c)
  const payoff = payments.find(p => p.id === 'PAYOFF') as PaymentRecord
  const before = payments.filter(p => p !== payoff)
  const quote = payoffQuote(terms, c.rules, before, payoff.receivedOn)
  t.equal(quote.kind, 'payoff')
  if (quote.kind !== 'payoff') return
  t.same(asOracle(evaluatePlan(terms, c.rules, before, payoff.receivedOn), c.digits, quote).payoff, withoutAsOf(c.payoffQuote))
  t.equal(quote.amount, payoff.amount)
  t.same(paymentAcceptance(terms, c.rules, before, payoff, payoff.receivedOn), { kind: 'ok' })
  t.same(paymentAcceptance(terms, c.rules, before, { ...payoff, amount: payoff.amount + 1n }, payoff.receivedOn), { kind: 'overpayment', maxAmount: payoff.amount })
})

t.test('the broken plan refuses the next payment and has no payoff quote', async t => {
  const c = oracleCases().find(x => x.name === 'broken-after-two-misses') as OracleCase
  const terms = termsOf(c)
  const payments = paymentsOf(c)
  const next: PaymentRecord = { id: 'P3', receivedOn: '2026-07-06', amount: 100n, bookedSeq: 3n }
  t.same(paymentAcceptance(terms, c.rules, payments, next, '2026-07-06'), { kind: 'plan-not-active', status: 'broken', brokenOn: '2026-07-06' })
  t.same(paymentAcceptance(terms, c.rules, payments, { ...next, receivedOn: '2026-07-05' }, '2026-07-06'), { kind: 'ok' }, 'the day before the breach it is still accepted')
  const quote = payoffQuote(terms, c.rules, payments, '2026-07-07')
  t.same(quote, { kind: 'plan-not-active', asOf: '2026-07-07', status: 'broken', brokenOn: '2026-07-06', outstanding: 244357n })
})
