// When a failed webhook attempt is tried again: the Standard Webhooks / Stripe style backoff.
const SECOND = 1000
const HOUR = 3600 * SECOND
const STANDARD_STEPS = [5 * SECOND, 30 * SECOND, 120 * SECOND, 600 * SECOND, HOUR]
const THEN_EVERY = 6 * HOUR
/** Past this since the first attempt, a delivery is given up (failed). */
const GIVE_UP_AFTER = 3 * 24 * HOUR

export interface RetrySchedule {
  /**
   * The delay before the next attempt after `attempts` failed ones, the first made `sinceFirstMs`
   * ago; undefined when the delivery is to be given up. Without jitter.
   */
  delayAfter: (attempts: number, sinceFirstMs: number) => number | undefined
}

/** 5 s, 30 s, 2 min, 10 min, 1 h, then every 6 h until about three days have passed since the first attempt. */
export const standardSchedule: RetrySchedule = {
  delayAfter (attempts, sinceFirstMs) {
    const delay = STANDARD_STEPS[attempts - 1] ?? THEN_EVERY
    return sinceFirstMs + delay > GIVE_UP_AFTER ? undefined : delay
  }
}

/** A fixed list of delays, one after each failed attempt, then give up (WEBHOOK_RETRY_SCHEDULE_MS). */
export function listedSchedule (delays: readonly number[]): RetrySchedule {
  return { delayAfter: (attempts) => delays[attempts - 1] }
}

/** WEBHOOK_RETRY_SCHEDULE_MS: empty is the standard schedule. */
export function parseSchedule (setting: string): RetrySchedule {
  return setting === '' ? standardSchedule : listedSchedule(setting.split(',').map(Number))
}

/** Spreads retries by up to ±20 % so receivers recovering from an outage are not hit in one wave. */
export function withJitter (delayMs: number, random: () => number = Math.random): number {
  return Math.round(delayMs * (0.8 + 0.4 * random()))
}
