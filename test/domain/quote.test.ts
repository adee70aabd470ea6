import t from 'tap'
import { computeQuote, isQuoteInputError, type QuoteComputation, type QuoteInputError, type QuoteRequest } from '../../src/domain/index.js'
import { standardPolicy } from '../../src/domain/policy.js'
import type { Policy } from '../../src/domain/policy.js'
import { PolicyError } from '../../src/domain/compiled-policy.js'

function quote (request: QuoteRequest, policy: Policy = standardPolicy): QuoteComputation {
  const q = computeQuote(request, policy)
  if (isQuoteInputError(q)) throw new Error(JSON.stringify(q.errors))
  return q
}

function errors (request: QuoteRequest, policy: Policy = standardPolicy): string[] {
  const q = computeQuote(request, policy)
  if (!isQuoteInputError(q)) throw new Error('expected input errors')
  return (q as QuoteInputError).errors.map(e => e.path)
}

function option (q: QuoteComputation, id: string): QuoteComputation['options'][number] {
  const o = q.options.find(x => x.id === id)
  if (o === undefined) throw new Error(`no option ${id}`)
  return o
}

const base: QuoteRequest = {
  asOf: '2026-11-29',
  loan: { loanId: 'L-1', balance: '12000.00', overdueDays: 45 },
  borrower: { monthlyIncome: '8000.00', monthlyObligations: '3000.00' }
}

const fineractPolicy: Policy = {
  ...standardPolicy,
  annualInterestRate: '0.094822',
  installment: { ...standardPolicy.installment, termsMonths: [6] }
}

t.test('reproduces the Fineract 30/360 example through a quote', async t => {
  const q = quote({ asOf: '2024-01-01', loan: { loanId: 'F', balance: '100.00', overdueDays: 0 }, borrower: { monthlyIncome: '1000' } }, fineractPolicy)
  const o = option(q, 'installment-annuity-6')
  t.same(o.schedule.map(r => r.payment), ['17.13', '17.13', '17.13', '17.13', '17.13', '17.13'])
  t.same(o.schedule.map(r => r.interest), ['0.79', '0.66', '0.53', '0.40', '0.27', '0.13'])
  t.same(o.schedule.map(r => r.balance), ['83.66', '67.19', '50.59', '33.86', '17.00', '0.00'])
  t.equal(o.amountFinanced, '100.00')
  t.equal(o.totalRepayable, '102.78')
  t.equal(o.totalInterest, '2.78')
  t.equal(o.firstPaymentDate, '2024-02-01')
  t.equal(q.delinquencyBucket, 'M0')
  t.equal(q.penalty.total, '0.00')
  t.equal(o.summary, 'Pay 17.13 CNY a month for 6 months from 2024-02-01; 102.78 CNY in total, of which 2.78 CNY is interest.')
})

t.test('reproduces the Fineract actual-days example through a quote', async t => {
  const q = quote({ asOf: '2024-01-01', loan: { loanId: 'F', balance: '100', overdueDays: 0, annualInterestRate: '0.15678' }, borrower: { monthlyIncome: '1000' } },
    { ...fineractPolicy, dayCount: 'ACT/365' })
  const o = option(q, 'installment-annuity-6')
  t.same(o.schedule.map(r => r.payment), ['17.43', '17.43', '17.43', '17.43', '17.43', '17.47'])
  t.match(o.summary, /^Pay 17\.43 CNY a month for 6 months from 2024-02-01, with a final payment of 17\.47 CNY;/)
  t.equal(q.loan.annualInterestRate, '0.15678')
})

