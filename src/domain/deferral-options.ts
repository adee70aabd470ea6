// Payment holiday: nothing is due for h months, the holiday's interest is
// capitalised at its end (unless the policy waives it), and the grown
// balance is then repaid as an annuity.
import { roundRational } from './decimal.js'
import { affordableByIncome, paymentToIncomeOf } from './option-affordability.js'
import { scheduleAnnualRate } from './apr.js'
import { monthlyDueDates } from './dates.js'
import { afterHoliday, maxPaymentOfTable } from './amortization-table.js'
import { penaltyWaived } from './options.js'
import type { OptionContext, OptionSet, RepaymentOption } from './options.js'
import { amount, months, penaltyClause, sentence, tablePaymentPlan, totals } from './option-text.js'
import { annuityAmortization } from './schedule.js'

export function deferralOption (ctx: OptionContext, holidayMonths: number): RepaymentOption {
  const { repaymentMonths, waiveHolidayInterest } = ctx.policy.source.deferral
  const waiver = ctx.policy.deferralPenaltyWaiver
  const waived = penaltyWaived(ctx, waiver)
  const amountFinanced = ctx.totalDue - waived
  const rate = ctx.annualRate
  // named step: holidayInterest (simple monthly-rate interest for the break, whatever the day count)
  const capitalizedInterest = waiveHolidayInterest
    ? 0n
    : roundRational(amountFinanced * rate.n * BigInt(holidayMonths), rate.d * 12n, ctx.roundingMode)
  const repayment = annuityAmortization({
    principal: amountFinanced + capitalizedInterest,
    annualRate: rate,
    termMonths: repaymentMonths,
    startDate: ctx.asOf,
    dayCount: ctx.dayCount,
    roundingMode: ctx.roundingMode,
    firstDueOffsetMonths: holidayMonths
  })
  const holidayDates = monthlyDueDates(ctx.asOf, 1, holidayMonths)
  const holidayBalances = holidayDates.map((_, k) => k === holidayMonths - 1 ? amountFinanced + capitalizedInterest : amountFinanced)
  const table = afterHoliday(repayment.table, holidayDates, holidayBalances)
  const firstPaymentDate = repayment.table.dueDates[0] ?? ctx.asOf
  const totalInterest = capitalizedInterest + repayment.totalInterest
  const maxPayment = maxPaymentOfTable(repayment.table)
  const breakClause = waiveHolidayInterest
    ? 'no interest is charged during the break'
    : `${amount(ctx, capitalizedInterest)} of interest for the break is added to the balance`
  return {
    id: `deferral-${holidayMonths}`,
    type: 'deferral',
    termMonths: holidayMonths + repaymentMonths,
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
      set.options.push(deferralOption(ctx, h))
    }
  }
  return set
}
