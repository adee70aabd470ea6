import t from 'tap'
import fc from 'fast-check'
import { annuitySchedule, equalPrincipalSchedule } from '../../src/domain/schedule.js'
import type { Schedule, ScheduleInput } from '../../src/domain/schedule.js'
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

function build (method: string, input: ScheduleInput): Schedule {
  return method === 'annuity' ? annuitySchedule(input) : equalPrincipalSchedule(input)
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

function lastPaymentGap (input: ScheduleInput): bigint {
  const s = annuitySchedule(input)
  const gap = (s.rows.at(-1)?.payment ?? 0n) - s.installment
  return gap < 0n ? -gap : gap
}

// At extreme rates a long ACT/365 period can cost more interest than the
// installment; that row is clamped to interest-only (no negative
// amortisation), which shifts the remainder and voids the bound above.
function clamped (input: ScheduleInput): boolean {
  const s = annuitySchedule(input)
  return s.rows.slice(0, -1).some(r => r.payment !== s.installment && r.balance !== 0n)
}


t.test('principal repaid adds up to the amount financed exactly', async t => {
  fc.assert(fc.property(inputArb, ({ method, input }) => {
    const s = build(method, input)
    return sum(s.rows.map(r => r.principal)) === input.principal && s.rows.length === input.termMonths
  }), runs)
})

t.test('balances never rise and end at exactly zero', async t => {
  fc.assert(fc.property(inputArb, ({ method, input }) => {
    const s = build(method, input)
    let previous = input.principal
    for (const r of s.rows) {
      if (r.balance > previous || r.balance !== previous - r.principal) return false
      previous = r.balance
    }
    return previous === 0n
  }), runs)
})

t.test('every payment, principal and interest is non-negative and payment = principal + interest', async t => {
  fc.assert(fc.property(inputArb, ({ method, input }) => build(method, input).rows.every(r =>
    r.payment >= 0n && r.principal >= 0n && r.interest >= 0n && r.payment === r.principal + r.interest
  )), runs)
})

t.test('total repayable is the principal plus total interest', async t => {
  fc.assert(fc.property(inputArb, ({ method, input }) => {
    const s = build(method, input)
    return s.totalPayment === sum(s.rows.map(r => r.payment)) &&
      s.totalInterest === sum(s.rows.map(r => r.interest)) &&
      s.totalPayment === input.principal + s.totalInterest
  }), runs)
})

t.test('due dates are consecutive months from the anchor', async t => {
  fc.assert(fc.property(inputArb, ({ method, input }) => {
    const s = build(method, input)
    return s.rows.every((r, i) => r.number === i + 1 && (i === 0 || r.dueDate > (s.rows[i - 1]?.dueDate ?? '')))
  }), runs)
})

t.test('a zero rate charges no interest and splits the principal', async t => {
  fc.assert(fc.property(inputArb, ({ method, input }) => {
    const s = build(method, { ...input, annualRate: rational(0n) })
    return s.totalInterest === 0n && s.totalPayment === input.principal
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
    return equalPrincipalSchedule({ ...input, annualRate: higher }).totalInterest >= equalPrincipalSchedule(input).totalInterest
  }), runs)
})

t.test('a higher rate never lowers the annuity installment', async t => {
  fc.assert(fc.property(inputArb, fc.integer({ min: 1, max: 200000 }), ({ input }, bump) => {
    const higher = rational(input.annualRate.n * 1000000n / input.annualRate.d + BigInt(bump), 1000000n)
    return annuitySchedule({ ...input, annualRate: higher }).installment >= annuitySchedule(input).installment
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
    if (clamped(higher) || clamped(input)) return true
    const noise = BigInt(input.termMonths) + 2n * compoundedBound(higher)
    return annuitySchedule(higher).totalInterest + noise >= annuitySchedule(input).totalInterest
  }), runs)
  const low = annuitySchedule({ principal: 10n, annualRate: rational(898468n, 1000000n), termMonths: 5, startDate: '2020-01-01', dayCount: '30/360', roundingMode: 'HALF_UP' })
  const high = annuitySchedule({ principal: 10n, annualRate: rational(951700n, 1000000n), termMonths: 5, startDate: '2020-01-01', dayCount: '30/360', roundingMode: 'HALF_UP' })
  t.same([low.totalInterest, high.totalInterest], [4n, 2n])
})

t.test('equal principal repays the same share every month except the last', async t => {
  fc.assert(fc.property(inputArb, ({ input }) => {
    const s = equalPrincipalSchedule(input)
    return s.rows.slice(0, -1).every(r => r.principal === s.installment || r.balance === 0n || r.principal === 0n)
  }), runs)
})

t.test('the last annuity payment differs from the regular one by at most the compounded rounding error', async t => {
  fc.assert(fc.property(inputArb, ({ input }) => clamped(input) || lastPaymentGap(input) <= compoundedBound(input)), { numRuns: 3000 })
})

t.test('a row whose interest exceeds the installment is charged interest only', async t => {
  const s = annuitySchedule({ principal: 21906n, annualRate: rational(999493n, 1000000n), termMonths: 54, startDate: '2020-01-01', dayCount: 'ACT/365', roundingMode: 'HALF_UP' })
  t.same(s.rows[0], { number: 1, dueDate: '2020-02-01', payment: 1860n, principal: 0n, interest: 1860n, balance: 21906n })
  t.equal(s.installment, 1850n)
  t.equal(s.rows.at(-1)?.balance, 0n)
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
  t.ok(54n <= compoundedBound(input))
})