t.test('quotes the standard policy for a loan 45 days overdue', async t => {
  const q = quote(base)
  t.equal(q.delinquencyBucket, 'M2')
  t.same(q.penalty, {
    base: '12000.00',
    annualInterestRate: '0.12',
    penaltyMarkup: '0.5',
    penaltyRate: '0.18',
    graceDays: 3,
    overdueDays: 45,
    chargeableDays: 45,
    penaltyInterest: '266.30',
    lateFee: '0.00',
    cap: '355.07',
    capApplied: false,
    capReduction: '0.00',
    total: '266.30'
  })
  t.equal(q.totalDue, '12266.30')
  t.same(q.affordability, { monthlyIncome: '8000.00', monthlyObligations: '3000.00', disposableIncome: '5000.00', maxShareOfDisposableIncome: '0.5', maxAffordablePayment: '2500.00' })
  t.same(q.options.map(o => o.id), [
    'installment-annuity-3', 'installment-annuity-6', 'installment-annuity-12', 'installment-annuity-24', 'installment-annuity-36',
    'deferral-1', 'deferral-3', 'deferral-6', 'settlement'
  ])
  t.same(q.rejectedOptions, [])
  const i3 = option(q, 'installment-annuity-3')
  t.equal(i3.penaltyWaived, '133.15')
  t.equal(i3.amountFinanced, '12133.15')
  t.equal(i3.affordable, false)
  t.equal(i3.apr, '0.1268')
  t.equal(i3.summary, 'Pay 4,125.54 CNY a month for 3 months from 2026-12-29; 12,376.62 CNY in total, of which 243.47 CNY is interest; half of the 266.30 CNY late penalty (133.15 CNY) is forgiven.')
  t.equal(q.recommendedOptionId, 'installment-annuity-6', 'the cheapest affordable plan')
  t.equal(q.needsReview, false)
  t.equal(q.reviewReason, null)
  t.equal(q.closestOptionId, null)
  t.same(q.borrower, { monthlyIncome: '8000.00', monthlyObligations: '3000.00', availableFunds: null })
  t.same(q.loan, { loanId: 'L-1', currency: 'CNY', balance: '12000.00', overdueDays: 45, overdueAmount: '12000.00', annualInterestRate: '0.12', accruedInterest: '0.00', feesDue: '0.00' })
})

t.test('capitalises holiday interest at the end of a payment holiday', async t => {
  const q = quote(base)
  const d = option(q, 'deferral-3')
  t.equal(d.termMonths, 15)
  t.equal(d.holidayMonths, 3)
  t.equal(d.method, null)
  t.equal(d.amountFinanced, '12266.30', 'the deferral waives none of the penalty')
  t.equal(d.capitalizedInterest, '367.99', '12266.30 × 1 % × 3')
  t.same(d.schedule.slice(0, 3).map(r => [r.payment, r.balance]), [['0.00', '12266.30'], ['0.00', '12266.30'], ['0.00', '12634.29']])
  t.equal(d.schedule[3]?.number, 4)
  t.equal(d.schedule[3]?.dueDate, '2027-03-29')
  t.equal(d.firstPaymentDate, '2027-03-29')
  t.equal(d.schedule.at(-1)?.balance, '0.00')
  t.equal(d.totalInterest, '1204.19')
  t.equal(d.totalRepayable, '13470.49')
  t.equal(d.summary, 'Pay nothing for 3 months, then pay 1,122.54 CNY a month for 12 months from 2027-03-29, with a final payment of 1,122.55 CNY; 13,470.49 CNY in total, of which 1,204.19 CNY is interest; 367.99 CNY of interest for the break is added to the balance; the late penalty of 266.30 CNY is included.')
})

t.test('charges no holiday interest when the policy waives it', async t => {
  const q = quote(base, { ...standardPolicy, deferral: { ...standardPolicy.deferral, waiveHolidayInterest: true, holidayMonths: [1] } })
  const d = option(q, 'deferral-1')
  t.equal(d.capitalizedInterest, '0.00')
  t.equal(d.schedule[0]?.balance, '12266.30')
  t.match(d.summary, /Pay nothing for 1 month, then .*no interest is charged during the break/)
})

t.test('rejects payment holidays for loans too far overdue', async t => {
  const q = quote({ ...base, loan: { ...base.loan, overdueDays: 120 } })
  t.equal(q.delinquencyBucket, 'M4+')
  t.same(q.rejectedOptions.map(r => r.id), ['deferral-1', 'deferral-3', 'deferral-6'])
  t.equal(q.rejectedOptions[0]?.type, 'deferral')
  t.match(q.rejectedOptions[0]?.reason, /120 days overdue.*up to 90 days/)
  t.notOk(q.options.some(o => o.type === 'deferral'))
})

