import t from 'tap'
import fc from 'fast-check'
import { buildQuote, isQuoteInputError, parseQuoteRequest, quoteToJson, type Quote, type QuoteRequest } from '../../src/domain/index.js'
import { standardPolicy } from '../../src/domain/policy.js'
import type { Policy } from '../../src/domain/policy.js'
import { compilePolicy } from '../../src/domain/compiled-policy.js'
import { addDays } from '../../src/domain/dates.js'
import { currencyDigits } from '../../src/domain/currency.js'
import { formatMoney } from '../../src/domain/money.js'
import { tableRows } from '../../src/domain/amortization-table.js'

const policyArb = fc.record({
  dayCount: fc.constantFrom('30/360' as const, 'ACT/365' as const),
  roundingMode: fc.constantFrom('HALF_UP' as const, 'HALF_EVEN' as const),
  methods: fc.constantFrom<Array<'annuity' | 'equal_principal'>>(['annuity'], ['equal_principal'], ['annuity', 'equal_principal']),
  term: fc.integer({ min: 1, max: 60 }),
  holiday: fc.integer({ min: 1, max: 24 }),
  repaymentMonths: fc.integer({ min: 1, max: 36 }),
  waiveHolidayInterest: fc.boolean(),
  currency: fc.constantFrom('CNY', 'JPY', 'KWD')
}).map(p => ({
  ...standardPolicy,
  currency: p.currency,
  dayCount: p.dayCount,
  roundingMode: p.roundingMode,
  installment: { ...standardPolicy.installment, termsMonths: [p.term], methods: p.methods },
  deferral: { ...standardPolicy.deferral, holidayMonths: [p.holiday], repaymentMonths: p.repaymentMonths, waiveHolidayInterest: p.waiveHolidayInterest }
}) satisfies Policy)

const caseArb = fc.record({
  policy: policyArb,
  balance: fc.bigInt(1n, 1000000000n),
  micros: fc.integer({ min: 0, max: 1000000 }),
  overdueDays: fc.integer({ min: 0, max: 200 }),
  asOf: fc.integer({ min: 0, max: 3650 }).map(d => addDays('2020-01-01', d)),
  income: fc.bigInt(0n, 10000000n)
}).map(c => {
  const digits = currencyDigits(c.policy.currency) ?? 2
  const request: QuoteRequest = {
    asOf: c.asOf,
    loan: { loanId: 'P', balance: formatMoney(c.balance, digits), overdueDays: c.overdueDays, annualInterestRate: (c.micros / 1e6).toFixed(6) },
    borrower: { monthlyIncome: formatMoney(c.income, digits) }
  }
  return { policy: c.policy, request }
})

function build (policy: Policy, request: QuoteRequest): Quote {
  const input = parseQuoteRequest(request, compilePolicy(policy))
  if (isQuoteInputError(input)) throw new Error(JSON.stringify(input.errors))
  return buildQuote(input, policy)
}

t.test('every plan repays exactly what it finances plus capitalised interest', async t => {
  fc.assert(fc.property(caseArb, ({ policy, request }) => {
    const q = build(policy, request)
    return q.options.every(o => {
      const schedule = tableRows(o.table)
      let principal = 0n
      let payments = 0n
      let interest = 0n
      let previous: bigint | null = null
      for (const r of schedule) {
        principal += r.principal
        payments += r.payment
        interest += r.interest
        if (r.payment < 0n || r.principal < 0n || r.interest < 0n) return false
        if (o.type !== 'deferral' && previous !== null && r.balance > previous) return false
        previous = r.balance
      }
      return principal === o.amountFinanced + o.capitalizedInterest &&
        payments === o.totalRepayable &&
        o.totalRepayable === o.amountFinanced + o.totalInterest &&
        o.totalInterest === interest + o.capitalizedInterest &&
        schedule.at(-1)?.balance === 0n &&
        schedule.length === (o.termMonths ?? 1)
    })
  }), { numRuns: 300 })
})

t.test('the penalty never exceeds its cap and waivers never exceed the penalty', async t => {
  fc.assert(fc.property(caseArb, ({ policy, request }) => {
    const q = build(policy, request)
    return q.penalty.total >= 0n && q.penalty.total <= (q.penalty.cap ?? 0n) &&
      q.options.every(o => o.penaltyWaived >= 0n && o.penaltyWaived <= q.penalty.total) &&
      q.totalDue === q.input.balance + q.penalty.total
  }), { numRuns: 300 })
})

t.test('formatted amounts carry exactly the currency digits', async t => {
  fc.assert(fc.property(caseArb, ({ policy, request }) => {
    const json = quoteToJson(build(policy, request))
    const digits = currencyDigits(json.loan.currency) ?? 2
    const shape = digits === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${digits}}$`)
    const amounts = [json.totalDue, json.penalty.total, json.affordability.maxAffordablePayment,
      ...json.options.flatMap(o => [o.totalRepayable, o.maxPayment, ...o.schedule.flatMap(r => [r.payment, r.principal, r.interest, r.balance])])]
    return amounts.every(a => shape.test(a))
  }), { numRuns: 200 })
})

t.test('exactly one of recommendation and review applies', async t => {
  fc.assert(fc.property(caseArb, ({ policy, request }) => {
    const q = build(policy, request)
    const plans = q.options.filter(o => o.type !== 'settlement')
    if (q.recommendedOptionId !== null) {
      const chosen = plans.find(o => o.id === q.recommendedOptionId)
      return !q.needsReview && q.closestOptionId === null && chosen?.affordable === true &&
        plans.every(o => o.affordable !== true || o.totalRepayable >= chosen.totalRepayable)
    }
    const closest = plans.find(o => o.id === q.closestOptionId)
    // A tiny balance can leave no plan at all (every level payment rounds to 0).
    return q.needsReview && q.reviewReason !== null && plans.every(o => o.affordable === false) &&
      (plans.length === 0 ? q.closestOptionId === null : closest !== undefined && plans.every(o => o.maxPayment >= closest.maxPayment))
  }), { numRuns: 300 })
})

t.test('the same request always gives the same quote', async t => {
  fc.assert(fc.property(caseArb, ({ policy, request }) =>
    JSON.stringify(quoteToJson(build(policy, request))) === JSON.stringify(quoteToJson(build(policy, structuredClone(request))))
  ), { numRuns: 100 })
})
