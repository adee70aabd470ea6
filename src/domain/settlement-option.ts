// One-off settlement: the whole debt cleared by a single payment within the
// window, with the penalty waived and a bucket-dependent discount on the
// balance (deeper delinquency earns a bigger discount).
import { roundRational, ZERO } from './decimal.js'
import { paymentToIncomeOf } from './option-affordability.js'
import { addDays } from './dates.js'
import { singlePaymentTable } from './amortization-table.js'
import { penaltyWaived } from './options.js'
import type { OptionContext, RepaymentOption } from './options.js'
import { amount, penaltyClause, sentence } from './option-text.js'

export function settlementOption (ctx: OptionContext): RepaymentOption {
  const waiver = ctx.policy.settlementPenaltyWaiver
  const waived = penaltyWaived(ctx, waiver)
  const share = ctx.policy.discountByBucket.get(ctx.bucket) ?? ZERO
  // named step: settlementDiscount
  const discount = roundRational(ctx.balance * share.n, share.d, ctx.roundingMode)
  const payment = ctx.totalDue - waived - discount
  const dueDate = addDays(ctx.asOf, ctx.policy.source.settlement.windowDays)
  const table = singlePaymentTable(dueDate, payment)
  return {
    id: 'settlement',
    type: 'settlement',
    termMonths: null,
    method: null,
    holidayMonths: null,
    amountFinanced: payment,
    table,
    totalRepayable: payment,
    totalInterest: 0n,
    penaltyWaived: waived,
    discount,
    capitalizedInterest: 0n,
    maxPayment: payment,
    firstPaymentDate: dueDate,
    apr: '0.0000',
    paymentToIncome: paymentToIncomeOf(ctx, payment),
    affordable: ctx.availableFunds === null ? null : ctx.availableFunds >= payment,
    summary: sentence([
      `pay ${amount(ctx, payment)} once, by ${dueDate}, to settle the loan in full`,
      discount > 0n ? `this includes a discount of ${amount(ctx, discount)} on the balance` : '',
      penaltyClause(ctx, ctx.penalty.total, waived, waiver)
    ])
  }
}