t.test('rejects holidays whose total term exceeds the maximum term', async t => {
  const p: Policy = { ...standardPolicy, installment: { ...standardPolicy.installment, maxTermMonths: 36 }, deferral: { ...standardPolicy.deferral, holidayMonths: [6, 1], repaymentMonths: 35 } }
  const q = quote(base, p)
  t.same(q.rejectedOptions.map(r => r.id), ['deferral-6'])
  t.match(q.rejectedOptions[0]?.reason, /6-month holiday followed by 35 months/)
  t.ok(q.options.some(o => o.id === 'deferral-1'))
})

t.test('settles deep delinquency with the penalty waived and a bucket discount', async t => {
  const q = quote({ ...base, loan: { ...base.loan, overdueDays: 120, accruedInterest: '50.00', feesDue: '10.00' }, borrower: { ...base.borrower, availableFunds: '11000.00' } })
  const s = option(q, 'settlement')
  t.equal(q.penalty.capApplied, false)
  t.equal(s.penaltyWaived, q.penalty.total)
  t.equal(s.discount, '1200.00')
  t.equal(s.amountFinanced, '10860.00', '12000 + 50 + 10 − 1200')
  t.same(s.schedule, [{ number: 1, dueDate: '2026-12-13', payment: '10860.00', principal: '10860.00', interest: '0.00', balance: '0.00' }])
  t.equal(s.apr, '0.0000')
  t.equal(s.affordable, true)
  t.equal(s.termMonths, null)
  t.equal(s.totalInterest, '0.00')
  t.equal(s.summary, `Pay 10,860.00 CNY once, by 2026-12-13, to settle the loan in full; this includes a discount of 1,200.00 CNY on the balance; the whole late penalty (${q.penalty.total.replace(/\B(?=(\d{3})+(?!\d))/g, ',')} CNY) is forgiven.`)
  const poorer = quote({ ...base, borrower: { ...base.borrower, availableFunds: '100.00' } })
  t.equal(option(poorer, 'settlement').affordable, false)
  t.equal(option(poorer, 'settlement').discount, '0.00', 'no discount outside M4+')
})

t.test('asks for review and points at the lightest plan when nothing is affordable', async t => {
  const q = quote({ ...base, borrower: { monthlyIncome: '1000.00', monthlyObligations: '400.00' } })
  t.equal(q.recommendedOptionId, null)
  t.equal(q.needsReview, true)
  t.equal(q.closestOptionId, 'installment-annuity-36')
  t.equal(q.reviewReason, 'No plan fits the borrower\'s budget: they can afford at most 300.00 CNY a month, but the lowest monthly payment on offer is 403.14 CNY.')
})

t.test('treats a borrower without income as unable to afford any plan', async t => {
  const q = quote({ ...base, borrower: { monthlyIncome: '0', monthlyObligations: '500' } })
  t.equal(q.affordability.disposableIncome, '0.00')
  t.ok(q.options.every(o => o.paymentToIncome === null))
  t.equal(q.needsReview, true)
})

t.test('recommends among installments alone when the policy offers no holidays', async t => {
  const p: Policy = { ...standardPolicy, deferral: { ...standardPolicy.deferral, holidayMonths: [] } }
  const q = quote({ ...base, loan: { ...base.loan, overdueDays: 0 } }, p)
  t.equal(q.recommendedOptionId, 'installment-annuity-6')
  t.notOk(q.options.some(o => o.type === 'deferral'))
})

t.test('offers equal-principal plans after annuities of the same term', async t => {
  const p: Policy = { ...standardPolicy, installment: { ...standardPolicy.installment, termsMonths: [12, 6], methods: ['annuity', 'equal_principal'] } }
  const q = quote(base, p)
  t.same(q.options.slice(0, 4).map(o => o.id), ['installment-annuity-12', 'installment-equal_principal-12', 'installment-annuity-6', 'installment-equal_principal-6'])
  const ep = option(q, 'installment-equal_principal-12')
  t.equal(ep.method, 'equal_principal')
  t.match(ep.summary, /^Pay 1,132\.43 CNY in the first month, falling to 1,021\.16 CNY in the last, over 12 months from 2026-12-29;/)
  t.equal(q.recommendedOptionId, 'installment-equal_principal-6', 'equal principal is cheapest overall')
})

