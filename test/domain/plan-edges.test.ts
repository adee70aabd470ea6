// The edge cases of issue 12, each pinned to figures from the independent
// oracle test/domain/oracle/plans.py (Python decimal, written from the
// README's rules; rerun it with `python3 test/domain/oracle/plans.py`).
// Every loan but the last tie case is within grace (overdueDays 0), so
// amountFinanced = balance.
import t from 'tap'
import { computeQuote, isQuoteInputError, type QuoteComputation, type QuoteRequest } from '../../src/domain/index.js'
import { standardPolicy } from '../../src/domain/policy.js'
import type { Policy } from '../../src/domain/policy.js'

function quote (asOf: string, balance: string, rate: string, policy: Policy, currency = 'CNY', income = '1000000', overdueDays = 0): QuoteComputation {
  const request: QuoteRequest = { asOf, loan: { loanId: 'E-12', balance, overdueDays, currency, annualInterestRate: rate }, borrower: { monthlyIncome: income } }
  const q = computeQuote(request, policy)
  if (isQuoteInputError(q)) throw new Error(JSON.stringify(q.errors))
  return q
}

function option (q: QuoteComputation, id: string): QuoteComputation['options'][number] {
  const o = q.options.find(x => x.id === id)
  if (o === undefined) throw new Error(`no option ${id} in ${q.options.map(x => x.id).join(', ')}`)
  return o
}

function rows (o: QuoteComputation['options'][number]): string[][] {
  return o.schedule.map(r => [r.dueDate, r.payment, r.principal, r.interest, r.balance])
}

function rejected (q: QuoteComputation): Record<string, string> {
  return Object.fromEntries(q.rejectedOptions.map(r => [r.id, r.reason]))
}

t.test('0.03 CNY at 0 %: the 6-month level payment repays in 3 months, a policy term of its own, so 6 is refused', async t => {
  const q = quote('2026-01-31', '0.03', '0', standardPolicy)
  t.same(q.options.map(o => o.id), ['installment-annuity-3', 'settlement'])
  // oracle "0.03 CNY 0% 3m HALF_UP" (and "6m", which stops after the same three rows)
  t.same(rows(option(q, 'installment-annuity-3')), [
    ['2026-02-28', '0.01', '0.01', '0.00', '0.02'],
    ['2026-03-31', '0.01', '0.01', '0.00', '0.01'],
    ['2026-04-30', '0.01', '0.01', '0.00', '0.00']
  ])
  const reasons = rejected(q)
  t.equal(reasons['installment-annuity-6'], 'A 6-month plan at 0.01 CNY a month would be repaid in 3 months, and installment-annuity-3 is already offered.')
  // oracle "0.03 CNY 0% 12m HALF_UP": round(0.03 / 12) = 0.00
  t.equal(reasons['installment-annuity-12'], 'A 12-month plan would have a monthly payment of 0.00 CNY: the amount is too small to spread over that many months.')
  t.same(Object.keys(reasons), ['installment-annuity-6', 'installment-annuity-12', 'installment-annuity-24', 'installment-annuity-36', 'deferral-1', 'deferral-3', 'deferral-6'])
  t.match(reasons['deferral-3'], /^A 3-month holiday followed by 12 months of repayments would have a monthly payment of 0\.00 CNY/)
})

t.test('0.03 CNY at 0 % under HALF_EVEN: round(0.5) = 0, so the 6-month plan has no payment at all', async t => {
  const q = quote('2026-01-31', '0.03', '0', { ...standardPolicy, roundingMode: 'HALF_EVEN' })
  // oracle "0.03 CNY 0% 6m HALF_EVEN"
  t.match(rejected(q)['installment-annuity-6'], /monthly payment of 0\.00 CNY/)
  t.equal(option(q, 'installment-annuity-3').schedule.length, 3)
})

const long: Policy = {
  ...standardPolicy,
  installment: { ...standardPolicy.installment, termsMonths: [120], maxTermMonths: 120 },
  deferral: { ...standardPolicy.deferral, holidayMonths: [] }
}

