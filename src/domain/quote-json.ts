// Renders the exact Quote as JSON-ready data: money as strings with the
// currency's digits, rates as shortest exact decimal strings.
import { toDecimalString } from './decimal.js'
import { formatMoney, formatMoneyNumber } from './money.js'
import type { QuoteOptionView, QuoteView, ScheduleRowView } from '../schemas/quote.js'
import type { Quote } from './quote.js'
import type { AmortizationTable, ExactTable } from './amortization-table.js'

// The document's shapes are the Quote schema's (src/schemas/quote.ts), never restated here.
export type ScheduleRowJson = ScheduleRowView
export type OptionJson = QuoteOptionView
/** The document without what the service adds around the engine's figures (QuoteHeader). */
export type QuoteComputation = Omit<QuoteView, 'id' | 'policy' | 'createdAt' | 'expiresAt'>

// Each money column remembers its last amount and text: annuity payments
// repeat row after row and holiday rows repeat zeros and the balance. (Plain
// locals: a formatter object per column measured slower.)
function exactScheduleJson (t: ExactTable, digits: number): ScheduleRowJson[] {
  const zero = formatMoneyNumber(0, digits)
  let lastPayment = 0
  let paymentText = zero
  let lastPrincipal = 0
  let principalText = zero
  let lastInterest = 0
  let interestText = zero
  let lastBalance = 0
  let balanceText = zero
  const out = new Array<ScheduleRowJson>(t.dueDates.length)
  for (let k = 0; k < out.length; k++) {
    const payment = t.payment[k] as number
    const principal = t.principal[k] as number
    const interest = t.interest[k] as number
    const balance = t.balance[k] as number
    if (payment !== lastPayment) { lastPayment = payment; paymentText = formatMoneyNumber(payment, digits) }
    if (principal !== lastPrincipal) { lastPrincipal = principal; principalText = formatMoneyNumber(principal, digits) }
    if (interest !== lastInterest) { lastInterest = interest; interestText = formatMoneyNumber(interest, digits) }
    if (balance !== lastBalance) { lastBalance = balance; balanceText = formatMoneyNumber(balance, digits) }
    out[k] = { number: k + 1, dueDate: t.dueDates[k] as string, payment: paymentText, principal: principalText, interest: interestText, balance: balanceText }
  }
  return out
}

function scheduleJson (t: AmortizationTable, digits: number): ScheduleRowJson[] {
  if (t.exact) return exactScheduleJson(t, digits)
  const out = new Array<ScheduleRowJson>(t.dueDates.length)
  for (let k = 0; k < out.length; k++) {
    out[k] = {
      number: k + 1,
      dueDate: t.dueDates[k] as string,
      payment: formatMoney(t.payment[k] as bigint, digits),
      principal: formatMoney(t.principal[k] as bigint, digits),
      interest: formatMoney(t.interest[k] as bigint, digits),
      balance: formatMoney(t.balance[k] as bigint, digits)
    }
  }
  return out
}

type QuoteHead = Omit<QuoteComputation, 'options' | 'rejectedOptions' | 'recommendedOptionId' | 'closestOptionId' | 'needsReview' | 'reviewReason'>
type QuoteTail = Pick<QuoteComputation, 'rejectedOptions' | 'recommendedOptionId' | 'closestOptionId' | 'needsReview' | 'reviewReason'>
type OptionHead = Pick<OptionJson, 'id' | 'type' | 'termMonths' | 'method' | 'holidayMonths' | 'amountFinanced'>
type OptionTail = Omit<OptionJson, keyof OptionHead | 'schedule'>
type Option = Quote['options'][number]

// The quote in three parts around its options, and each option in two parts around its
// schedule. quoteToJson is the reference form (and the engine's JSON for library users): the
// document the service stores and sends is written as bytes by quoteJsonBytes (quote-bytes.ts),
// tested to be byte for byte JSON.stringify of this object.
export function quoteHeadJson (q: Quote): QuoteHead {
  const { input, penalty: p, affordability: a } = q
  const m = (v: bigint): string => formatMoney(v, input.digits)
  return {
    asOf: input.asOf,
    loan: {
      loanId: input.loanId,
      currency: input.currency,
      balance: m(input.balance),
      overdueDays: input.overdueDays,
      overdueAmount: m(input.overdueAmount),
      annualInterestRate: toDecimalString(input.annualInterestRate),
      accruedInterest: m(input.accruedInterest),
      feesDue: m(input.feesDue)
    },
    borrower: {
      monthlyIncome: m(input.monthlyIncome),
      monthlyObligations: m(input.monthlyObligations),
      availableFunds: input.availableFunds === null ? null : m(input.availableFunds)
    },
    delinquencyBucket: q.delinquencyBucket,
    penalty: {
      base: m(p.base),
      annualInterestRate: toDecimalString(p.annualInterestRate),
      penaltyMarkup: toDecimalString(p.penaltyMarkup),
      penaltyRate: toDecimalString(p.penaltyRate),
      graceDays: p.graceDays,
      overdueDays: p.overdueDays,
      chargeableDays: p.chargeableDays,
      penaltyInterest: m(p.penaltyInterest),
      lateFee: m(p.lateFee),
      cap: p.cap === null ? null : m(p.cap),
      capApplied: p.capApplied,
      capReduction: m(p.capReduction),
      total: m(p.total)
    },
    totalDue: m(q.totalDue),
    affordability: {
      monthlyIncome: m(a.monthlyIncome),
      monthlyObligations: m(a.monthlyObligations),
      disposableIncome: m(a.disposableIncome),
      maxShareOfDisposableIncome: toDecimalString(a.maxShareOfDisposableIncome),
      maxAffordablePayment: m(a.maxAffordablePayment)
    }
  }
}

export function optionHeadJson (o: Option, digits: number): OptionHead {
  return { id: o.id, type: o.type, termMonths: o.termMonths, method: o.method, holidayMonths: o.holidayMonths, amountFinanced: formatMoney(o.amountFinanced, digits) }
}

export function optionTailJson (o: Option, digits: number): OptionTail {
  const m = (v: bigint): string => formatMoney(v, digits)
  return {
    totalRepayable: m(o.totalRepayable),
    totalInterest: m(o.totalInterest),
    penaltyWaived: m(o.penaltyWaived),
    discount: m(o.discount),
    capitalizedInterest: m(o.capitalizedInterest),
    maxPayment: m(o.maxPayment),
    firstPaymentDate: o.firstPaymentDate,
    apr: o.apr,
    paymentToIncome: o.paymentToIncome,
    affordable: o.affordable,
    summary: o.summary
  }
}

export function quoteTailJson (q: Quote): QuoteTail {
  return {
    rejectedOptions: q.rejectedOptions.map(r => ({ ...r })),
    recommendedOptionId: q.recommendedOptionId,
    closestOptionId: q.closestOptionId,
    needsReview: q.needsReview,
    reviewReason: q.reviewReason
  }
}

export function quoteToJson (q: Quote): QuoteComputation {
  const digits = q.input.digits
  return {
    ...quoteHeadJson(q),
    options: q.options.map(o => ({ ...optionHeadJson(o, digits), schedule: scheduleJson(o.table, digits), ...optionTailJson(o, digits) })),
    ...quoteTailJson(q)
  }
}
