import t from 'tap'
import { effectiveAnnualRate, monthlyDiscountFactor } from '../../src/domain/apr.js'
import { annuitySchedule, isUnpayable } from '../../src/domain/schedule.js'

t.test('reproduces the EU 600 + 600 example as 13.07 %', async t => {
  const payments = new Array<bigint>(24).fill(0n)
  payments[11] = 60000n
  payments[23] = 60000n
  t.equal(effectiveAnnualRate(100000n, payments), '0.1307')
})

t.test('a single repayment of 1200 after a year is 20 %', async t => {
  const payments = new Array<bigint>(12).fill(0n)
  payments[11] = 120000n
  t.equal(effectiveAnnualRate(100000n, payments), '0.2000')
})

t.test('a 12 % nominal annuity has an effective rate of (1.01)^12 − 1', async t => {
  const s = annuitySchedule({ principal: 10000000n, annualRate: { n: 3n, d: 25n }, termMonths: 36, startDate: '2024-01-01', dayCount: '30/360', roundingMode: 'HALF_UP' })
  if (isUnpayable(s)) throw new Error('a 12 % annuity is payable')
  t.equal(effectiveAnnualRate(10000000n, s.rows.map(r => r.payment)), '0.1268')
})

t.test('is zero when the payments add up to the amount', async t => {
  t.equal(effectiveAnnualRate(300n, [100n, 100n, 100n]), '0.0000')
  t.equal(effectiveAnnualRate(300n, [0n, 0n, 300n]), '0.0000')
})

t.test('handles long interest-free stretches and negative rates', async t => {
  const payments = [...new Array<bigint>(24).fill(0n), ...new Array<bigint>(12).fill(1000n)]
  const r = Number(effectiveAnnualRate(10000n, payments))
  t.equal(r, 0.0745, '12,000 for 10,000 centred on month 30.5 ≈ 1.2^(12/30.5) − 1')
  t.equal(effectiveAnnualRate(100000n, [90000n]), '-0.7176')
  t.equal(effectiveAnnualRate(100000n, [...new Array<bigint>(11).fill(0n), 50000n]), '-0.5000')
})

t.test('refuses inputs with no defined rate', async t => {
  t.throws(() => monthlyDiscountFactor(0n, [1n]), RangeError)
  t.throws(() => monthlyDiscountFactor(100n, [0n, 0n]), RangeError)
  t.throws(() => monthlyDiscountFactor(100n, [200n, -1n]), RangeError)
})
