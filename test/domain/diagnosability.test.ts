import t from 'tap'
import { penaltyFor } from '../../src/domain/penalty.js'
import { standardPolicy, type Policy } from '../../src/domain/policy.js'
import { parseDecimal } from '../../src/domain/decimal.js'
import { monthlyDueDates } from '../../src/domain/dates.js'
import { computeQuote, isQuoteInputError, type QuoteComputation, type QuoteRequest } from '../../src/domain/index.js'

// Issue 16.6: direct tests for rules only the golden hash caught (exact ties at named rounding
// steps, the deferral eligibility boundary, the month sequence of due dates).

const rate = (s: string) => parseDecimal(s)!
const withMode = (mode: 'HALF_UP' | 'HALF_EVEN', over: Partial<Policy['penalty']> = {}): Policy =>
  ({ ...standardPolicy, roundingMode: mode, penalty: { ...standardPolicy.penalty, ...over } })

t.test('penaltyInterest: 18.25 overdue at 12 % (18 % marked up) for 5 days is exactly 4.5 minor units', async (t) => {
  const input = { overdueAmount: 1825n, annualInterestRate: rate('0.12'), overdueDays: 5, digits: 2 }
  t.equal(penaltyFor(input, withMode('HALF_UP', { annualCostCap: null })).penaltyInterest, 5n, 'HALF_UP: away from zero')
  t.equal(penaltyFor(input, withMode('HALF_EVEN', { annualCostCap: null })).penaltyInterest, 4n, 'HALF_EVEN: to the even neighbour')
})

t.test('lateFee: 0.05 overdue × 0.5 is exactly 2.5 minor units', async (t) => {
  const input = { overdueAmount: 5n, annualInterestRate: rate('0'), overdueDays: 10, digits: 2 }
  const over = { lateFeeFixed: '0', lateFeeRate: '0.5', annualCostCap: null }
  t.equal(penaltyFor(input, withMode('HALF_UP', over)).lateFee, 3n)
  t.equal(penaltyFor(input, withMode('HALF_EVEN', over)).lateFee, 2n)
})

t.test('costCap: 18.25 overdue, an 18 % cap, 5 days is exactly 4.5 minor units', async (t) => {
  const input = { overdueAmount: 1825n, annualInterestRate: rate('0.12'), overdueDays: 5, digits: 2 }
  t.equal(penaltyFor(input, withMode('HALF_UP', { annualCostCap: '0.18' })).cap, 5n)
  t.equal(penaltyFor(input, withMode('HALF_EVEN', { annualCostCap: '0.18' })).cap, 4n)
})

function quote (request: QuoteRequest, policy: Policy = standardPolicy): QuoteComputation {
  const q = computeQuote(request, policy)
  if (isQuoteInputError(q)) throw new Error(JSON.stringify(q.errors))
  return q
}

const request = (overdueDays: number): QuoteRequest => ({
  asOf: '2026-01-31',
  loan: { loanId: 'LN-DIAG', balance: '50000.00', overdueDays, annualInterestRate: '0.12' },
  borrower: { monthlyIncome: '9000.00', monthlyObligations: '1500.00' }
})

t.test('deferrals are offered up to maxOverdueDays inclusive (refused only when overdueDays > maxOverdueDays)', async (t) => {
  const max = standardPolicy.deferral.maxOverdueDays
  const at = quote(request(max))
  t.ok(at.options.some((o) => o.type === 'deferral'), `${max} days: offered`)
  t.notOk(at.rejectedOptions.some((o) => o.type === 'deferral'))
  const past = quote(request(max + 1))
  t.notOk(past.options.some((o) => o.type === 'deferral'), `${max + 1} days: refused`)
  t.same(past.rejectedOptions.filter((o) => o.type === 'deferral').map((o) => o.id), ['deferral-1', 'deferral-3', 'deferral-6'])
})

t.test('month k is asOf + k months counted from asOf each time, clamped to the month end', async (t) => {
  t.same(monthlyDueDates('2026-01-31', 1, 6), ['2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31'])
  t.same(monthlyDueDates('2027-11-30', 1, 4), ['2027-12-30', '2028-01-30', '2028-02-29', '2028-03-30'])
  t.same(monthlyDueDates('2026-01-31', 3, 2), ['2026-04-30', '2026-05-31'], 'a later first month')
  const q = quote(request(45))
  const installment = q.options.find((o) => o.id === 'installment-annuity-6')!
  t.same(installment.schedule.map((r) => r.dueDate), ['2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31'], 'a quote uses the same sequence')
})

