// Plain calendar dates as 'YYYY-MM-DD' strings. Arithmetic runs on integer
// day numbers (days since 1970-01-01, proleptic Gregorian) so no time zone
// or Date quirk (two-digit years, DST) can shift a due date.

interface Civil { y: number, m: number, d: number }

export function isLeapYear (y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
}

export function daysInMonth (y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31
}

// Hand-rolled rather than a regular expression: servicing parses dates per
// installment of every plan a sweep evaluates.
function digitsAt (s: string, from: number, to: number): number {
  let n = 0
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k) - 48
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}

function parse (s: string): Civil | null {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null
  const y = digitsAt(s, 0, 4)
  const m = digitsAt(s, 5, 7)
  const d = digitsAt(s, 8, 10)
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null
  return { y, m, d }
}

function parseOrThrow (s: string): Civil {
  const c = parse(s)
  if (c === null) throw new RangeError(`invalid calendar date: ${s}`)
  return c
}

export function isValidDate (s: string): boolean {
  return parse(s) !== null
}

// Howard Hinnant's days_from_civil.
function toDayNumber ({ y, m, d }: Civil): number {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

function fromDayNumber (z: number): Civil {
  const zz = z + 719468
  const era = Math.floor(zz / 146097)
  const doe = zz - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return { y: era * 400 + yoe + (m <= 2 ? 1 : 0), m, d }
}

function format ({ y, m, d }: Civil): string {
  if (y < 1 || y > 9999) throw new RangeError(`date out of range: year ${y}`)
  const year = y >= 1000 ? String(y) : String(y).padStart(4, '0')
  return `${year}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`
}

export function addDays (date: string, days: number): string {
  return format(fromDayNumber(toDayNumber(parseOrThrow(date)) + days))
}

// Always measured from the anchor (not chained month to month) so that a
// 31st anchor returns to the 31st after passing through February.
export function addMonthsClamped (anchor: string, months: number): string {
  const { y, m, d } = parseOrThrow(anchor)
  const index = y * 12 + (m - 1) + months
  const year = Math.floor(index / 12)
  const month = index - year * 12 + 1
  return format({ y: year, m: month, d: Math.min(d, daysInMonth(year, month)) })
}

// Whole days from a to b (negative when b is earlier).
export function daysBetween (a: string, b: string): number {
  return toDayNumber(parseOrThrow(b)) - toDayNumber(parseOrThrow(a))
}

// One anchor's month-by-month dates (and their day numbers), kept because a
// quote asks for the same anchor's due dates for every option it builds.
// Entry m is the anchor plus m months, clamped to the month's end.
interface MonthSequence {
  readonly anchor: string
  readonly y: number
  readonly m: number
  readonly d: number
  readonly dates: string[]
  readonly days: number[]
}

let sequence: MonthSequence | undefined

function monthSequence (anchor: string, through: number): MonthSequence {
  let s = sequence
  if (s === undefined || s.anchor !== anchor) {
    const { y, m, d } = parseOrThrow(anchor)
    s = { anchor, y, m, d, dates: [], days: [] }
    sequence = s
  }
  // Grown only as far as asked, so an out-of-range month still throws when requested.
  for (let k = s.dates.length; k <= through; k++) {
    const index = s.y * 12 + (s.m - 1) + k
    const year = Math.floor(index / 12)
    const month = index - year * 12 + 1
    const civil = { y: year, m: month, d: Math.min(s.d, daysInMonth(year, month)) }
    s.dates.push(format(civil))
    s.days.push(toDayNumber(civil))
  }
  return s
}

// Due dates for months first..first+count−1 after the anchor.
export function monthlyDueDates (anchor: string, first: number, count: number): string[] {
  if (count <= 0) {
    parseOrThrow(anchor)
    return []
  }
  return monthSequence(anchor, first + count - 1).dates.slice(first, first + count)
}

// Days in each monthly period ending at months first..first+count−1 after the
// anchor (the first period starts one month earlier), for actual-day interest.
export function monthlyPeriodDays (anchor: string, first: number, count: number): number[] {
  const out = new Array<number>(Math.max(count, 0))
  if (count <= 0) return out
  const days = monthSequence(anchor, first + count - 1).days
  for (let k = 0; k < count; k++) out[k] = (days[first + k] as number) - (days[first + k - 1] as number)
  return out
}
