// The column form of a schedule keeps exact Numbers below 2^53 and bigints
// above; both forms must read back as the same rows, flows and text.
import t from 'tap'
import fc from 'fast-check'
import { afterHoliday, maxPaymentOfTable, paymentFlows, singlePaymentTable, tableRows } from '../../src/domain/amortization-table.js'
import type { AmortizationTable } from '../../src/domain/amortization-table.js'
import { formatScaled, formatScaledNumber } from '../../src/domain/decimal.js'
import { formatMoneyGrouped, formatMoneyNumber } from '../../src/domain/money.js'
import { tablePaymentPlan } from '../../src/domain/option-text.js'
import { annuityAmortization, isUnpayable } from '../../src/domain/schedule.js'

const EDGE = 2n ** 53n
const cny = { currency: 'CNY', digits: 2 }

function exactTable (): AmortizationTable {
  return { exact: true, dueDates: ['2027-01-15', '2027-02-15'], payment: [600, 500], principal: [500, 500], interest: [100, 0], balance: [500, 0] }
}

function bigTable (): AmortizationTable {
  return { exact: false, dueDates: ['2027-01-15', '2027-02-15'], payment: [EDGE + 600n, EDGE], principal: [EDGE, EDGE], interest: [600n, 0n], balance: [EDGE, 0n] }
}

t.test('reads back as bigint rows numbered from 1', async t => {
  t.same(tableRows(exactTable()), [
    { number: 1, dueDate: '2027-01-15', payment: 600n, principal: 500n, interest: 100n, balance: 500n },
    { number: 2, dueDate: '2027-02-15', payment: 500n, principal: 500n, interest: 0n, balance: 0n }
  ])
  t.same(tableRows(bigTable()).map(r => r.payment), [EDGE + 600n, EDGE])
})

t.test('puts holiday months in front, in the table\'s own form', async t => {
  const exact = afterHoliday(exactTable(), ['2026-12-15'], [1000n])
  t.equal(exact.exact, true)
  t.same(tableRows(exact)[0], { number: 1, dueDate: '2026-12-15', payment: 0n, principal: 0n, interest: 0n, balance: 1000n })
  t.equal(exact.dueDates.length, 3)
  const big = afterHoliday(bigTable(), ['2026-11-15', '2026-12-15'], [EDGE * 2n, EDGE * 2n])
  t.equal(big.exact, false)
  t.same(tableRows(big).map(r => [r.number, r.payment, r.balance]), [[1, 0n, EDGE * 2n], [2, 0n, EDGE * 2n], [3, EDGE + 600n, EDGE], [4, EDGE, 0n]])
})

t.test('gives payment flows and the largest payment either way', async t => {
  t.same(paymentFlows(exactTable()), [600, 500])
  t.same(paymentFlows(bigTable()), [Number(EDGE + 600n), Number(EDGE)])
  t.equal(maxPaymentOfTable(exactTable()), 600n)
  t.equal(maxPaymentOfTable(bigTable()), EDGE + 600n)
})

t.test('holds a single settlement payment exactly on both sides of 2^53', async t => {
  for (const payment of [0n, 12345n, EDGE - 1n, EDGE, EDGE + 1n, 10n ** 20n]) {
    const table = singlePaymentTable('2026-02-01', payment)
    t.equal(table.exact, payment < EDGE, String(payment))
    t.same(tableRows(table), [{ number: 1, dueDate: '2026-02-01', payment, principal: payment, interest: 0n, balance: 0n }])
  }
})

t.test('an amortised table agrees with its bigint rows', async t => {
  const a = annuityAmortization({ principal: 1000000n, annualRate: { n: 3n, d: 25n }, termMonths: 12, startDate: '2026-01-31', dayCount: 'ACT/365', roundingMode: 'HALF_EVEN' })
  if (isUnpayable(a)) throw new Error('an 8 % annuity is payable')
  t.equal(a.table.exact, true)
  const rows = tableRows(a.table)
  t.equal(rows.reduce((s, r) => s + r.payment, 0n), a.totalPayment)
  t.equal(rows.at(-1)?.balance, 0n)
})

t.test('describes a bigint payment column like an exact one', async t => {
  t.equal(tablePaymentPlan(cny, [300, 200, 100], '2027-01-15'), tablePaymentPlan(cny, [300n, 200n, 100n], '2027-01-15'))
  t.equal(tablePaymentPlan(cny, [100n, 300n, 100n, 250n], '2027-01-15'), 'pay between 1.00 CNY and 3.00 CNY a month for 4 months from 2027-01-15')
  t.equal(tablePaymentPlan(cny, [], ''), 'no payments are due')
  t.equal(tablePaymentPlan({ currency: 'JPY', digits: 0 }, [EDGE + 1n], '2027-01-15'), 'pay 9,007,199,254,740,993 JPY on 2027-01-15')
})

// Plain references: the digit string sliced and grouped by hand.
function referenceFormat (scaled: bigint, decimals: number): string {
  const sign = scaled < 0n ? '-' : ''
  const padded = (scaled < 0n ? -scaled : scaled).toString().padStart(decimals + 1, '0')
  const cut = padded.length - decimals
  return decimals === 0 ? sign + padded : `${sign}${padded.slice(0, cut)}.${padded.slice(cut)}`
}

function referenceGrouped (scaled: bigint, decimals: number): string {
  const plain = referenceFormat(scaled, decimals)
  const [whole = '', fraction] = plain.replace('-', '').split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return (scaled < 0n ? '-' : '') + grouped + (fraction === undefined ? '' : '.' + fraction)
}

const exactCount = fc.oneof(
  fc.integer({ min: 0, max: 99999 }),
  fc.integer({ min: 2 ** 31 - 100000, max: 2 ** 31 + 100000 }),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })
).chain(n => fc.constantFrom(n, -n))

t.test('formats exact Number counts like the bigint reference', async t => {
  fc.assert(fc.property(exactCount, fc.integer({ min: 0, max: 5 }), (n, decimals) =>
    formatScaledNumber(n, decimals) === referenceFormat(BigInt(n), decimals) &&
    formatMoneyNumber(n, decimals) === formatScaled(BigInt(n), decimals)), { numRuns: 5000 })
  t.equal(formatScaledNumber(123456789012, 2), '1234567890.12')
  t.equal(formatScaledNumber(2 ** 31, 3), '2147483.648')
  t.equal(formatScaledNumber(5, 2), '0.05')
  t.equal(formatScaledNumber(-5, 3), '-0.005')
  t.equal(formatScaledNumber(12345, 4), '1.2345')
})

t.test('groups thousands like the reference on both sides of 2^53', async t => {
  const magnitude = fc.oneof(fc.bigInt(0n, 10n ** 7n), fc.bigInt(EDGE - 1000n, EDGE + 1000n), fc.bigInt(0n, 10n ** 25n))
  const signed = fc.tuple(magnitude, fc.boolean()).map(([m, negative]) => negative ? -m : m)
  fc.assert(fc.property(signed, fc.integer({ min: 0, max: 5 }), (minor, digits) =>
    formatMoneyGrouped(minor, digits) === referenceGrouped(minor, digits)), { numRuns: 5000 })
  t.equal(formatMoneyGrouped(100000n, 2), '1,000.00')
  t.equal(formatMoneyGrouped(100000500n, 3), '100,000.500')
  t.equal(formatMoneyGrouped(1000000000n, 0), '1,000,000,000')
  t.equal(formatMoneyGrouped(EDGE - 1n, 2), '90,071,992,547,409.91')
})
