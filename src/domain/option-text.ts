// Plain-language sentences a collector can read out to the borrower. Every
// figure comes from the option itself so the words cannot drift from the
// numbers.
import { mul, rational, toDecimalString } from './decimal.js'
import type { Rational } from './decimal.js'
import { formatMoneyGrouped } from './money.js'
import type { ScheduleRow } from './schedule.js'

export interface TextContext {
  readonly currency: string
  readonly digits: number
}

export function amount (ctx: TextContext, minor: bigint): string {
  return `${formatMoneyGrouped(minor, ctx.digits)} ${ctx.currency}`
}

export function months (n: number): string {
  return n === 1 ? '1 month' : `${n} months`
}

// Describes a run of payments: level, level with a different last payment,
// falling (equal principal) or, for odd tiny-balance schedules, a range.
export function paymentPlan (ctx: TextContext, rows: readonly ScheduleRow[]): string {
  const first = rows[0]
  const last = rows[rows.length - 1]
  if (first === undefined || last === undefined) return 'no payments are due'
  if (rows.length === 1) return `pay ${amount(ctx, first.payment)} on ${first.dueDate}`
  const span = `${months(rows.length)} from ${first.dueDate}`
  // Rows before the first payment that differs from the first one.
  let level = 1
  while (level < rows.length && (rows[level] as ScheduleRow).payment === first.payment) level++
  if (level === rows.length) return `pay ${amount(ctx, first.payment)} a month for ${span}`
  if (level === rows.length - 1) {
    return `pay ${amount(ctx, first.payment)} a month for ${span}, with a final payment of ${amount(ctx, last.payment)}`
  }
  const falling = rows.every((r, i) => i === 0 || r.payment <= (rows[i - 1]?.payment ?? 0n))
  if (falling) return `pay ${amount(ctx, first.payment)} in the first month, falling to ${amount(ctx, last.payment)} in the last, over ${span}`
  let low = first.payment
  let high = first.payment
  for (const r of rows) {
    if (r.payment < low) low = r.payment
    if (r.payment > high) high = r.payment
  }
  return `pay between ${amount(ctx, low)} and ${amount(ctx, high)} a month for ${span}`
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
