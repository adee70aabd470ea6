import type { DelinquencyBucketRule } from './policy.js'

// Day-based buckets (DPD 1–30 → M1 …), the common stand-in for statement
// cycles; the first rule whose range holds the days wins.
export function delinquencyBucket (overdueDays: number, buckets: readonly DelinquencyBucketRule[]): string {
  for (const b of buckets) {
    if (overdueDays >= b.minDays && (b.maxDays === null || overdueDays <= b.maxDays)) return b.name
  }
  throw new RangeError(`no delinquency bucket covers ${overdueDays} days`)
}
