// Per-option affordability figures, shared by every option builder.
import { paymentToIncome } from './affordability.js'
import type { OptionContext } from './options.js'

export function paymentToIncomeOf (ctx: OptionContext, payment: bigint): string | null {
  return paymentToIncome(payment, ctx.affordability.monthlyIncome, ctx.roundingMode)
}

export function affordableByIncome (ctx: OptionContext, maxPayment: bigint): boolean {
  return maxPayment <= ctx.affordability.maxAffordablePayment
}
