import t from 'tap'
import fc from 'fast-check'
import {
  add, compare, div, formatRatio, formatScaled, gcd, isZero, mul, parseDecimal, rational, roundRational, roundTo, sub, toDecimalString
} from '../../src/domain/decimal.js'

t.test('parses plain decimals into reduced fractions', async t => {
  t.same(parseDecimal('0.12'), { n: 3n, d: 25n })
  t.same(parseDecimal('15'), { n: 15n, d: 1n })
  t.same(parseDecimal('0.094822'), { n: 47411n, d: 500000n })
  t.same(parseDecimal('1.000'), { n: 1n, d: 1n })
})

t.test('rejects anything that is not a plain unsigned decimal', async t => {
  for (const s of ['', '-1', '+1', '1e3', '.5', '5.', ' 1', '1 ', '1,5', '0x10', 'NaN', '1.2.3']) {
    t.equal(parseDecimal(s), null, JSON.stringify(s))
  }
})

t.test('rounds half up away from zero and half even to the even neighbour', async t => {
  const cases: Array<[bigint, bigint, bigint, bigint]> = [
    // num, den, HALF_UP, HALF_EVEN
    [5n, 2n, 3n, 2n],
    [7n, 2n, 4n, 4n],
    [-5n, 2n, -3n, -2n],
    [-7n, 2n, -4n, -4n],
    [1n, 3n, 0n, 0n],
    [2n, 3n, 1n, 1n],
    [-2n, 3n, -1n, -1n],
    [-1n, 3n, 0n, 0n],
    [6n, 3n, 2n, 2n],
    [5n, -2n, -3n, -2n],
    [1n, 2n, 1n, 0n]
  ]
  for (const [n, d, up, even] of cases) {
    t.equal(roundRational(n, d, 'HALF_UP'), up, `${n}/${d} HALF_UP`)
    t.equal(roundRational(n, d, 'HALF_EVEN'), even, `${n}/${d} HALF_EVEN`)
  }
  t.throws(() => roundRational(1n, 0n, 'HALF_UP'), RangeError)
})

t.test('HALF_EVEN and HALF_UP differ only on exact ties', async t => {
  fc.assert(fc.property(fc.bigInt(-(10n ** 20n), 10n ** 20n), fc.bigInt(1n, 10n ** 12n), (n, d) => {
    const up = roundRational(n, d, 'HALF_UP')
    const even = roundRational(n, d, 'HALF_EVEN')
    const tie = (2n * n) % d === 0n && (2n * n / d) % 2n !== 0n
    if (!tie) return up === even
    // on a tie HALF_UP goes away from zero; the two agree when that neighbour is even
    const gap = up - even
    return even % 2n === 0n && (gap === 0n || gap === (n < 0n ? -1n : 1n))
  }), { numRuns: 2000 })
})

t.test('rounded results are within half a unit of the exact value', async t => {
  fc.assert(fc.property(fc.bigInt(-(10n ** 18n), 10n ** 18n), fc.bigInt(1n, 10n ** 9n), fc.constantFrom('HALF_UP' as const, 'HALF_EVEN' as const), (n, d, mode) => {
    const q = roundRational(n, d, mode)
    const err = q * d - n
    return 2n * (err < 0n ? -err : err) <= d
  }), { numRuns: 2000 })
})

t.test('does exact arithmetic on reduced fractions', async t => {
  const a = rational(1n, 3n)
  const b = rational(1n, 6n)
  t.same(add(a, b), { n: 1n, d: 2n })
  t.same(sub(b, a), { n: -1n, d: 6n })
  t.same(mul(a, b), { n: 1n, d: 18n })
  t.same(div(a, b), { n: 2n, d: 1n })
  t.same(rational(4n, -8n), { n: -1n, d: 2n })
  t.equal(compare(a, b), 1)
  t.equal(compare(b, a), -1)
  t.equal(compare(a, rational(2n, 6n)), 0)
  t.equal(isZero(rational(0n, 5n)), true)
  t.equal(gcd(-12n, 18n), 6n)
  t.equal(roundTo(rational(5n, 2n), 'HALF_EVEN'), 2n)
  t.throws(() => rational(1n, 0n), RangeError)
  t.throws(() => div(a, rational(0n)), RangeError)
})

t.test('formats ratios with exactly the requested decimals', async t => {
  t.equal(formatRatio(rational(1n, 3n), 4, 'HALF_UP'), '0.3333')
  t.equal(formatRatio(rational(2n, 3n), 4, 'HALF_UP'), '0.6667')
  t.equal(formatRatio(rational(3n, 2n), 0, 'HALF_EVEN'), '2')
  t.equal(formatRatio(rational(1n, 200000n), 4, 'HALF_UP'), '0.0000')
  t.equal(formatRatio(rational(1n, 20000n), 4, 'HALF_UP'), '0.0001')
  t.equal(formatRatio(rational(1n, 20000n), 4, 'HALF_EVEN'), '0.0000')
  t.equal(formatRatio(rational(-5n, 4n), 1, 'HALF_UP'), '-1.3')
  t.equal(formatScaled(-5n, 2), '-0.05')
})

t.test('writes terminating fractions as their shortest exact decimal', async t => {
  t.equal(toDecimalString(parseDecimal('0.180') ?? rational(0n)), '0.18')
  t.equal(toDecimalString(rational(1n, 40n)), '0.025')
  t.equal(toDecimalString(rational(7n)), '7')
  t.equal(toDecimalString(rational(-3n, 8n)), '-0.375')
  t.throws(() => toDecimalString(rational(1n, 3n)), RangeError)
})
