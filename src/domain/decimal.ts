// Exact rational arithmetic for rates and ratios. Money never touches
// floating point: every rate is parsed from its decimal string into a
// bigint fraction and rounded only at named steps via roundRational.

export interface Rational {
  readonly n: bigint
  readonly d: bigint
}

export type RoundingMode = 'HALF_UP' | 'HALF_EVEN'

export const ZERO: Rational = { n: 0n, d: 1n }
export const ONE: Rational = { n: 1n, d: 1n }

const DECIMAL = /^\d+(\.\d+)?$/

export function gcd (a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a
  if (b < 0n) b = -b
  while (b !== 0n) {
    const t = a % b
    a = b
    b = t
  }
  return a
}

// Normalises sign into the numerator and reduces by gcd, so fractions built
// from products stay small enough for hot-path arithmetic.
export function rational (n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError('rational with zero denominator')
  if (d < 0n) {
    n = -n
    d = -d
  }
  const g = gcd(n, d)
  return g > 1n ? { n: n / g, d: d / g } : { n, d }
}

const POW10: readonly bigint[] = Array.from({ length: 19 }, (_, k) => 10n ** BigInt(k))

export function pow10 (k: number): bigint {
  return POW10[k] ?? 10n ** BigInt(k)
}

// Accepts only plain unsigned decimals; signs, exponents and whitespace are
// the caller's problem so that nothing is silently coerced.
export function parseDecimal (s: string): Rational | null {
  if (!DECIMAL.test(s)) return null
  const dot = s.indexOf('.')
  if (dot < 0) return { n: BigInt(s), d: 1n }
  const fraction = s.slice(dot + 1)
  return rational(BigInt(s.slice(0, dot) + fraction), pow10(fraction.length))
}

// A rate or share as the API writes it (RATIO_PATTERN): 0 to 1 with at most
// 10 decimals and no leading zeros, so "00.5", "0.12345678901" and "1.5" are
// refused here just as the HTTP schema refuses them.
const RATIO = /^(0(\.[0-9]{1,10})?|1(\.0{1,10})?)$/

export function parseRatio (s: string): Rational | null {
  return RATIO.test(s) ? parseDecimal(s) : null
}

// The single rounding primitive: nearest integer to num/den, ties resolved
// away from zero (HALF_UP) or to the even neighbour (HALF_EVEN). Operands
// below 2^53 take an exact Number path (see roundQuotient): the bigint one
// allocates a value per step, and most rounding is of everyday amounts.
const EXACT_INT = 2 ** 53

export function roundRational (num: bigint, den: bigint, mode: RoundingMode): bigint {
  const n = Number(num)
  const d = Number(den)
  if (d > 0 && d < EXACT_INT && n > -EXACT_INT && n < EXACT_INT) {
    return BigInt(n < 0 ? -roundQuotient(-n, d, mode) : roundQuotient(n, d, mode))
  }
  if (den === 0n) throw new RangeError('roundRational with zero denominator')
  if (den < 0n) {
    num = -num
    den = -den
  }
  const q = num / den
  const rem = num - q * den
  if (rem === 0n) return q
  const twice = (rem < 0n ? -rem : rem) * 2n
  const away = num < 0n ? q - 1n : q + 1n
  if (twice > den) return away
  if (twice < den) return q
  if (mode === 'HALF_UP') return away
  return q % 2n === 0n ? q : away
}

// round(num/den) for integers 0 ≤ num < 2^53, 0 < den < 2^53, on doubles.
// num % den is exact (a floating remainder always is), num − rem is then an
// exact multiple of den, so the division returns the exact integer quotient:
// no rounding error can reach the result.
export function roundQuotient (num: number, den: number, mode: RoundingMode): number {
  const rem = num % den
  const q = (num - rem) / den
  if (rem === 0) return q
  const twice = rem * 2
  if (twice > den) return q + 1
  if (twice < den) return q
  return mode === 'HALF_UP' || q % 2 === 1 ? q + 1 : q
}

export function roundTo (r: Rational, mode: RoundingMode): bigint {
  return roundRational(r.n, r.d, mode)
}

export function add (a: Rational, b: Rational): Rational {
  return rational(a.n * b.d + b.n * a.d, a.d * b.d)
}

export function sub (a: Rational, b: Rational): Rational {
  return rational(a.n * b.d - b.n * a.d, a.d * b.d)
}

export function mul (a: Rational, b: Rational): Rational {
  return rational(a.n * b.n, a.d * b.d)
}