t.test('124.00 at 35.7479 % over 120 months repays in 119 and is offered as the 119-month plan', async t => {
  const q = quote('2026-01-31', '124.00', '0.357479', long)
  const o = option(q, 'installment-annuity-119')
  // oracle "124.00 CNY 35.7479% 120m 30/360"
  t.equal(o.termMonths, 119)
  t.equal(o.schedule.length, 119)
  t.same(rows(o).slice(0, 2), [['2026-02-28', '3.81', '0.12', '3.69', '123.88'], ['2026-03-31', '3.81', '0.12', '3.69', '123.76']])
  t.same(rows(o).slice(-2), [['2035-11-30', '3.81', '3.62', '0.19', '2.83'], ['2035-12-31', '2.91', '2.83', '0.08', '0.00']])
  t.same([o.totalRepayable, o.totalInterest, o.maxPayment, o.firstPaymentDate], ['452.49', '328.49', '3.81', '2026-02-28'])
  t.same(q.rejectedOptions, [])
  // With 119 among the policy's own terms, the early 120-month schedule gives way to it.
  const both = quote('2026-01-31', '124.00', '0.357479', { ...long, installment: { ...long.installment, termsMonths: [119, 120] } })
  t.same(both.options.map(x => x.id), ['installment-annuity-119', 'settlement'])
  t.same(both.rejectedOptions.map(r => r.id), ['installment-annuity-120'])
})

t.test('10,000.00 at 90 % over 60 months under ACT/365 is refused: the second month costs more than the level payment', async t => {
  const actual: Policy = { ...long, dayCount: 'ACT/365', installment: { ...long.installment, termsMonths: [60, 12] } }
  const q = quote('2026-05-31', '10000.00', '0.9', actual)
  // oracle "10000.00 CNY 90% 60m ACT/365": level 760.84, month 2 (31 days) interest 762.77
  t.same(rejected(q), {
    'installment-annuity-60': 'A 60-month plan is not offered at this rate: the interest of 762.77 CNY due in month 2 exceeds the level payment of 760.84 CNY, so the balance would not go down.'
  })
  t.same(q.options.map(x => x.id), ['installment-annuity-12', 'settlement'])
})

t.test('holiday interest follows the day count: 28 days of February are 92.05 under ACT/365, a twelfth of a year 100.00 under 30/360', async t => {
  const deferralOnly = (dayCount: Policy['dayCount']): Policy => ({ ...standardPolicy, dayCount, deferral: { ...standardPolicy.deferral, holidayMonths: [1] } })
  const actual = option(quote('2026-01-31', '10000.00', '0.12', deferralOnly('ACT/365')), 'deferral-1')
  // oracle "deferral-1 10000.00 CNY 12% ACT/365"
  t.same([actual.capitalizedInterest, actual.totalRepayable, actual.totalInterest, actual.termMonths, actual.firstPaymentDate], ['92.05', '10763.61', '763.61', 13, '2026-03-31'])
  t.same(rows(actual)[0], ['2026-02-28', '0.00', '0.00', '0.00', '10092.05'])
  t.same(rows(actual)[1], ['2026-03-31', '896.97', '794.11', '102.86', '9297.94'])
  t.same(rows(actual).at(-1), ['2027-02-28', '896.94', '888.76', '8.18', '0.00'])
  // oracle "deferral-1 10000.00 CNY 12% 30/360"
  const thirty = option(quote('2026-01-31', '10000.00', '0.12', deferralOnly('30/360')), 'deferral-1')
  t.same([thirty.capitalizedInterest, thirty.totalRepayable, rows(thirty).at(-1)?.[1]], ['100.00', '10768.48', '897.41'])
})

