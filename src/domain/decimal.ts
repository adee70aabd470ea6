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
// monotonic, so the range test on the converted value is sound). The fraction
// digits come from a table indexed by n % 10^decimals (an exact remainder),
// so the hot path allocates the digit string, one slice and one join.
const EXACT = 2 ** 53
const FRACTIONS: ReadonlyArray<readonly string[]> = [1, 2, 3].map(decimals => {
  const size = 10 ** decimals
  const table = new Array<string>(size)
  for (let i = 0; i < size; i++) table[i] = '.' + String(i).padStart(decimals, '0')
  return table
})

export function formatScaled (scaled: bigint, decimals: number): string {
  const n = Number(scaled)
  if (n >= 0 && n < EXACT) {
    const digits = '' + n
    if (decimals === 0) return digits
    const cut = digits.length - decimals
    const fractions = FRACTIONS[decimals - 1]
    if (cut > 0 && fractions !== undefined) return digits.slice(0, cut) + fractions[n % fractions.length]
  }
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