t.test('prefers the shorter plan when two cost the same', async t => {
  const p: Policy = { ...standardPolicy, annualInterestRate: '0', installment: { ...standardPolicy.installment, termsMonths: [12, 6] }, deferral: { ...standardPolicy.deferral, holidayMonths: [] } }
  const q = quote({ ...base, loan: { ...base.loan, overdueDays: 0 } }, p)
  t.equal(q.recommendedOptionId, 'installment-annuity-6')
  t.equal(option(q, 'installment-annuity-6').summary, 'Pay 2,000.00 CNY a month for 6 months from 2026-12-29; 12,000.00 CNY in total, with no interest.')
  t.equal(option(q, 'installment-annuity-6').apr, '0.0000')
})

t.test('handles currencies without and with three minor digits', async t => {
  const jpy = quote({ asOf: '2026-01-31', loan: { loanId: 'J', balance: '1200000', overdueDays: 10, currency: 'JPY' }, borrower: { monthlyIncome: '300000' } })
  t.equal(jpy.penalty.total, '5918', '1,200,000 × 18 % × 10/365 = 5917.8')
  t.equal(jpy.totalDue, '1205918')
  t.ok(jpy.options.every(o => o.schedule.every(r => /^\d+$/.test(r.payment))))
  t.equal(option(jpy, 'installment-annuity-3').schedule[0]?.dueDate, '2026-02-28')
  t.equal(option(jpy, 'installment-annuity-3').schedule[1]?.dueDate, '2026-03-31')
  const kwd = quote({ asOf: '2026-01-31', loan: { loanId: 'K', balance: '1200.5', overdueDays: 10, currency: 'KWD' }, borrower: { monthlyIncome: '900' } })
  t.equal(kwd.loan.balance, '1200.500')
  t.ok(kwd.options.every(o => /^\d+\.\d{3}$/.test(o.totalRepayable)))
})

t.test('describes partial waivers as a share of the penalty', async t => {
  const p: Policy = { ...standardPolicy, installment: { ...standardPolicy.installment, penaltyWaiver: '0.3', termsMonths: [3] }, deferral: { ...standardPolicy.deferral, penaltyWaiver: '0.25', holidayMonths: [1] } }
  const q = quote(base, p)
  t.match(option(q, 'installment-annuity-3').summary, /30% of the 266\.30 CNY late penalty \(79\.89 CNY\) is forgiven\.$/)
  t.match(option(q, 'deferral-1').summary, /a quarter of the 266\.30 CNY late penalty \(66\.58 CNY\) is forgiven\.$/)
  const q2 = quote(base, { ...p, installment: { ...p.installment, penaltyWaiver: '0.75' } })
  t.match(option(q2, 'installment-annuity-3').summary, /three quarters of the 266\.30 CNY late penalty/)
})

t.test('uses single-payment and uneven wording where the schedule calls for it', async t => {
  const p: Policy = { ...standardPolicy, installment: { ...standardPolicy.installment, termsMonths: [1, 6] } }
  const one = option(quote(base, p), 'installment-annuity-1')
  t.match(one.summary, /^Pay 12,254\.48 CNY on 2026-12-29;/)
  const tiny = quote({ ...base, loan: { ...base.loan, balance: '0.09', overdueDays: 0 } }, { ...p, annualInterestRate: '0' })
  // 0.09 over 6 months: round(9/6) = 2 repays it in 5 months, so it is offered as a 5-month plan.
  t.match(option(tiny, 'installment-annuity-5').summary, /^Pay 0\.02 CNY a month for 5 months from 2026-12-29, with a final payment of 0\.01 CNY;/)
})

