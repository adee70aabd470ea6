import t from 'tap'
import fc from 'fast-check'
import { JsonBytes } from '../../src/domain/json-bytes.js'
import { formatMoney } from '../../src/domain/money.js'

const text = (w: JsonBytes): string => new TextDecoder().decode(w.bytes())

t.test('strings are written exactly as JSON.stringify writes them, escapes and non-ASCII included', async t => {
  const w = new JsonBytes(4) // tiny, so every write also exercises growing the buffer
  fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.string({ minLength: 40, maxLength: 200 }), fc.string({ minLength: 40, maxLength: 200, unit: 'binary' }), fc.string({ minLength: 40, maxLength: 200, unit: 'grapheme-ascii' }), fc.constantFrom('"', '\\', 'é', 'ÿ', '\u007f', '\u2028', '\ud800', 'a\u0000b', 'é€😀')), s => {
    return text(w.reset().string(s)) === JSON.stringify(s)
  }), { numRuns: 2000 })
  t.equal(text(w.reset().nullableString(null).raw(',').nullableString('x')), 'null,"x"')
})

t.test('numbers: safe integers digit by digit, anything else as JSON.stringify', async t => {
  const w = new JsonBytes(2)
  fc.assert(fc.property(fc.oneof(fc.integer(), fc.maxSafeNat(), fc.maxSafeNat().map(n => -n), fc.double(), fc.constantFrom(0, -0, 9, 10, 99, 100, 2 ** 53 - 1, 2 ** 53, 1e21)), n => {
    return text(w.reset().number(n)) === JSON.stringify(n)
  }), { numRuns: 2000 })
  t.equal(text(w.reset().nullableNumber(null).raw(',').nullableNumber(7)), 'null,7')
  t.equal(text(w.reset().boolean(true).raw(',').boolean(false).raw(',').boolean(null)), 'true,false,null')
})

t.test('money: the canonical decimal string for exact Numbers and bigints, every currency digit count', async t => {
  const w = new JsonBytes(1)
  fc.assert(fc.property(fc.bigInt(-(10n ** 20n), 10n ** 20n), fc.integer({ min: 0, max: 4 }), fc.boolean(), (minor, digits, asNumber) => {
    const exact = minor > -(2n ** 53n) && minor < 2n ** 53n
    const value = asNumber && exact ? Number(minor) : minor
    return text(w.reset().money(value, digits)) === JSON.stringify(formatMoney(minor, digits))
  }), { numRuns: 3000 })
  t.equal(text(w.reset().money(5, 2)), '"0.05"')
  t.equal(text(w.reset().money(-5, 3)), '"-0.005"')
  t.equal(text(w.reset().money(1200, 0)), '"1200"')
  t.equal(text(w.reset().money(2 ** 53 - 1, 2)), '"90071992547409.91"')
})

t.test('reset starts a new document and bytes() is a copy the next document cannot change', async t => {
  const w = new JsonBytes(8)
  const first = w.reset().raw('{"a":').number(1).raw('}').bytes()
  const second = w.reset().raw('[').string('zz').raw(']').bytes()
  t.equal(new TextDecoder().decode(first), '{"a":1}')
  t.equal(new TextDecoder().decode(second), '["zz"]')
})
