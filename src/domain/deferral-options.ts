// Payment holiday: nothing is due for h months, the holiday's interest is
// capitalised at its end (unless the policy waives it), and the grown
// balance is then repaid as an annuity.
import { roundRational } from './decimal.js'
import { affordableByIncome, paymentToIncomeOf } from './option-affordability.js'
import { scheduleAnnualRate } from './apr.js'
import { daysBetween, monthlyDueDates } from './dates.js'
import { afterHoliday, firstPaymentDateOf, maxPaymentOfTable } from './amortization-table.js'
import { penaltyWaived } from './options.js'
import type { OptionContext, OptionSet, RejectedOption, RepaymentOption } from './options.js'
import { amount, months, penaltyClause, sentence, tablePaymentPlan, totals, unpayableReason } from './option-text.js'
import { annuityAmortization, isUnpayable } from './schedule.js'

// Simple interest on the amount financed for the holiday, in the policy's
// day count, as the repayment rows are: h/12 of a year under 30/360, the
// actual days from asOf to the last holiday date over 365 under ACT/365.
function holidayInterest (ctx: OptionContext, amountFinanced: bigint, holidayDates: readonly string[]): bigint {
  const rate = ctx.annualRate
  const h = BigInt(holidayDates.length)
  const [num, den] = ctx.dayCount === '30/360'
    ? [h, 12n]
    : [BigInt(daysBetween(ctx.asOf, holidayDates[holidayDates.length - 1] as string)), 365n]
  // named step: holidayInterest
  return roundRational(amountFinanced * rate.n * num, rate.d * den, ctx.roundingMode)
}

// The option, or why it is refused (its level payment is unpayable).
export function deferralOption (ctx: OptionContext, holidayMonths: number): RepaymentOption | RejectedOption {
  const { repaymentMonths, waiveHolidayInterest } = ctx.policy.source.deferral
  const waiver = ctx.policy.deferralPenaltyWaiver
  const waived = penaltyWaived(ctx, waiver)
  const amountFinanced = ctx.totalDue - waived
  const rate = ctx.annualRate
  const holidayDates = monthlyDueDates(ctx.asOf, 1, holidayMonths)
  const capitalizedInterest = waiveHolidayInterest ? 0n : holidayInterest(ctx, amountFinanced, holidayDates)
  const repayment = annuityAmortization({
    principal: amountFinanced + capitalizedInterest,
    annualRate: rate,
    termMonths: repaymentMonths,
    startDate: ctx.asOf,
    dayCount: ctx.dayCount,
    roundingMode: ctx.roundingMode,
    firstDueOffsetMonths: holidayMonths
  })
  if (isUnpayable(repayment)) {
    return {
      id: `deferral-${holidayMonths}`,
      type: 'deferral',
      reason: unpayableReason(ctx, `A ${holidayMonths}-month holiday followed by ${months(repaymentMonths)} of repayments`, repayment, holidayMonths)
    }
  }
  const holidayBalances = holidayDates.map((_, k) => k === holidayMonths - 1 ? amountFinanced + capitalizedInterest : amountFinanced)
  const table = afterHoliday(repayment.table, holidayDates, holidayBalances)
  const firstPaymentDate = firstPaymentDateOf(table) ?? ctx.asOf
  const totalInterest = capitalizedInterest + repayment.totalInterest
  const maxPayment = maxPaymentOfTable(repayment.table)
  const breakClause = waiveHolidayInterest
    ? 'no interest is charged during the break'
    : `${amount(ctx, capitalizedInterest)} of interest for the break is added to the balance`
  return {
    id: `deferral-${holidayMonths}`,
    type: 'deferral',
    // Fewer repayment rows than repaymentMonths when the installment repays early.
    termMonths: table.dueDates.length,
    method: null,
    holidayMonths,
    amountFinanced,
    table,
    totalRepayable: repayment.totalPayment,
    totalInterest,
    penaltyWaived: waived,
    discount: 0n,
    capitalizedInterest,
    maxPayment,
    firstPaymentDate,
    // Holiday rows pay nothing, so the repayment total is the whole stream's.
    apr: scheduleAnnualRate(amountFinanced, table, repayment.totalPayment),
    paymentToIncome: paymentToIncomeOf(ctx, maxPayment),
    affordable: affordableByIncome(ctx, maxPayment),
    summary: sentence([
      `pay nothing for ${months(holidayMonths)}, then ${tablePaymentPlan(ctx, repayment.table.payment, firstPaymentDate)}`,
      totals(ctx, repayment.totalPayment, totalInterest),
      breakClause,
      penaltyClause(ctx, ctx.penalty.total, waived, waiver)
    ])
  }
}

export function deferralOptions (ctx: OptionContext): OptionSet {
  const { holidayMonths, maxOverdueDays, repaymentMonths } = ctx.policy.source.deferral
  const maxTerm = ctx.policy.source.installment.maxTermMonths
  const set: OptionSet = { options: [], rejected: [] }
  for (const h of holidayMonths) {
    const id = `deferral-${h}`
    if (ctx.overdueDays > maxOverdueDays) {
      set.rejected.push({
        id,
        type: 'deferral',
        reason: `The loan is ${ctx.overdueDays} days overdue; a payment holiday is offered only up to ${maxOverdueDays} days overdue.`
      })
    } else if (h + repaymentMonths > maxTerm) {
      set.rejected.push({
        id,
        type: 'deferral',
        reason: `A ${h}-month holiday followed by ${months(repaymentMonths)} of repayments exceeds the ${maxTerm}-month maximum term.`
      })
    } else {
      const option = deferralOption(ctx, h)
      if ('reason' in option) set.rejected.push(option)
      else set.options.push(option)
    }
  }
  return set
}
