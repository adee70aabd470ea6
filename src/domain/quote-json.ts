// Renders the exact Quote as JSON-ready data: money as strings with the
// currency's digits, rates as shortest exact decimal strings.
import { toDecimalString } from './decimal.js'
import { formatMoney } from './money.js'
import type { OptionType } from './options.js'
import type { AmortizationMethod } from './policy.js'
import type { Quote } from './quote.js'
import type { ScheduleRow } from './schedule.js'

export interface ScheduleRowJson {
  number: number
  dueDate: string
  payment: string
  principal: string
  interest: string
  balance: string
}

export interface OptionJson {
  id: string
  type: OptionType
  termMonths: number | null
  method: AmortizationMethod | null
  holidayMonths: number | null
  amountFinanced: string
  schedule: ScheduleRowJson[]
  totalRepayable: string
  totalInterest: string
  penaltyWaived: string
  discount: string
  capitalizedInterest: string
  maxPayment: string
  firstPaymentDate: string
  apr: string
  paymentToIncome: string | null
  affordable: boolean | null
  summary: string
}

export interface QuoteComputation {
  asOf: string
  loan: {
    loanId: string
    currency: string
    balance: string
    overdueDays: number
    overdueAmount: string
    annualInterestRate: string
    accruedInterest: string
    feesDue: string
  }
  borrower: { monthlyIncome: string, monthlyObligations: string, availableFunds: string | null }
  delinquencyBucket: string
  penalty: {
    base: string
    annualInterestRate: string
    penaltyMarkup: string
    penaltyRate: string
    graceDays: number
    overdueDays: number
    chargeableDays: number
    penaltyInterest: string
    lateFee: string
    cap: string | null
    capApplied: boolean
    capReduction: string
    total: string
  }
  totalDue: string
  affordability: {
    monthlyIncome: string
    monthlyObligations: string
    disposableIncome: string
    maxShareOfDisposableIncome: string
    maxAffordablePayment: string
  }
  options: OptionJson[]
  rejectedOptions: Array<{ id: string, type: OptionType, reason: string }>
  recommendedOptionId: string | null
  closestOptionId: string | null
  needsReview: boolean
  reviewReason: string | null
}

// Formats one money column, remembering the last amount: annuity payments
// repeat row after row and holiday rows repeat zeros and the balance.
class ColumnFormatter {
  private last = 0n
  private text: string
  constructor (private readonly digits: number) {
    this.text = formatMoney(0n, digits)
  }

  format (minor: bigint): string {
    if (minor !== this.last) {
      this.last = minor
      this.text = formatMoney(minor, this.digits)
    }
    return this.text
  }
}

function scheduleJson (rows: readonly ScheduleRow[], digits: number): ScheduleRowJson[] {
  const payment = new ColumnFormatter(digits)
  const principal = new ColumnFormatter(digits)
  const interest = new ColumnFormatter(digits)
  const balance = new ColumnFormatter(digits)
  const out = new Array<ScheduleRowJson>(rows.length)
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k] as ScheduleRow
    out[k] = {
      number: r.number,
      dueDate: r.dueDate,
      payment: payment.format(r.payment),
      principal: principal.format(r.principal),
      interest: interest.format(r.interest),
      balance: balance.format(r.balance)
    }
  }
  return out
}

export function quoteToJson (q: Quote): QuoteComputation {
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
    },
    options: q.options.map(o => ({
      id: o.id,
      type: o.type,
      termMonths: o.termMonths,
      method: o.method,
      holidayMonths: o.holidayMonths,
      amountFinanced: m(o.amountFinanced),
      schedule: scheduleJson(o.schedule, input.digits),
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
    })),
    rejectedOptions: q.rejectedOptions.map(r => ({ ...r })),
    recommendedOptionId: q.recommendedOptionId,
    closestOptionId: q.closestOptionId,
    needsReview: q.needsReview,
    reviewReason: q.reviewReason
  }
}
