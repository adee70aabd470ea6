import t from 'tap'
import fc from 'fast-check'
import { annuitySchedule as annuityOrRefusal, equalPrincipalSchedule, isUnpayable } from '../../src/domain/schedule.js'
import type { Schedule, ScheduleInput, Unpayable } from '../../src/domain/schedule.js'
import { rational } from '../../src/domain/decimal.js'
import { addDays } from '../../src/domain/dates.js'

const inputArb = fc.record({
  principal: fc.bigInt(1n, 1000000000n),
  micros: fc.integer({ min: 0, max: 1000000 }),
  termMonths: fc.integer({ min: 1, max: 60 }),
  startOffset: fc.integer({ min: 0, max: 3650 }),
  dayCount: fc.constantFrom('30/360' as const, 'ACT/365' as const),
  roundingMode: fc.constantFrom('HALF_UP' as const, 'HALF_EVEN' as const),
  firstDueOffsetMonths: fc.constantFrom(0, 0, 3, 24),
  method: fc.constantFrom('annuity', 'equal_principal')
}).map(r => ({
  method: r.method,
  input: {
    principal: r.principal,
    annualRate: rational(BigInt(r.micros), 1000000n),
    termMonths: r.termMonths,
    startDate: addDays('2020-01-01', r.startOffset),
    dayCount: r.dayCount,
    roundingMode: r.roundingMode,
    firstDueOffsetMonths: r.firstDueOffsetMonths
  } satisfies ScheduleInput
}))

function build (method: string, input: ScheduleInput): Schedule | Unpayable {
  return method === 'annuity' ? annuityOrRefusal(input) : equalPrincipalSchedule(input)
}

// A refused schedule (checked on its own below) passes the row properties.
function payable (s: Schedule | Unpayable, check: (s: Schedule) => boolean): boolean {
  return isUnpayable(s) || check(s)
}

// The annuity of a payable input; refusals are pinned by their own tests.
function annuitySchedule (input: ScheduleInput): Schedule {
  const s = annuityOrRefusal(input)
  if (isUnpayable(s)) throw new Error(`unpayable: ${s.unpayable}`)
  return s
}

function sum (xs: bigint[]): bigint {
  return xs.reduce((a, b) => a + b, 0n)
}

const runs = { numRuns: 1000 }

// Rounding the installment once leaves an error α (≤ ½ unit) that compounds
// at the period rate until the last row absorbs it, so the honest bound is
// Σ_{j<n} (1+r_max)^j units, which is about n only while (1+r)^n stays small.
// At 41 % a year over 49 months the last payment can differ by 54 units.
function compoundedBound (input: ScheduleInput): bigint {
  const annual = Number(input.annualRate.n) / Number(input.annualRate.d)
  const r = input.dayCount === '30/360' ? annual / 12 : annual * 31 / 365
  let bound = 0
  for (let j = 0; j < input.termMonths; j++) bound += (1 + r) ** j
  return BigInt(Math.ceil(bound))
}

// Only a schedule that fills its term: one that repays early ends on a
// smaller payment by design, not by compounded rounding.
function lastPaymentGap (input: ScheduleInput): bigint {
  const s = annuityOrRefusal(input)
  if (isUnpayable(s) || s.rows.length < input.termMonths) return 0n
  const gap = (s.rows.at(-1)?.payment ?? 0n) - s.installment
  return gap < 0n ? -gap : gap
}

function refused (input: ScheduleInput): boolean {
  return isUnpayable(annuityOrRefusal(input))
}

t.test('principal repaid adds up to the amount financed exactly', async t => {
  fc.assert(fc.property(inputArb, ({ method, input }) => {
    return payable(build(method, input), s =>
      sum(s.rows.map(r => r.principal)) === input.principal && s.rows.length <= input.termMonths)
  }), runs)
})

t.test('balances never rise and end at exactly zero', async t => {
  fc.assert(fc.property(inputArb, ({ method, input }) => {
    return payable(build(method, input), s => {
      let previous = input.principal
      for (const r of s.rows) {
        if (r.balance > previous || r.balance !== previous - r.principal) return false
        previous = r.balance
      }
      return previous === 0n
    })
  }), runs)
})

