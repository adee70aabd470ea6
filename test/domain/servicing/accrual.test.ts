import t from 'tap'
import fc from 'fast-check'
import { accrualDays, days30E360, earnedInterest } from '../../../src/domain/servicing/accrual.js'
import { lateFeeCap, lateInstallmentFeeFor } from '../../../src/domain/servicing/late-fee.js'
import { addDays } from '../../../src/domain/dates.js'
import { rational } from '../../../src/domain/decimal.js'

t.test('30E/360 counts day 31 as 30 and every month as 30 days', async t => {
  t.equal(days30E360('2026-01-15', '2026-02-15'), 30)
  t.equal(days30E360('2026-01-31', '2026-02-28'), 28)
  t.equal(days30E360('2026-01-30', '2026-01-31'), 0)
  t.equal(days30E360('2025-12-31', '2026-03-01'), 61)
  t.equal(accrualDays('ACT/365', '2026-01-31', '2026-02-28'), 28)
  t.equal(accrualDays('ACT/365', '2024-02-01', '2024-03-01'), 29)
})

t.test('earned interest is the scheduled interest pro rata, whole at the due date, nothing before the period', async t => {
  const p = { start: '2026-02-15', dueDate: '2026-03-15', interest: 1005n }
  t.equal(earnedInterest(p, '2026-03-01', '30/360', 'HALF_UP'), 536n, '1005 × 16/30 = 536.0')
  t.equal(earnedInterest(p, '2026-03-01', 'ACT/365', 'HALF_UP'), 503n, '1005 × 14/28 = 502.5 rounds up')
  t.equal(earnedInterest(p, '2026-03-01', 'ACT/365', 'HALF_EVEN'), 502n, 'and to even')
  t.equal(earnedInterest(p, '2026-02-15', '30/360', 'HALF_UP'), 0n)
  t.equal(earnedInterest(p, '2026-01-01', '30/360', 'HALF_UP'), 0n)
  t.equal(earnedInterest(p, '2026-03-15', '30/360', 'HALF_UP'), 1005n)
  t.equal(earnedInterest(p, '2027-01-01', '30/360', 'HALF_UP'), 1005n)
  t.equal(earnedInterest({ start: '2026-01-30', dueDate: '2026-01-31', interest: 7n }, '2026-01-30', '30/360', 'HALF_UP'), 0n, 'a zero-length 30E/360 period earns at its due date only')
})

t.test('earned interest never falls as days pass and never exceeds the period\'s', async t => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 62 }), fc.bigInt(0n, 10n ** 9n),
    fc.constantFrom('30/360' as const, 'ACT/365' as const), fc.constantFrom('HALF_UP' as const, 'HALF_EVEN' as const), (s, len, interest, dc, mode) => {
      const start = addDays('2020-01-01', s)
      const p = { start, dueDate: addDays(start, len), interest }
      let last = 0n
      for (let d = 0; d <= len; d++) {
        const e = earnedInterest(p, addDays(start, d), dc, mode)
        if (e < last || e > interest) return false
        last = e
      }
      return last === interest
    }))
})

t.test('late fees are held under amount financed × cap × days since acceptance / 365', async t => {
  const cap = rational(24n, 100n)
  // 1,000.00 × 0.24 × 10 / 365 = 6.5753… → 6.58
  t.equal(lateFeeCap(100000n, cap, '2026-01-01', '2026-01-11', 'HALF_UP'), 658n)
  t.equal(lateFeeCap(100000n, cap, '2026-01-01', '2026-01-01', 'HALF_UP'), 0n)
  t.equal(lateInstallmentFeeFor(1000n, 658n), 658n, 'cut to the room')
  t.equal(lateInstallmentFeeFor(500n, 658n), 500n)
  t.equal(lateInstallmentFeeFor(500n, null), 500n, 'no cap')
  t.equal(lateInstallmentFeeFor(500n, -3n), 0n, 'never negative')
})
