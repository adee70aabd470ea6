// Money crosses the API boundary as decimal strings and lives inside as
// bigint minor units. Parsing is strict: an amount with more decimals than
// the currency has is rejected, never rounded, and the shape is the API's
// MONEY_PATTERN (no leading zeros, sign, exponent or bare point), so the
// engine called directly refuses what the HTTP schema refuses.
import { formatScaled, formatScaledNumber } from './decimal.js'

export const MAX_INTEGER_DIGITS = 15

export type MoneyErrorKind = 'malformed' | 'too_many_decimals' | 'too_large'

export interface MoneyError {
  readonly kind: MoneyErrorKind
  readonly message: string
}

function allDigits (s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k)
    if (c < 48 || c > 57) return false
  }
  return true
}

// The shape /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/, scanned by hand: servicing parses every stored
// amount of every plan a sweep evaluates.
function wellFormed (s: string, point: number): boolean {
  const end = point < 0 ? s.length : point
  if (end === 0 || !allDigits(s, 0, end) || (end > 1 && s.charCodeAt(0) === 48)) return false
  return point < 0 || (point + 1 < s.length && allDigits(s, point + 1, s.length))
}

export function parseMoney (s: string, digits: number): bigint | MoneyError {
  const point = s.indexOf('.')
  if (!wellFormed(s, point)) {
    return { kind: 'malformed', message: 'must be a plain unsigned decimal amount without leading zeros, such as "1234.50"' }
  }
  const whole = point < 0 ? s : s.slice(0, point)
  const fraction = point < 0 ? '' : s.slice(point + 1)
  if (fraction.length > digits) {
    return {
      kind: 'too_many_decimals',
      message: digits === 0
        ? 'must be a whole amount: this currency has no minor unit'
        : `has more than ${digits} decimal${digits === 1 ? '' : 's'}, the most this currency allows`
    }
  }
  if (whole.length > MAX_INTEGER_DIGITS) {
    return { kind: 'too_large', message: `must have at most ${MAX_INTEGER_DIGITS} integer digits` }
  }
  // Up to 15 digits the minor units are exact in a double, and BigInt of a number is cheaper than of text.
  if (whole.length + digits <= 15) {
    let n = 0
    for (let k = 0; k < s.length; k++) if (k !== point) n = n * 10 + s.charCodeAt(k) - 48
    for (let k = fraction.length; k < digits; k++) n *= 10
    return BigInt(n)
  }
  return BigInt(whole + fraction.padEnd(digits, '0'))
}

export function isMoneyError (v: bigint | MoneyError): v is MoneyError {
  return typeof v !== 'bigint'
}

// Canonical wire format: exactly the currency's digits, no grouping.
export function formatMoney (minor: bigint, digits: number): string {
  return formatScaled(minor, digits)
}

// The same for an amount already held as an exact integer Number (|minor| < 2^53).
export function formatMoneyNumber (minor: number, digits: number): string {
  return formatScaledNumber(minor, digits)
}

// Reader-facing format with thousands separators, for plain-language text.
// An exact Number count with at most three decimals is grouped arithmetically:
// exact remainders split off the fraction and each thousand, and every piece
// is a table entry, so only the joins allocate. Anything else is grouped by
// slicing threes off the plain rendering (a lookahead regex was a visible
// share of quote time).
const EXACT = 2 ** 53
const UNITS: readonly number[] = [1, 10, 100, 1000]
const GROUPS: readonly string[] = Array.from({ length: 1000 }, (_, i) => ',' + String(i).padStart(3, '0'))
const FRACTIONS: ReadonlyArray<readonly string[]> = UNITS.map((unit, digits) =>
  Array.from({ length: unit }, (_, i) => digits === 0 ? '' : '.' + String(i).padStart(digits, '0')))

export function formatMoneyGrouped (minor: bigint, digits: number): string {
  const n = Number(minor)
  const unit = UNITS[digits]
  if (unit === undefined || !(n >= 0 && n < EXACT)) return groupBySlicing(formatScaled(minor, digits))
  const thousand = unit * 1000
  if (n < thousand) return formatScaledNumber(n, digits)
  const low = n % thousand
  const fraction = low % unit
  let out = (GROUPS[(low - fraction) / unit] as string) + (FRACTIONS[digits] as readonly string[])[fraction]
  let whole = (n - low) / thousand
  while (whole >= 1000) {
    const group = whole % 1000
    out = (GROUPS[group] as string) + out
    whole = (whole - group) / 1000
  }
  return formatScaledNumber(whole, 0) + out
}

function groupBySlicing (plain: string): string {
  const negative = plain.charCodeAt(0) === 45
  const start = negative ? 1 : 0
  const dot = plain.indexOf('.')
  const end = dot < 0 ? plain.length : dot
  if (end - start <= 3) return plain
  let head = (end - start) % 3 || 3
  let out = plain.slice(0, start + head)
  for (head += start; head < end; head += 3) out += ',' + plain.slice(head, head + 3)
  return out + plain.slice(end)
}
