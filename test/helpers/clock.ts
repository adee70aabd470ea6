import type { Clock } from '../../src/services/clock.js'

/** A clock a test sets: `at(date)` puts it at noon of that day in Asia/Shanghai (04:00 UTC). */
export function settableClock (): Clock & { at: (date: string) => void } {
  let now = new Date()
  return {
    now: () => now,
    at: (date: string) => { now = new Date(`${date}T04:00:00.000Z`) }
  }
}
