// Re-amortise what is owed over each offered term and method, with part of
// the late penalty forgiven (the usual reason to restructure is that the
// borrower has already fallen behind).
import { affordableByIncome, paymentToIncomeOf } from './option-affordability.js'
import { scheduleAnnualRate } from './apr.js'
import { maxPaymentOfTable } from './amortization-table.js'
import { penaltyWaived } from './options.js'
import type { OptionContext, OptionSet, RepaymentOption } from './options.js'
import { penaltyClause, sentence, tablePaymentPlan, totals } from './option-text.js'
import { annuityAmortization, equalPrincipalAmortization } from './schedule.js'
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
  const s = method === 'annuity' ? annuityAmortization(input) : equalPrincipalAmortization(input)
  const table = s.table
  const maxPayment = maxPaymentOfTable(table)
  const firstPaymentDate = table.dueDates[0] ?? ctx.asOf
  return {
    id: `installment-${method}-${termMonths}`,
    type: 'installment',
    termMonths,
    method,
    holidayMonths: null,
    amountFinanced,
    table,
    totalRepayable: s.totalPayment,
    totalInterest: s.totalInterest,
    penaltyWaived: waived,
    discount: 0n,
    capitalizedInterest: 0n,
    maxPayment,
    firstPaymentDate,
    apr: scheduleAnnualRate(amountFinanced, table, s.totalPayment),
    paymentToIncome: paymentToIncomeOf(ctx, maxPayment),
    affordable: affordableByIncome(ctx, maxPayment),
    summary: sentence([
      tablePaymentPlan(ctx, table.payment, firstPaymentDate),
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
