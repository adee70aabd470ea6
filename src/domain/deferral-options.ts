// Payment holiday: nothing is due for h months, the holiday's interest is
// capitalised at its end (unless the policy waives it), and the grown
// balance is then repaid as an annuity.
import { roundRational } from './decimal.js'
import { affordableByIncome, paymentToIncomeOf } from './option-affordability.js'
import { scheduleAnnualRate } from './apr.js'
import { monthlyDueDates } from './dates.js'
import { maxPaymentOf, penaltyWaived } from './options.js'
import type { OptionContext, OptionSet, RepaymentOption } from './options.js'
import { amount, months, paymentPlan, penaltyClause, sentence, totals } from './option-text.js'
import { annuitySchedule } from './schedule.js'
import type { ScheduleRow } from './schedule.js'

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
  const repayment = annuitySchedule({
    principal: amountFinanced + capitalizedInterest,
    annualRate: rate,
    termMonths: repaymentMonths,
    startDate: ctx.asOf,
    dayCount: ctx.dayCount,
    roundingMode: ctx.roundingMode,
    firstDueOffsetMonths: holidayMonths
  })
  const rows = new Array<ScheduleRow>(holidayMonths + repayment.rows.length)
  const holidayDates = monthlyDueDates(ctx.asOf, 1, holidayMonths)
  for (let k = 1; k <= holidayMonths; k++) {
    const balance = k === holidayMonths ? amountFinanced + capitalizedInterest : amountFinanced
    rows[k - 1] = { number: k, dueDate: holidayDates[k - 1] ?? ctx.asOf, payment: 0n, principal: 0n, interest: 0n, balance }
  }
  for (const r of repayment.rows) {
    rows[r.number + holidayMonths - 1] = { number: r.number + holidayMonths, dueDate: r.dueDate, payment: r.payment, principal: r.principal, interest: r.interest, balance: r.balance }
  }
  const totalInterest = capitalizedInterest + repayment.totalInterest
  const maxPayment = maxPaymentOf(repayment.rows)
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
    schedule: rows,
    totalRepayable: repayment.totalPayment,
    totalInterest,
    penaltyWaived: waived,
    discount: 0n,
    capitalizedInterest,
    maxPayment,
    firstPaymentDate: repayment.rows[0]?.dueDate ?? ctx.asOf,
    // Holiday rows pay nothing, so the repayment total is the whole stream's.
    apr: scheduleAnnualRate(amountFinanced, rows, repayment.totalPayment),
    paymentToIncome: paymentToIncomeOf(ctx, maxPayment),
    affordable: affordableByIncome(ctx, maxPayment),
    summary: sentence([
      `pay nothing for ${months(holidayMonths)}, then ${paymentPlan(ctx, repayment.rows)}`,
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
