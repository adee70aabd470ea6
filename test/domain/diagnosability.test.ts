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
