// Issue 12's schedule invariants over 10,000 random loans: balances 0.01 to
// 10,000,000, rates 0–36 %, 0–800 overdue days, CNY/USD/JPY/KWD, both
// rounding modes and day counts, terms up to 120 months. For every option:
// holiday rows (a deferral's first holidayMonths rows) pay nothing; every
// other row is a repayment row and pays more than 0.
import t from 'tap'
import fc from 'fast-check'
import { buildQuote, isQuoteInputError, parseQuoteRequest, type QuoteRequest } from '../../src/domain/index.js'
import { standardPolicy } from '../../src/domain/policy.js'
import type { AmortizationMethod, Policy } from '../../src/domain/policy.js'
import type { RepaymentOption } from '../../src/domain/options.js'
import { compilePolicy } from '../../src/domain/compiled-policy.js'
import { addDays } from '../../src/domain/dates.js'
import { currencyDigits } from '../../src/domain/currency.js'
import { formatMoney } from '../../src/domain/money.js'
import { tableRows } from '../../src/domain/amortization-table.js'

const MAX_TERM = 120

const policyArb = fc.record({
  dayCount: fc.constantFrom('30/360' as const, 'ACT/365' as const),
  roundingMode: fc.constantFrom('HALF_UP' as const, 'HALF_EVEN' as const),
  methods: fc.constantFrom<AmortizationMethod[]>(['annuity'], ['equal_principal'], ['annuity', 'equal_principal'], ['equal_principal', 'annuity']),
  // Short terms often, so early repayment and shared real terms come up.
  terms: fc.uniqueArray(fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: MAX_TERM })), { minLength: 1, maxLength: 2 }),
  holidays: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { maxLength: 1 }),
  repaymentMonths: fc.integer({ min: 1, max: 60 }),
  waiveHolidayInterest: fc.boolean(),
  maxOverdueDays: fc.constantFrom(90, 800)
}).map(p => ({
  ...standardPolicy,
  dayCount: p.dayCount,
  roundingMode: p.roundingMode,
  installment: { ...standardPolicy.installment, termsMonths: p.terms, methods: p.methods, maxTermMonths: MAX_TERM },
  deferral: { ...standardPolicy.deferral, holidayMonths: p.holidays, repaymentMonths: p.repaymentMonths, waiveHolidayInterest: p.waiveHolidayInterest, maxOverdueDays: p.maxOverdueDays }
}) satisfies Policy)

const caseArb = fc.record({
  policy: policyArb,
  currency: fc.constantFrom('CNY', 'USD', 'JPY', 'KWD'),
  // Log-uniform 0.01 … 10,000,000 in major units: tiny balances are where the edges are.
  magnitude: fc.double({ min: -2, max: 7, noNaN: true }),
  rateBasisPoints: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3600 })),
  overdueDays: fc.integer({ min: 0, max: 800 }),
  asOf: fc.integer({ min: 0, max: 3650 }).map(d => addDays('2020-01-01', d)),
  income: fc.bigInt(0n, 10n ** 9n)
}).map(c => {
  const digits = currencyDigits(c.currency) ?? 2
  const minor = BigInt(Math.max(1, Math.round(10 ** (c.magnitude + digits))))
  const request: QuoteRequest = {
    asOf: c.asOf,
    loan: { loanId: 'P', balance: formatMoney(minor, digits), overdueDays: c.overdueDays, currency: c.currency, annualInterestRate: (c.rateBasisPoints / 10000).toFixed(4) },
    borrower: { monthlyIncome: formatMoney(c.income, digits) }
  }
  return { policy: c.policy, request }
})

// The first invariant an option breaks, or null.
function broken (o: RepaymentOption): string | null {
  const rows = tableRows(o.table)
  const holiday = o.holidayMonths ?? 0
  let payments = 0n
  let principal = 0n
  let interest = 0n
  let previous = o.amountFinanced
  for (const [k, r] of rows.entries()) {
    if (r.payment !== r.principal + r.interest || r.principal < 0n || r.interest < 0n) return `row ${k + 1} does not add up`
    if (r.balance < 0n) return `row ${k + 1} balance is negative`
    if (k < holiday) {
      if (r.payment !== 0n) return `holiday row ${k + 1} pays`
      const expected = k === holiday - 1 ? o.amountFinanced + o.capitalizedInterest : o.amountFinanced
      if (r.balance !== expected) return `holiday row ${k + 1} balance`
      previous = r.balance
    } else {
      if (r.payment <= 0n) return `repayment row ${k + 1} pays ${r.payment}`
      if (o.type !== 'settlement' && r.balance !== previous - r.principal) return `row ${k + 1} balance does not follow`
      previous = r.balance
    }
    payments += r.payment
    principal += r.principal
    interest += r.interest
  }
  if (rows.at(-1)?.balance !== 0n) return 'the balance does not end at 0'
  if (payments !== o.totalRepayable) return 'payments do not sum to totalRepayable'
  if (principal !== o.amountFinanced + o.capitalizedInterest) return 'principal does not sum to amountFinanced + capitalizedInterest'
  if (interest + o.capitalizedInterest !== o.totalInterest) return 'interest does not sum to totalInterest'
  if (o.totalRepayable !== o.amountFinanced + o.totalInterest) return 'totalRepayable is not amountFinanced + totalInterest'
  if (rows.length !== (o.termMonths ?? 1)) return 'termMonths is not the number of rows'
  const repayments = rows.slice(holiday)
  if (o.firstPaymentDate !== repayments[0]?.dueDate) return 'firstPaymentDate is not the first row that pays'
  const level = o.type === 'deferral' || o.method === 'annuity'
  const first = repayments[0] as NonNullable<typeof repayments[0]>
  for (const r of repayments.slice(0, -1)) {
    if (level && r.payment !== first.payment) return `annuity row ${r.number} is not the level payment`
    if (o.method === 'equal_principal' && r.principal !== first.principal) return `equal-principal row ${r.number} is not the share`
  }
  if (o.type === 'installment' && o.id !== `installment-${o.method ?? ''}-${o.termMonths ?? 0}`) return 'the id does not name the term'
  return null
}

t.test('every option of 10,000 random loans keeps the schedule invariants', async t => {
  let options = 0
  let early = 0
  let refusals = 0
  fc.assert(fc.property(caseArb, ({ policy, request }) => {
    const input = parseQuoteRequest(request, compilePolicy(policy))
    if (isQuoteInputError(input)) throw new Error(JSON.stringify(input.errors))
    const q = buildQuote(input, policy)
    const ids = [...q.options, ...q.rejectedOptions].map(o => o.id)
    if (new Set(ids).size !== ids.length) return false
    // Every policy term and method is either offered (under its real term) or refused with a reason.
    const { termsMonths, methods } = policy.installment
    const installments = ids.filter(id => id.startsWith('installment-')).length
    if (installments !== termsMonths.length * methods.length) return false
    options += q.options.length
    early += q.options.filter(o => o.type === 'installment' && !termsMonths.includes(o.termMonths ?? 0)).length
    refusals += q.rejectedOptions.length
    for (const o of q.options) {
      const why = broken(o)
      if (why !== null) throw new Error(`${o.id}: ${why}`)
    }
    return true
  }), { numRuns: 10000 })
  // The mix really reaches the edges it is meant to test.
  t.ok(options > 25000, `${options} options`)
  t.ok(early > 50, `${early} offered under a shorter real term`)
  t.ok(refusals > 1000, `${refusals} refused`)
})