// The other named rounding steps, each at an exact tie (x.5 minor units, or x.5 in the 4th decimal).
const policyWith = (mode: 'HALF_UP' | 'HALF_EVEN', over: Partial<Policy>): Policy => ({ ...standardPolicy, roundingMode: mode, ...over })
const tieRequest = (loan: Partial<QuoteRequest['loan']>, borrower: Partial<QuoteRequest['borrower']> = {}): QuoteRequest => ({
  asOf: '2026-01-15',
  loan: { loanId: 'LN-TIE', balance: '1000.00', overdueDays: 0, annualInterestRate: '0', ...loan },
  borrower: { monthlyIncome: '9000.00', ...borrower }
})
const both = (request: QuoteRequest, over: Partial<Policy>) => ({ up: quote(request, policyWith('HALF_UP', over)), even: quote(request, policyWith('HALF_EVEN', over)) })
const option = (q: QuoteComputation, id: string) => q.options.find((o) => o.id === id)!

t.test('penaltyWaiver: half of a 0.05 penalty is exactly 2.5 minor units', async (t) => {
  const { up, even } = both(tieRequest({ overdueDays: 10 }), { penalty: { ...standardPolicy.penalty, lateFeeFixed: '0.05', annualCostCap: null } })
  t.equal(up.penalty.total, '0.05')
  t.same([option(up, 'installment-annuity-3').penaltyWaived, option(even, 'installment-annuity-3').penaltyWaived], ['0.03', '0.02'])
})

t.test('maxAffordablePayment: half of 0.05 disposable income is exactly 2.5 minor units', async (t) => {
  const { up, even } = both(tieRequest({}, { monthlyIncome: '0.05' }), {})
  t.same([up.affordability.maxAffordablePayment, even.affordability.maxAffordablePayment], ['0.03', '0.02'])
})

t.test('settlementDiscount: 10 % of 0.25 in M4+ is exactly 2.5 minor units', async (t) => {
  const { up, even } = both(tieRequest({ balance: '0.25', overdueDays: 100 }), { penalty: { ...standardPolicy.penalty, annualCostCap: null } })
  t.same([option(up, 'settlement').discount, option(even, 'settlement').discount], ['0.03', '0.02'])
})

t.test('paymentToIncome: 1.00 against 20,000.00 a month is exactly 0.5 in the 4th decimal', async (t) => {
  const { up, even } = both(tieRequest({ balance: '1.00' }, { monthlyIncome: '20000.00' }), {})
  t.same([option(up, 'settlement').paymentToIncome, option(even, 'settlement').paymentToIncome], ['0.0001', '0.0000'])
})

t.test('annuityPayment: 0.05 over 2 months at 0 % is exactly 2.5 minor units a month', async (t) => {
  const installment = { ...standardPolicy.installment, termsMonths: [2], methods: ['annuity' as const] }
  const { up, even } = both(tieRequest({ balance: '0.05' }), { installment })
  t.same(option(up, 'installment-annuity-2').schedule.map((r) => r.payment), ['0.03', '0.02'])
  t.same(option(even, 'installment-annuity-2').schedule.map((r) => r.payment), ['0.02', '0.03'])
})

t.test('equalPrincipal: 0.05 over 2 months is exactly 2.5 minor units of principal a month', async (t) => {
  const installment = { ...standardPolicy.installment, termsMonths: [2], methods: ['equal_principal' as const] }
  const { up, even } = both(tieRequest({ balance: '0.05' }), { installment })
  t.same(option(up, 'installment-equal_principal-2').schedule.map((r) => r.principal), ['0.03', '0.02'])
  t.same(option(even, 'installment-equal_principal-2').schedule.map((r) => r.principal), ['0.02', '0.03'])
})

t.test('periodInterest: 1.00 at 6 % for a 30/360 month is exactly 0.5 minor units', async (t) => {
  const installment = { ...standardPolicy.installment, termsMonths: [1], methods: ['annuity' as const] }
  const { up, even } = both(tieRequest({ balance: '1.00', annualInterestRate: '0.06' }), { installment })
  t.same([option(up, 'installment-annuity-1').schedule[0]!.interest, option(even, 'installment-annuity-1').schedule[0]!.interest], ['0.01', '0.00'])
})

t.test('holidayInterest: 1.00 at 6 % for a one-month 30/360 holiday is exactly 0.5 minor units', async (t) => {
  const deferral = { ...standardPolicy.deferral, holidayMonths: [1] }
  const { up, even } = both(tieRequest({ balance: '1.00', annualInterestRate: '0.06' }), { deferral })
  t.same([option(up, 'deferral-1').capitalizedInterest, option(even, 'deferral-1').capitalizedInterest], ['0.01', '0.00'])
})