t.test('every payment is positive, principal and interest non-negative, and payment = principal + interest', async t => {
  fc.assert(fc.property(inputArb, ({ method, input }) => payable(build(method, input), s => s.rows.every(r =>
    r.payment > 0n && r.principal >= 0n && r.interest >= 0n && r.payment === r.principal + r.interest
  ))), runs)
})

t.test('a schedule is refused only when its installment is 0 or the interest of a month exceeds it', async t => {
  fc.assert(fc.property(inputArb, ({ method, input }) => {
    const s = build(method, input)
    if (!isUnpayable(s)) return true
    if (s.unpayable === 'zero_payment') return s.installment === 0n && input.termMonths > 1
    return method === 'annuity' && s.interest > s.installment && s.month >= 1 && s.month < input.termMonths
  }), runs)
})

t.test('total repayable is the principal plus total interest', async t => {
  fc.assert(fc.property(inputArb, ({ method, input }) => {
    return payable(build(method, input), s => s.totalPayment === sum(s.rows.map(r => r.payment)) &&
      s.totalInterest === sum(s.rows.map(r => r.interest)) &&
      s.totalPayment === input.principal + s.totalInterest)
  }), runs)
})

t.test('due dates are consecutive months from the anchor', async t => {
  fc.assert(fc.property(inputArb, ({ method, input }) => {
    return payable(build(method, input), s =>
      s.rows.every((r, i) => r.number === i + 1 && (i === 0 || r.dueDate > (s.rows[i - 1]?.dueDate ?? ''))))
  }), runs)
})

t.test('a zero rate charges no interest and splits the principal', async t => {
  fc.assert(fc.property(inputArb, ({ method, input }) => {
    return payable(build(method, { ...input, annualRate: rational(0n) }), s =>
      s.totalInterest === 0n && s.totalPayment === input.principal)
  }), runs)
})

t.test('the same input always gives the same schedule', async t => {
  fc.assert(fc.property(inputArb, ({ method, input }) => {
    const a = build(method, input)
    const b = build(method, { ...input })
    return JSON.stringify(a, (_, v: unknown) => typeof v === 'bigint' ? v.toString() : v) ===
      JSON.stringify(b, (_, v: unknown) => typeof v === 'bigint' ? v.toString() : v)
  }), { numRuns: 200 })
})

t.test('a higher rate never lowers equal-principal total interest', async t => {
  fc.assert(fc.property(inputArb, fc.integer({ min: 1, max: 200000 }), ({ input }, bump) => {
    const higher = rational(input.annualRate.n * 1000000n / input.annualRate.d + BigInt(bump), 1000000n)
    const high = equalPrincipalSchedule({ ...input, annualRate: higher })
    const low = equalPrincipalSchedule(input)
    // The share does not depend on the rate, so both are refused or neither.
    if (isUnpayable(high) || isUnpayable(low)) return isUnpayable(high) && isUnpayable(low)
    return high.totalInterest >= low.totalInterest
  }), runs)
})

t.test('a higher rate never lowers the annuity installment', async t => {
  fc.assert(fc.property(inputArb, fc.integer({ min: 1, max: 200000 }), ({ input }, bump) => {
    const higher = rational(input.annualRate.n * 1000000n / input.annualRate.d + BigInt(bump), 1000000n)
    return annuityOrRefusal({ ...input, annualRate: higher }).installment >= annuityOrRefusal(input).installment
  }), runs)
})

