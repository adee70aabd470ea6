// Interest earned by a date, for the payoff quote. A period's interest is
// earned in proportion to the day-count days elapsed in it, so it equals the
// scheduled interest exactly at the due date and never exceeds it.
import { roundRational } from '../decimal.js'
import type { RoundingMode } from '../decimal.js'
import { daysBetween } from '../dates.js'
import type { DayCount } from '../policy.js'

function civil (date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))]
}

// 30E/360 (Eurobond basis): day 31 counts as 30, every month has 30 days.
// Non-decreasing in `to`, which the accrual's monotonicity needs.
export function days30E360 (from: string, to: string): number {
  const [y1, m1, d1] = civil(from)
  const [y2, m2, d2] = civil(to)
  return 360 * (y2 - y1) + 30 * (m2 - m1) + Math.min(d2, 30) - Math.min(d1, 30)
}

export function accrualDays (dayCount: DayCount, from: string, to: string): number {
  return dayCount === '30/360' ? days30E360(from, to) : daysBetween(from, to)
}

export interface AccrualPeriod {
  // The previous due date, or the acceptance date for the first row.
  readonly start: string
  readonly dueDate: string
  readonly interest: bigint
}

export function earnedInterest (p: AccrualPeriod, asOf: string, dayCount: DayCount, mode: RoundingMode): bigint {
  if (asOf >= p.dueDate) return p.interest
  if (asOf <= p.start || p.interest === 0n) return 0n
  const period = accrualDays(dayCount, p.start, p.dueDate)
  if (period <= 0) return 0n
  const elapsed = Math.min(accrualDays(dayCount, p.start, asOf), period)
  // named step: accruedInterest
  return roundRational(p.interest * BigInt(elapsed), BigInt(period), mode)
}
