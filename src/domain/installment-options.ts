// Re-amortise what is owed over each offered term and method, with part of
// the late penalty forgiven (the usual reason to restructure is that the
// borrower has already fallen behind).
import { affordableByIncome, paymentToIncomeOf } from './option-affordability.js'
import { scheduleAnnualRate } from './apr.js'
import { maxPaymentOf, penaltyWaived } from './options.js'
import type { OptionContext, OptionSet, RepaymentOption } from './options.js'
import { paymentPlan, penaltyClause, sentence, totals } from './option-text.js'
import { annuitySchedule, equalPrincipalSchedule } from './schedule.js'
import type { AmortizationMethod } from './policy.js'

export function installmentOption (ctx: OptionContext, termMonths: number, method: AmortizationMethod): RepaymentOption {
  const waiver = ctx.policy.installmentPenaltyWaiver
  const waived = penaltyWaived(ctx, waiver)
  const amountFinanced = ctx.totalDue - waived
  const input = {
    principal: amountFinanced,
    annualRate: ctx.annualRate,
    termMonths,
    startDate: ctx.asOf,
    dayCount: ctx.dayCount,
    roundingMode: ctx.roundingMode
  }
  const s = method === 'annuity' ? annuitySchedule(input) : equalPrincipalSchedule(input)
  const maxPayment = maxPaymentOf(s.rows)
  return {
    id: `installment-${method}-${termMonths}`,
    type: 'installment',
    termMonths,
    method,
    holidayMonths: null,
    amountFinanced,
    schedule: s.rows,
    totalRepayable: s.totalPayment,
    totalInterest: s.totalInterest,
    penaltyWaived: waived,
    discount: 0n,
    capitalizedInterest: 0n,
    maxPayment,
    firstPaymentDate: s.rows[0]?.dueDate ?? ctx.asOf,
    apr: scheduleAnnualRate(amountFinanced, s.rows, s.totalPayment),
    paymentToIncome: paymentToIncomeOf(ctx, maxPayment),
    affordable: affordableByIncome(ctx, maxPayment),
    summary: sentence([
      paymentPlan(ctx, s.rows),
      totals(ctx, s.totalPayment, s.totalInterest),
      penaltyClause(ctx, ctx.penalty.total, waived, waiver)
    ])
  }
}

export function installmentOptions (ctx: OptionContext): OptionSet {
  const { termsMonths, methods, maxTermMonths } = ctx.policy.source.installment
  const set: OptionSet = { options: [], rejected: [] }
  for (const term of termsMonths) {
    for (const method of methods) {
      if (term > maxTermMonths) {
        set.rejected.push({
          id: `installment-${method}-${term}`,
          type: 'installment',
          reason: `A ${term}-month plan is longer than the ${maxTermMonths}-month maximum.`
        })
      } else {
        set.options.push(installmentOption(ctx, term, method))
      }
    }
  }
  return set
}