// Rounding the installment up repays principal sooner, so crossing a
// rounding boundary can save more interest than a tiny rate rise adds:
// 0.10 CNY over 5 months costs 0.04 at 89.8468 % but 0.02 at 95.17 %.
// Annuity total interest is therefore monotone only up to rounding noise.
t.test('a higher rate never lowers annuity total interest beyond rounding noise', async t => {
  fc.assert(fc.property(inputArb, fc.integer({ min: 1, max: 200000 }), ({ input }, bump) => {
    const higherRate = rational(input.annualRate.n * 1000000n / input.annualRate.d + BigInt(bump), 1000000n)
    const higher = { ...input, annualRate: higherRate }
    if (refused(higher) || refused(input)) return true
    const noise = BigInt(input.termMonths) + 2n * compoundedBound(higher)
    return annuitySchedule(higher).totalInterest + noise >= annuitySchedule(input).totalInterest
  }), runs)
  const low = annuitySchedule({ principal: 10n, annualRate: rational(898468n, 1000000n), termMonths: 5, startDate: '2020-01-01', dayCount: '30/360', roundingMode: 'HALF_UP' })
  const high = annuitySchedule({ principal: 10n, annualRate: rational(951700n, 1000000n), termMonths: 5, startDate: '2020-01-01', dayCount: '30/360', roundingMode: 'HALF_UP' })
  t.same([low.totalInterest, high.totalInterest], [4n, 2n])
})

t.test('equal principal repays the same share every month except the last', async t => {
  fc.assert(fc.property(inputArb, ({ input }) => {
    return payable(equalPrincipalSchedule(input), s => s.rows.slice(0, -1).every(r => r.principal === s.installment))
  }), runs)
})

t.test('the last annuity payment differs from the regular one by at most the compounded rounding error', async t => {
  fc.assert(fc.property(inputArb, ({ input }) => lastPaymentGap(input) <= compoundedBound(input)), { numRuns: 3000 })
})

t.test('a month whose interest exceeds the installment makes the annuity unpayable', async t => {
  // 219.06 at 99.9493 % over 54 months: January's 31 days cost 219.06 × 0.999493 × 31/365 = 18.5957 → 18.60 > 18.50.
  const s = annuityOrRefusal({ principal: 21906n, annualRate: rational(999493n, 1000000n), termMonths: 54, startDate: '2020-01-01', dayCount: 'ACT/365', roundingMode: 'HALF_UP' })
  t.same(s, { unpayable: 'interest_exceeds_payment', installment: 1850n, month: 1, interest: 1860n })
})

t.test('an installment that repays early ends the schedule there, with no 0.00 rows', async t => {
  // 0.03 at 0 % over 6 months: round(3/6) = 1 (HALF_UP) pays 0.01 for three months.
  const s = annuitySchedule({ principal: 3n, annualRate: rational(0n), termMonths: 6, startDate: '2026-01-31', dayCount: '30/360', roundingMode: 'HALF_UP' })
  t.same(s.rows.map(r => [r.dueDate, r.payment, r.balance]), [['2026-02-28', 1n, 2n], ['2026-03-31', 1n, 1n], ['2026-04-30', 1n, 0n]])
  // HALF_EVEN rounds 0.5 to 0: no level payment at all.
  t.same(annuityOrRefusal({ principal: 3n, annualRate: rational(0n), termMonths: 6, startDate: '2026-01-31', dayCount: '30/360', roundingMode: 'HALF_EVEN' }),
    { unpayable: 'zero_payment', installment: 0n, month: 0, interest: 0n })
})

t.test('at rates up to 12 % the last annuity payment absorbs at most one minor unit per installment', async t => {
  fc.assert(fc.property(inputArb, fc.integer({ min: 0, max: 120000 }), ({ input }, micros) => {
    const capped = { ...input, annualRate: rational(BigInt(micros), 1000000n) }
    return lastPaymentGap(capped) <= BigInt(input.termMonths)
  }), { numRuns: 3000 })
})

t.test('the literal one-unit-per-installment bound fails at high rates over long terms', async t => {
  const input: ScheduleInput = { principal: 2842345n, annualRate: rational(206577n, 500000n), termMonths: 49, startDate: '2020-01-01', dayCount: '30/360', roundingMode: 'HALF_UP' }
  t.equal(lastPaymentGap(input), 54n)
  t.ok(compoundedBound(input) >= 54n)
})
