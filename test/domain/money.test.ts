import t from 'tap'
import fc from 'fast-check'
import { formatMoney, formatMoneyGrouped, isMoneyError, parseMoney } from '../../src/domain/money.js'
import { currencyDigits } from '../../src/domain/currency.js'

t.test('parses amounts into minor units, padding missing decimals', async t => {
  t.equal(parseMoney('10.5', 2), 1050n)
  t.equal(parseMoney('10', 2), 1000n)
  t.equal(parseMoney('1234.50', 2), 123450n)
  t.equal(parseMoney('1234', 0), 1234n)
  t.equal(parseMoney('1.25', 3), 1250n)
  t.equal(parseMoney('0', 2), 0n)
  t.equal(parseMoney('999999999999999.99', 2), 99999999999999999n)
})

t.test('rejects more decimals than the currency has instead of rounding', async t => {
  const e = parseMoney('10.505', 2)
  t.ok(isMoneyError(e))
  t.match(e, { kind: 'too_many_decimals' })
  t.match(parseMoney('10.5', 0), { kind: 'too_many_decimals', message: /whole amount/ })
  t.match(parseMoney('1.0', 0), { kind: 'too_many_decimals' })
  t.match(parseMoney('1.2345', 3), { kind: 'too_many_decimals', message: /3 decimals/ })
  t.match(parseMoney('1.23', 1), { kind: 'too_many_decimals', message: /1 decimal,/ })
})

t.test('rejects signs, exponents, separators, spaces and empty strings', async t => {
  for (const s of ['', '-1', '+1', '1e3', '1E3', '1,000.00', ' 1', '1 ', '.5', '5.', '1.2.3', 'abc', '１', '0x1F', 'Infinity', '00100', '000123.4', '00.5', '0000000000000001', '٣']) {
    t.match(parseMoney(s, 2), { kind: 'malformed' }, JSON.stringify(s))
  }
})

t.test('rejects more than 15 integer digits', async t => {
  t.match(parseMoney('1000000000000000', 2), { kind: 'too_large' })
  t.equal(parseMoney('999999999999999', 2), 99999999999999900n, 'fifteen digits are the most')
  t.equal(isMoneyError(100n), false)
})

t.test('formats with exactly the currency digits', async t => {
  t.equal(formatMoney(123450n, 2), '1234.50')
  t.equal(formatMoney(1234n, 0), '1234')
  t.equal(formatMoney(1250n, 3), '1.250')
  t.equal(formatMoney(5n, 2), '0.05')
  t.equal(formatMoney(0n, 3), '0.000')
  t.equal(formatMoney(-150n, 2), '-1.50')
})

t.test('groups thousands for plain-language text', async t => {
  t.equal(formatMoneyGrouped(123450n, 2), '1,234.50')
  t.equal(formatMoneyGrouped(123456789n, 0), '123,456,789')
  t.equal(formatMoneyGrouped(99n, 2), '0.99')
  t.equal(formatMoneyGrouped(-123456789n, 3), '-123,456.789')
})

const digitsArb = fc.constantFrom('CNY', 'JPY', 'KWD').map(c => currencyDigits(c) ?? 2)

t.test('formatMoney and parseMoney round-trip every representable amount', async t => {
  fc.assert(fc.property(fc.bigInt(0n, 10n ** 15n - 1n), digitsArb, (minor, digits) => {
    const text = formatMoney(minor, digits)
    const decimals = text.includes('.') ? text.split('.')[1]?.length : 0
    return parseMoney(text, digits) === minor && decimals === digits
  }), { numRuns: 2000 })
})

t.test('parses any well-formed string to the value it denotes', async t => {
  fc.assert(fc.property(fc.stringMatching(/^(0|[1-9][0-9]{0,14})$/), fc.stringMatching(/^[0-9]{0,3}$/), digitsArb, (whole, frac, digits) => {
    const text = frac === '' ? whole : `${whole}.${frac}`
    const parsed = parseMoney(text, digits)
    if (frac.length > digits) return isMoneyError(parsed)
    return parsed === BigInt(whole) * 10n ** BigInt(digits) + (frac === '' ? 0n : BigInt(frac.padEnd(digits, '0')))
  }), { numRuns: 2000 })
})

t.test('formats amounts beyond the safe-integer range exactly', async t => {
  t.equal(formatMoney(99999999999999999999n, 3), '99999999999999999.999')
  t.equal(formatMoney(-(2n ** 60n), 2), '-11529215046068469.76')
})

// The HTTP schema's MONEY_PATTERN (src/http/schemas/common.ts), copied so the
// engine's own parser is held to it: with four minor digits (the most any
// ISO 4217 currency has) the two accept exactly the same strings.
const MONEY_PATTERN = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,4})?$/

t.test('accepts exactly what the API money pattern accepts', async t => {
  const text = fc.string({ unit: fc.constantFrom('0', '0', '1', '9', '.', '-', '+', 'e', ' '), maxLength: 21 })
  fc.assert(fc.property(text, s => isMoneyError(parseMoney(s, 4)) === !MONEY_PATTERN.test(s)), { numRuns: 5000 })
  for (const s of ['00100', '0.', '01.5', '1.00000', '1000000000000000']) t.ok(isMoneyError(parseMoney(s, 4)), s)
  for (const s of ['0', '0.0001', '100', '999999999999999.9999']) t.notOk(isMoneyError(parseMoney(s, 4)), s)
})

t.test('parses every well-formed amount to the same minor units as the decimal text does, on both sides of 15 digits', async t => {
  const digit = fc.constantFrom('0', '1', '5', '9')
  const amount = fc.tuple(fc.string({ unit: digit, minLength: 1, maxLength: 17 }), fc.option(fc.string({ unit: digit, minLength: 1, maxLength: 4 })))
    .map(([whole, fraction]) => `${whole.replace(/^0+(?=.)/, '')}${fraction === null ? '' : `.${fraction}`}`)
  fc.assert(fc.property(amount, fc.integer({ min: 0, max: 4 }), (s, digits) => {
    const [whole = '', fraction = ''] = s.split('.')
    const expected = fraction.length > digits || whole.length > 15 ? undefined : BigInt(whole + fraction.padEnd(digits, '0'))
    const parsed = parseMoney(s, digits)
    return expected === undefined ? isMoneyError(parsed) : parsed === expected
  }), { numRuns: 20000 })
})
