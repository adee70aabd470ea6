/** Where "now" comes from: the system clock in production, a settable one in tests. */
export interface Clock { now: () => Date }

export const systemClock: Clock = { now: () => new Date() }

const formats = new Map<string, Intl.DateTimeFormat>()

/** The calendar date of `instant` in `timeZone`, as YYYY-MM-DD. */
export function dateIn (timeZone: string, instant: Date): string {
  let format = formats.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    formats.set(timeZone, format)
  }
  return format.format(instant)
}
