// Money crosses the API boundary as decimal strings and lives inside as
// bigint minor units. Parsing is strict: an amount with more decimals than
// the currency has is rejected, never rounded.
import { formatScaled } from './decimal.js'

export const MAX_INTEGER_DIGITS = 15

export type MoneyErrorKind = 'malformed' | 'too_many_decimals' | 'too_large'

export interface MoneyError {
  readonly kind: MoneyErrorKind
  readonly message: string
}

const SHAPE = /^(\d+)(?:\.(\d+))?$/

export function parseMoney (s: string, digits: number): bigint | MoneyError {
  const m = SHAPE.exec(s)
  if (m === null) {
    return { kind: 'malformed', message: 'must be a plain unsigned decimal amount such as "1234.50"' }
  }
  const whole = m[1] ?? ''
  const fraction = m[2] ?? ''
  if (fraction.length > digits) {
    return {
      kind: 'too_many_decimals',
      message: digits === 0
        ? 'must be a whole amount: this currency has no minor unit'
        : `has more than ${digits} decimal${digits === 1 ? '' : 's'}, the most this currency allows`
    }
  }
  if (whole.replace(/^0+(?=\d)/, '').length > MAX_INTEGER_DIGITS) {
    return { kind: 'too_large', message: `must have at most ${MAX_INTEGER_DIGITS} integer digits` }
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

// Reader-facing format with thousands separators, for plain-language text.
// Grouped by slicing threes off the whole part (a lookahead regex was a
// visible share of quote time).
export function formatMoneyGrouped (minor: bigint, digits: number): string {
  const plain = formatScaled(minor, digits)
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
