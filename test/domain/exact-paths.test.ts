// The engine runs everyday amounts on doubles where that is provably exact
// (integers below 2^53) and falls back to bigint above. These properties pin
// each fast path to a plain bigint reference, right across the 2^53 edge.
import t from 'tap'
import fc from 'fast-check'
import { formatScaled, rational, roundRational } from '../../src/domain/decimal.js'
import type { RoundingMode } from '../../src/domain/decimal.js'
import { addDays, addMonthsClamped, daysBetween } from '../../src/domain/dates.js'
import { annuitySchedule, equalPrincipalSchedule, isUnpayable } from '../../src/domain/schedule.js'
import type { ScheduleInput } from '../../src/domain/schedule.js'

function referenceRound (num: bigint, den: bigint, mode: RoundingMode): bigint {
  if (den < 0n) {
    num = -num
    den = -den
  }
  const q = num / den
  const rem = num - q * den
  if (rem === 0n) return q
  const twice = (rem < 0n ? -rem : rem) * 2n
  const away = num < 0n ? q - 1n : q + 1n
  if (twice !== den) return twice > den ? away : q
  return mode === 'HALF_UP' || q % 2n !== 0n ? away : q
}

function referenceFormat (scaled: bigint, decimals: number): string {
  const sign = scaled < 0n ? '-' : ''
  const padded = (scaled < 0n ? -scaled : scaled).toString().padStart(decimals + 1, '0')
  const cut = padded.length - decimals
  return decimals === 0 ? sign + padded : `${sign}${padded.slice(0, cut)}.${padded.slice(cut)}`
}

const EDGE = 2n ** 53n
// Magnitudes clustered at the interesting places: small, just below and
// just above 2^53, and far beyond.
const magnitude = fc.oneof(
  fc.bigInt(0n, 10n ** 6n),
  fc.bigInt(EDGE - 1000n, EDGE + 1000n),
  fc.bigInt(0n, 10n ** 30n)
)
const signed = fc.tuple(magnitude, fc.boolean()).map(([m, negative]) => negative ? -m : m)
const mode = fc.constantFrom<RoundingMode>('HALF_UP', 'HALF_EVEN')

t.test('roundRational agrees with the bigint reference on both sides of 2^53', async t => {
  fc.assert(fc.property(signed, signed.filter(d => d !== 0n), mode, (num, den, m) =>
    roundRational(num, den, m) === referenceRound(num, den, m)), { numRuns: 5000 })
  // Exact ties in both modes and both signs.
  for (const m of ['HALF_UP', 'HALF_EVEN'] as const) {
    for (const num of [1n, 3n, 5n, -1n, -3n, -5n, (EDGE - 1n), -(EDGE - 1n)]) {
      t.equal(roundRational(num, 2n, m), referenceRound(num, 2n, m), `${num}/2 ${m}`)
    }
  }
})

t.test('formatScaled agrees with the bigint reference on both sides of 2^53', async t => {
  fc.assert(fc.property(signed, fc.integer({ min: 0, max: 6 }), (scaled, decimals) =>
    formatScaled(scaled, decimals) === referenceFormat(scaled, decimals)), { numRuns: 5000 })
})

// The schedule row loop, written once in bigint with the reference rounding,
// given the period rates the dates imply and the engine's own installment:
// rows stop once the balance is 0, and null means a row's interest exceeds
// the installment (or the installment is 0 over several months).
function referenceRows (input: ScheduleInput, installment: bigint, annuity: boolean): bigint[][] | null {
  const { n: a, d } = input.annualRate
  const n = input.termMonths
  if (installment === 0n && n > 1) return null
  const offset = input.firstDueOffsetMonths ?? 0
  let previous = addMonthsClamped(input.startDate, offset)
  let balance = input.principal
  const rows: bigint[][] = []
  for (let k = 0; k < n && (k === 0 || balance > 0n); k++) {
    const due = addMonthsClamped(input.startDate, offset + k + 1)
    const [num, den] = input.dayCount === '30/360' ? [a, 12n * d] : [a * BigInt(daysBetween(previous, due)), 365n * d]
    previous = due
    const interest = referenceRound(balance * num, den, input.roundingMode)
    let part = k === n - 1 ? balance : annuity ? installment - interest : installment
    if (part < 0n) return null
    if (part > balance) part = balance
    balance -= part
    rows.push([part + interest, part, interest, balance])
  }
  return rows
}

t.test('schedules match a bigint reference loop, small and huge principals alike', async t => {
  const input = fc.record({
    principal: fc.oneof(fc.bigInt(1n, 10n ** 9n), fc.bigInt(2n ** 44n, 2n ** 46n), fc.bigInt(1n, 10n ** 20n)),
    micros: fc.integer({ min: 0, max: 1000000 }),
    termMonths: fc.integer({ min: 1, max: 60 }),
    startOffset: fc.integer({ min: 0, max: 3650 }),
    dayCount: fc.constantFrom('30/360' as const, 'ACT/365' as const),
    roundingMode: mode,
    firstDueOffsetMonths: fc.constantFrom(0, 3, 24),
    annuity: fc.boolean()
  })
  fc.assert(fc.property(input, r => {
    const i: ScheduleInput = {
      principal: r.principal,
      annualRate: rational(BigInt(r.micros), 1000000n),
      termMonths: r.termMonths,
      startDate: addDays('2020-01-31', r.startOffset),
      dayCount: r.dayCount,
      roundingMode: r.roundingMode,
      firstDueOffsetMonths: r.firstDueOffsetMonths
    }
    const s = r.annuity ? annuitySchedule(i) : equalPrincipalSchedule(i)
    const expected = referenceRows(i, s.installment, r.annuity)
    if (isUnpayable(s)) return expected === null
    if (expected === null) return false
    const actual = s.rows.map(x => [x.payment, x.principal, x.interest, x.balance])
    const sum = (col: number): bigint => expected.reduce((acc, row) => acc + (row[col] as bigint), 0n)
    return JSON.stringify(actual, (_, v: unknown) => typeof v === 'bigint' ? v.toString() : v) ===
      JSON.stringify(expected, (_, v: unknown) => typeof v === 'bigint' ? v.toString() : v) &&
      s.totalPayment === sum(0) && s.totalInterest === sum(2)
  }), { numRuns: 1500 })
})