t.test('2 JPY at 0 %: no zero first row, and firstPaymentDate is the first row that pays', async t => {
  const q = quote('2026-01-31', '2', '0', standardPolicy, 'JPY')
  // oracle "2 JPY 0% 3m": round(2/3) = 1 repays in two months; "2 JPY 0% 6m": round(2/6) = 0
  const o = option(q, 'installment-annuity-2')
  t.same(rows(o), [['2026-02-28', '1', '1', '0', '1'], ['2026-03-31', '1', '1', '0', '0']])
  t.equal(o.firstPaymentDate, '2026-02-28')
  t.match(rejected(q)['installment-annuity-6'], /monthly payment of 0 JPY/)
  // A deferral's first payment follows its holiday rows.
  const d = option(quote('2026-01-31', '10000', '0', { ...standardPolicy, deferral: { ...standardPolicy.deferral, holidayMonths: [3] } }, 'JPY'), 'deferral-3')
  t.same([d.schedule[2]?.payment, d.schedule[3]?.payment, d.firstPaymentDate], ['0', '833', '2026-05-31'])
})

t.test('ties: the recommendation takes the lower total, then fewer months, then option order; the closest option the lower payment, then the lower total, then option order', async t => {
  // At 0 % every plan repays exactly 1,200.00, and 12-month plans all pay 100.00 a month.
  const flat: Policy = {
    ...standardPolicy,
    installment: { ...standardPolicy.installment, termsMonths: [24, 12], methods: ['equal_principal', 'annuity'] },
    deferral: { ...standardPolicy.deferral, holidayMonths: [1] }
  }
  const affordable = quote('2026-01-31', '1200.00', '0', flat)
  t.same(affordable.options.map(o => [o.id, o.totalRepayable, o.termMonths, o.maxPayment]), [
    ['installment-equal_principal-24', '1200.00', 24, '50.00'],
    ['installment-annuity-24', '1200.00', 24, '50.00'],
    ['installment-equal_principal-12', '1200.00', 12, '100.00'],
    ['installment-annuity-12', '1200.00', 12, '100.00'],
    ['deferral-1', '1200.00', 13, '100.00'],
    ['settlement', '1200.00', null, '1200.00']
  ])
  // Equal totals: fewer months (12 over 24 and over the 13-month deferral), then the earlier option.
  t.equal(affordable.recommendedOptionId, 'installment-equal_principal-12')
  // Income 80.00 affords 40.00: nothing fits; the lowest payment is 50.00, the first of the two 24-month plans.
  const short = quote('2026-01-31', '1200.00', '0', flat, 'CNY', '80.00')
  t.same([short.recommendedOptionId, short.closestOptionId, short.needsReview], [null, 'installment-equal_principal-24', true])

  // A 0.05 late fee, forgiven by the deferral only: deferral-1 finances 1,199.95 (total 1,199.95, 13 months),
  // installment-annuity-12 finances 1,200.00 (total 1,200.00, 12 months); both pay at most 100.00 a month.
  const fee: Policy = {
    ...standardPolicy,
    penalty: { ...standardPolicy.penalty, lateFeeFixed: '0.05', annualCostCap: null },
    installment: { ...standardPolicy.installment, termsMonths: [12], penaltyWaiver: '0' },
    deferral: { ...standardPolicy.deferral, holidayMonths: [1], penaltyWaiver: '1' }
  }
  const cheaper = quote('2026-01-31', '1199.95', '0', fee, 'CNY', '1000000', 10)
  t.same(cheaper.options.slice(0, 2).map(o => [o.id, o.totalRepayable, o.termMonths, o.maxPayment]), [
    ['installment-annuity-12', '1200.00', 12, '100.00'],
    ['deferral-1', '1199.95', 13, '100.00']
  ])
  t.equal(cheaper.recommendedOptionId, 'deferral-1', 'the lower total beats fewer months')
  const tight = quote('2026-01-31', '1199.95', '0', fee, 'CNY', '100.00', 10)
  t.equal(tight.closestOptionId, 'deferral-1', 'at equal payments the lower total beats option order')
})
