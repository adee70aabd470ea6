// Plain-language sentences a collector can read out to the borrower. Every
// figure comes from the option itself so the words cannot drift from the
// numbers.
import { mul, rational, toDecimalString } from './decimal.js'
import type { Rational } from './decimal.js'
import { formatMoneyGrouped } from './money.js'
import type { ScheduleRow, Unpayable } from './schedule.js'

export interface TextContext {
  readonly currency: string
  readonly digits: number
}

// " CNY" for the last currency seen, so an amount costs one join, not two.
let suffixCurrency = ''
let suffix = ' '

export function amount (ctx: TextContext, minor: bigint): string {
  if (ctx.currency !== suffixCurrency) {
    suffixCurrency = ctx.currency
    suffix = ' ' + ctx.currency
  }
  return formatMoneyGrouped(minor, ctx.digits) + suffix
}

export function months (n: number): string {
  return n === 1 ? '1 month' : `${n} months`
}

// Describes a run of payments: level, level with a different last payment,
// falling (equal principal) or, for odd tiny-balance schedules, a range.
export function paymentPlan (ctx: TextContext, rows: readonly ScheduleRow[]): string {
  return tablePaymentPlan(ctx, rows.map(r => r.payment), rows[0]?.dueDate ?? '')
}

// The same from a table's payment column (exact Numbers or bigints, never
// mixed, so comparisons are like for like) and its first due date.
export function tablePaymentPlan (ctx: TextContext, payments: readonly number[] | readonly bigint[], firstDueDate: string): string {
  const n = payments.length
  if (n === 0) return 'no payments are due'
  const first = payments[0] as number | bigint
  const last = payments[n - 1] as number | bigint
  if (n === 1) return `pay ${amount(ctx, BigInt(first))} on ${firstDueDate}`
  const span = `${months(n)} from ${firstDueDate}`
  // Rows before the first payment that differs from the first one.
  let level = 1
  while (level < n && payments[level] === first) level++
  if (level === n) return `pay ${amount(ctx, BigInt(first))} a month for ${span}`
  if (level === n - 1) {
    return `pay ${amount(ctx, BigInt(first))} a month for ${span}, with a final payment of ${amount(ctx, BigInt(last))}`
  }
  let falling = true
  let low = first
  let high = first
  for (let k = 1; k < n; k++) {
    const p = payments[k] as number | bigint
    if (p > (payments[k - 1] as number | bigint)) falling = false
    if (p < low) low = p
    if (p > high) high = p
  }
  if (falling) return `pay ${amount(ctx, BigInt(first))} in the first month, falling to ${amount(ctx, BigInt(last))} in the last, over ${span}`
  return `pay between ${amount(ctx, BigInt(low))} and ${amount(ctx, BigInt(high))} a month for ${span}`
}

export function totals (ctx: TextContext, totalRepayable: bigint, totalInterest: bigint): string {
  if (totalInterest === 0n) return `${amount(ctx, totalRepayable)} in total, with no interest`
  return `${amount(ctx, totalRepayable)} in total, of which ${amount(ctx, totalInterest)} is interest`
}

function share (waiver: Rational): string {
  if (waiver.n === 1n && waiver.d === 2n) return 'half'
  if (waiver.n === 1n && waiver.d === 4n) return 'a quarter'
  if (waiver.n === 3n && waiver.d === 4n) return 'three quarters'
  return `${toDecimalString(mul(waiver, rational(100n)))}%`
}

// Empty when there is no penalty to talk about.
export function penaltyClause (ctx: TextContext, penaltyTotal: bigint, waived: bigint, waiver: Rational): string {
  if (penaltyTotal === 0n) return ''
  const penalty = amount(ctx, penaltyTotal)
  if (waived === 0n) return `the late penalty of ${penalty} is included`
  if (waived === penaltyTotal) return `the whole late penalty (${penalty}) is forgiven`
  return `${share(waiver)} of the ${penalty} late penalty (${amount(ctx, waived)}) is forgiven`
}

// Capitalises only the first clause, so the joined text is never copied whole.
export function sentence (parts: readonly string[]): string {
  let text = ''
  for (const part of parts) {
    if (part === '') continue
    text = text === '' ? part.charAt(0).toUpperCase() + part.slice(1) : text + '; ' + part
  }
  return text + '.'
}

// Why a level schedule was refused; `plan` names the option ("A 6-month
// plan", "A 3-month holiday followed by 12 months of repayments") and
// `rowOffset` turns the repayment month into the schedule row (holiday rows).
export function unpayableReason (ctx: TextContext, plan: string, u: Unpayable, rowOffset: number): string {
  if (u.unpayable === 'zero_payment') {
    return `${plan} would have a monthly payment of ${amount(ctx, 0n)}: the amount is too small to spread over that many months.`
  }
  return `${plan} is not offered at this rate: the interest of ${amount(ctx, u.interest)} due in month ${u.month + rowOffset} exceeds the level payment of ${amount(ctx, u.installment)}, so the balance would not go down.`
}