t.test('reports every input problem with a JSON pointer', async t => {
  t.same(errors({ asOf: '2024-02-30', loan: { loanId: 'x', balance: '0', overdueDays: -1 }, borrower: { monthlyIncome: '1,000' } }),
    ['/asOf', '/loan/overdueDays', '/loan/balance', '/borrower/monthlyIncome'])
  t.same(errors({ ...base, loan: { ...base.loan, currency: 'XYZ' } }), ['/loan/currency'])
  t.same(errors({ ...base, loan: { ...base.loan, balance: '10.005' } }), ['/loan/balance'])
  t.same(errors({ ...base, loan: { ...base.loan, balance: '-10' } }), ['/loan/balance'])
  t.same(errors({ ...base, loan: { ...base.loan, currency: 'JPY', balance: '100.5' } }), ['/loan/balance', '/borrower/monthlyIncome', '/borrower/monthlyObligations'], 'every amount is read in the loan currency')
  t.same(errors({ ...base, loan: { ...base.loan, annualInterestRate: '1.2' } }), ['/loan/annualInterestRate'])
  t.same(errors({ ...base, loan: { ...base.loan, annualInterestRate: '12%' } }), ['/loan/annualInterestRate'])
  t.same(errors({ ...base, loan: { ...base.loan, overdueDays: 3651 } }), ['/loan/overdueDays'])
  t.same(errors({ ...base, loan: { ...base.loan, overdueDays: 1.5 } }), ['/loan/overdueDays'])
  t.same(errors({ ...base, loan: { ...base.loan, overdueAmount: '12000.01' } }), ['/loan/overdueAmount'])
  t.same(errors({ ...base, loan: { ...base.loan, overdueAmount: 'x', accruedInterest: '1e2', feesDue: ' 1' } }), ['/loan/accruedInterest', '/loan/feesDue', '/loan/overdueAmount'])
  t.same(errors({ ...base, borrower: { monthlyIncome: '1', monthlyObligations: '-1', availableFunds: '1.234' } }), ['/borrower/monthlyObligations', '/borrower/availableFunds'])
  t.same(errors({ ...base, asOf: '1899-12-31' }), ['/asOf'])
  // What the HTTP schema refuses, the engine called directly refuses too.
  for (const balance of ['00100', '0100.00', '+100', '1e2', '100.001', '.5']) t.same(errors({ ...base, loan: { ...base.loan, balance } }), ['/loan/balance'], balance)
  for (const rate of ['00.12', '0.12345678901', '1.5', '1.01', '-0.1', '.12']) t.same(errors({ ...base, loan: { ...base.loan, annualInterestRate: rate } }), ['/loan/annualInterestRate'], rate)
  for (const loanId of ['', 'L 1', 'x'.repeat(65), 'Ł-1']) t.same(errors({ ...base, loan: { ...base.loan, loanId } }), ['/loan/loanId'], JSON.stringify(loanId))
  t.notOk(isQuoteInputError(computeQuote({ ...base, loan: { ...base.loan, annualInterestRate: '1.0000000000', loanId: 'x'.repeat(64) } }, standardPolicy)), 'the limits themselves are accepted')
  t.same(errors({ ...base, asOf: '3000-01-01' }), ['/asOf'])
  const fee: Policy = { ...standardPolicy, penalty: { ...standardPolicy.penalty, lateFeeFixed: '5.50' } }
  const e = computeQuote({ ...base, loan: { ...base.loan, currency: 'JPY', balance: '1000' }, borrower: { monthlyIncome: '300000' } }, fee)
  t.same(isQuoteInputError(e) ? e.errors : e, [{ path: '/loan/currency', message: 'the policy\'s fixed late fee 5.50 cannot be expressed in JPY' }])
})

t.test('accepts an overdue amount up to everything owed', async t => {
  const q = quote({ ...base, loan: { ...base.loan, overdueAmount: '12060.00', accruedInterest: '50', feesDue: '10' } })
  t.equal(q.penalty.base, '12060.00')
})

t.test('throws a PolicyError for an invalid policy', async t => {
  t.throws(() => computeQuote(base, { ...standardPolicy, dayCount: 'ACT/ACT' as '30/360' }), PolicyError)
})