export function div (a: Rational, b: Rational): Rational {
  if (b.n === 0n) throw new RangeError('division by zero')
  return rational(a.n * b.d, a.d * b.n)
}

export function compare (a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.n * b.d
  const r = b.n * a.d
  return l < r ? -1 : l > r ? 1 : 0
}

export function isZero (r: Rational): boolean {
  return r.n === 0n
}

// Fixed-decimals rendering, e.g. ratios reported "to 4 decimals".
export function formatRatio (r: Rational, decimals: number, mode: RoundingMode): string {
  const scaled = roundRational(r.n * pow10(decimals), r.d, mode)
  return formatScaled(scaled, decimals)
}

// Renders an integer count of 10^-decimals units, e.g. (12345n, 2) → "123.45".
// Below 2^53 the count converts to a Number exactly (Number(bigint) is
// monotonic, so the range test on the converted value is sound) and takes
// formatScaledNumber.
const EXACT = 2 ** 53

// Renderings of 0…9999 units for 0…3 decimals, built on first use: head
// without leading zeros ("0.05", "12.34"), tail as a full four-digit block
// ("00.05"). A count below 10^4 is one table entry; a larger one is its
// leading part (itself a small table entry up to 10^8) joined to the tail of
// its last four digits, so nothing is sliced and most amounts cost one join.
interface Blocks { readonly head: readonly string[], readonly tail: readonly string[] }
const BLOCK = 10000
const blocks: Array<Blocks | undefined> = [undefined, undefined, undefined, undefined]

function blocksFor (decimals: number): Blocks {
  let b = blocks[decimals]
  if (b === undefined) {
    const head = new Array<string>(BLOCK)
    const tail = new Array<string>(BLOCK)
    for (let i = 0; i < BLOCK; i++) {
      const digits = String(i).padStart(decimals + 1, '0')
      const block = String(i).padStart(4, '0')
      head[i] = decimals === 0 ? digits : digits.slice(0, -decimals) + '.' + digits.slice(-decimals)
      tail[i] = decimals === 0 ? block : block.slice(0, -decimals) + '.' + block.slice(-decimals)
    }
    b = { head, tail }
    blocks[decimals] = b
  }
  return b
}

// The same rendering for an exact integer Number, |n| < 2^53. Below 2^31 the
// split into leading part and last four digits runs on int32 operations (a
// remainder of doubles is a library call); above, n % 10^4 is still an exact
// remainder and n minus it an exact multiple of 10^4, so the leading part
// divides out exactly.
const INT32 = 2 ** 31

export function formatScaledNumber (n: number, decimals: number): string {
  if (decimals > 3) return formatScaled(BigInt(n), decimals)
  if (n < 0) return '-' + formatScaledNumber(-n, decimals)
  const b = blocks[decimals] ?? blocksFor(decimals)
  if (n < BLOCK) return b.head[n] as string
  let low: number
  let high: number
  if (n < INT32) {
    const i = n | 0
    low = i % BLOCK
    high = ((i - low) / BLOCK) | 0
  } else {
    low = n % BLOCK
    high = (n - low) / BLOCK
  }
  const ints = (blocks[0] ?? blocksFor(0)).head
  return (high < BLOCK ? ints[high] as string : '' + high) + (b.tail[low] as string)
}

export function formatScaled (scaled: bigint, decimals: number): string {
  const n = Number(scaled)
  if (n >= 0 && n < EXACT && decimals <= 3) return formatScaledNumber(n, decimals)
  const negative = scaled < 0n
  const magnitude = negative ? -scaled : scaled
  const digits = magnitude.toString()
  const sign = negative ? '-' : ''
  if (decimals === 0) return sign + digits
  const padded = digits.padStart(decimals + 1, '0')
  const cut = padded.length - decimals
  return sign + padded.slice(0, cut) + '.' + padded.slice(cut)
}

// Shortest exact decimal for a terminating fraction (rates built from
// decimal strings always terminate); "0.180" comes back as "0.18".
export function toDecimalString (r: Rational): string {
  let d = r.d
  let decimals = 0
  while (d % 10n === 0n) { d /= 10n; decimals++ }
  while (d % 2n === 0n) { d /= 2n; decimals++ }
  while (d % 5n === 0n) { d /= 5n; decimals++ }
  if (d !== 1n) throw new RangeError('fraction has no finite decimal expansion')
  return formatScaled(r.n * pow10(decimals) / r.d, decimals)
}
