import t from 'tap'
import fc from 'fast-check'
import { addDays, addMonthsClamped, daysBetween, daysInMonth, isLeapYear, isValidDate } from '../../src/domain/dates.js'

t.test('accepts real calendar dates only', async t => {
  for (const s of ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2023-12-31']) t.ok(isValidDate(s), s)
  for (const s of ['2024-02-30', '2023-02-29', '1900-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '0000-01-01',
    '2024-1-01', '2024-01-1', '24-01-01', '2024/01/01', '2024-01-01T00:00:00Z', ' 2024-01-01', '', 'today', '2024-01-00']) {
    t.notOk(isValidDate(s), s)
  }
})

t.test('knows leap years and month lengths', async t => {
  t.ok(isLeapYear(2024))
  t.ok(isLeapYear(2000))
  t.notOk(isLeapYear(1900))
  t.notOk(isLeapYear(2023))
  t.same([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(m => daysInMonth(2023, m)), [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
})

t.test('adds months from the anchor, clamping to the month end', async t => {
  t.equal(addMonthsClamped('2024-01-31', 1), '2024-02-29')
  t.equal(addMonthsClamped('2024-01-31', 2), '2024-03-31')
  t.equal(addMonthsClamped('2023-01-31', 1), '2023-02-28')
  t.equal(addMonthsClamped('2024-03-31', 1), '2024-04-30')
  t.equal(addMonthsClamped('2024-11-15', 2), '2025-01-15')
  t.equal(addMonthsClamped('2024-01-15', -1), '2023-12-15')
  t.equal(addMonthsClamped('2024-02-29', 12), '2025-02-28')
  t.equal(addMonthsClamped('2024-02-29', 48), '2028-02-29')
  t.equal(addMonthsClamped('2024-05-31', 0), '2024-05-31')
})

t.test('adds days and counts days between dates', async t => {
  t.equal(addDays('2024-02-28', 1), '2024-02-29')
  t.equal(addDays('2024-12-31', 1), '2025-01-01')
  t.equal(addDays('2024-03-01', -1), '2024-02-29')
  t.equal(addDays('0001-01-01', 0), '0001-01-01')
  t.equal(daysBetween('2024-01-01', '2024-07-01'), 182)
  t.equal(daysBetween('2024-01-01', '2025-01-01'), 366)
  t.equal(daysBetween('2024-03-01', '2024-02-01'), -29)
  t.equal(daysBetween('1970-01-01', '2000-03-01'), 11017)
})

t.test('refuses invalid dates and dates beyond year 9999', async t => {
  t.throws(() => addDays('2024-02-30', 1), RangeError)
  t.throws(() => addMonthsClamped('9999-12-31', 1), RangeError)
  t.throws(() => daysBetween('2024-01-01', 'nope'), RangeError)
})

t.test('day arithmetic agrees with the built-in UTC calendar', async t => {
  const day = 86400000
  fc.assert(fc.property(fc.integer({ min: -600000, max: 2900000 }), fc.integer({ min: -1000, max: 1000 }), (z, delta) => {
    const iso = new Date(z * day).toISOString().slice(0, 10)
    return isValidDate(iso) &&
      addDays(iso, delta) === new Date((z + delta) * day).toISOString().slice(0, 10) &&
      daysBetween(iso, addDays(iso, delta)) === delta
  }), { numRuns: 2000 })
})

t.test('adding months never overflows into the following month', async t => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 2900000 }), fc.integer({ min: 0, max: 400 }), (z, k) => {
    const anchor = new Date(z * 86400000).toISOString().slice(0, 10)
    const due = addMonthsClamped(anchor, k)
    const [ay, am, ad] = anchor.split('-').map(Number)
    const [y, m, d] = due.split('-').map(Number)
    const months = ((y ?? 0) - (ay ?? 0)) * 12 + ((m ?? 0) - (am ?? 0))
    return isValidDate(due) && months === k && (d === ad || (d ?? 0) < (ad ?? 0))
  }), { numRuns: 1000 })
})

t.test('isValidDate accepts exactly the YYYY-MM-DD strings of real days (the hand-written scanner against the regular expression)', async t => {
  const shape = /^(\d{4})-(\d{2})-(\d{2})$/
  const real = (s: string): boolean => {
    const m = shape.exec(s)
    if (m === null) return false
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
    return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)
  }
  const text = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '9', '-', '-', ' ', '/', '٣'), minLength: 8, maxLength: 11 })
  fc.assert(fc.property(text, (s) => isValidDate(s) === real(s)), { numRuns: 20000 })
  for (const s of ['2024-02-30', '0000-01-01', '2024-1-01', '2024-01-1 ', '2024/01/01', '+024-01-01', '2024-00-10', '2024-13-01']) t.equal(isValidDate(s), real(s), s)
})
