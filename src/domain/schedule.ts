// Amortisation schedules (等额本息 annuity and 等额本金 equal principal),
// following Apache Fineract's progressive EMI: the installment is computed
// exactly and rounded once, interest is rounded per row, and the last row
// absorbs every rounding remainder so the balance ends at exactly zero.
import { gcd, roundQuotient, roundRational } from './decimal.js'
import type { Rational, RoundingMode } from './decimal.js'
import { monthlyDueDates, monthlyPeriodDays } from './dates.js'
import type { DayCount } from './policy.js'

export interface ScheduleInput {
  readonly principal: bigint
  readonly annualRate: Rational
  readonly termMonths: number
  readonly startDate: string
  readonly dayCount: DayCount
  readonly roundingMode: RoundingMode
  // Months skipped before the first due date (payment holidays).
  readonly firstDueOffsetMonths?: number
}

export interface ScheduleRow {
  readonly number: number
  readonly dueDate: string
  readonly payment: bigint
  readonly principal: bigint
  readonly interest: bigint
  readonly balance: bigint
}

export interface Schedule {
  readonly rows: ScheduleRow[]
  // The regular installment (annuity) or principal share (equal principal).
  readonly installment: bigint
  readonly totalPayment: bigint
  readonly totalInterest: bigint
}

// Period k's rate is rateNum[k] / rateDen[k] (arrays hold exactly termMonths
// entries, hence the index casts below); ACT/365 periods share one
// denominator so the annuity product can be formed without reducing.
interface Periods {
  readonly dueDates: string[]
  readonly rateNum: bigint[]
  readonly rateDen: bigint[]
  // The largest rateNum, for the exact-Number bound in amortize.
  readonly maxNum: bigint
}

function periodsOf (input: ScheduleInput): Periods {
  const { annualRate: { n: a, d }, termMonths, startDate } = input
  const offset = input.firstDueOffsetMonths ?? 0
  if (!Number.isInteger(termMonths) || termMonths < 1) throw new RangeError('termMonths must be a positive integer')
  const dueDates = monthlyDueDates(startDate, offset + 1, termMonths)
  const rateNum: bigint[] = new Array<bigint>(termMonths)
  const rateDen: bigint[] = new Array<bigint>(termMonths)
  let maxNum = 0n
  if (input.dayCount === '30/360') {
    const g = gcd(a, 12n * d)
    maxNum = a / g
    rateNum.fill(maxNum)
    rateDen.fill(12n * d / g)
  } else {
    const den = 365n * d
    const days = monthlyPeriodDays(startDate, offset + 1, termMonths)
    for (let k = 0; k < termMonths; k++) {
      const num = a * BigInt(days[k] as number)
      if (num > maxNum) maxNum = num
      rateNum[k] = num
      rateDen[k] = den
    }
  }
  return { dueDates, rateNum, rateDen, maxNum }
}

// (D+a)^n and D^n for the last constant rate seen: a quote's options share
// one rate, and its three deferrals and 12-month plan share a term too.
let powersFor = { a: -1n, den: 0n }
const powersByTerm = new Map<number, { grown: bigint, scale: bigint }>()

function constantPowers (a: bigint, den: bigint, n: number): { grown: bigint, scale: bigint } {
  if (powersFor.a !== a || powersFor.den !== den) {
    powersFor = { a, den }
    powersByTerm.clear()
  }
  let powers = powersByTerm.get(n)
  if (powers === undefined) {
    powers = { grown: (den + a) ** BigInt(n), scale: den ** BigInt(n) }
    powersByTerm.set(n, powers)
  }
  return powers
}

// A = P·Π(1+r_i) / Σ_{k=1..n} Π_{j=k+1..n}(1+r_j), scaled through by D^n so
// that every term is an integer; with a constant rate this is the textbook
// P·r / (1 − (1+r)^−n).
function annuityPayment (principal: bigint, p: Periods, mode: RoundingMode): bigint {
  const n = p.rateNum.length
  const den = p.rateDen[0] as bigint
  if (p.maxNum === 0n) {
    // named step: annuityPayment (interest-free)
    return roundRational(principal, BigInt(n), mode)
  }
  const constant = p.rateNum.every(x => x === p.rateNum[0])
  if (constant) {
    const a = p.rateNum[0] as bigint
    const { grown, scale } = constantPowers(a, den, n)
    // named step: annuityPayment
    return roundRational(principal * a * grown, den * (grown - scale), mode)
  }
  let suffix = 1n
  let dPow = den ** BigInt(n)
  let sum = 0n
  for (let k = n - 1; k >= 0; k--) {
    sum += dPow * suffix
    suffix *= den + (p.rateNum[k] as bigint)
    dPow /= den
  }
  // named step: annuityPayment
  return roundRational(principal * suffix, sum, mode)
}

// A row's principal is the installment less its interest (annuity) or the
// installment itself (equal principal), clamped as described in amortize.
type Method = 'annuity' | 'equal_principal'

// 2^53 bounds every exact double integer. With P·maxNum ≤ 2^45 each interest
// product balance·rateNum, each payment (≤ P + interest) and each total over
// ≤ 128 rows stays an exactly represented integer, so the row loop can run on
// plain numbers and give bit-for-bit the bigint result.
const EXACT_PRODUCT = 2n ** 45n
const EXACT = 2n ** 53n

function fitsNumbers (principal: bigint, p: Periods, installment: bigint): boolean {
  return principal >= 0n && installment >= 0n && installment < EXACT &&
    principal * (p.maxNum > 0n ? p.maxNum : 1n) <= EXACT_PRODUCT &&
    (p.rateDen[0] as bigint) < EXACT && p.dueDates.length <= 128
}

function amortizeNumbers (principal: bigint, p: Periods, mode: RoundingMode, method: Method, installment: bigint): Schedule {
  const n = p.dueDates.length
  const rows: ScheduleRow[] = new Array<ScheduleRow>(n)
  const due = Number(installment)
  const constant = p.rateNum.length > 0 && p.rateNum.every(x => x === p.rateNum[0])
  const fixedNum = Number(p.rateNum[0])
  const den = Number(p.rateDen[0])
  let balance = Number(principal)
  let totalPayment = 0
  let totalInterest = 0
  let lastPayment = -1
  let paymentBig = 0n
  for (let k = 0; k < n; k++) {
    const num = constant ? fixedNum : Number(p.rateNum[k])
    // named step: periodInterest
    const interest = num === 0 ? 0 : roundQuotient(balance * num, den, mode)
    let part: number
    if (k === n - 1) {
      part = balance
    } else {
      part = method === 'annuity' ? due - interest : due
      if (part < 0) part = 0
      if (part > balance) part = balance
    }
    balance -= part
    const payment = part + interest
    totalPayment += payment
    totalInterest += interest
    // Level payments repeat: reuse the previous row's bigint rather than allocate.
    if (payment !== lastPayment) {
      lastPayment = payment
      paymentBig = BigInt(payment)
    }
    rows[k] = { number: k + 1, dueDate: p.dueDates[k] as string, payment: paymentBig, principal: BigInt(part), interest: BigInt(interest), balance: BigInt(balance) }
  }
  return { rows, installment, totalPayment: BigInt(totalPayment), totalInterest: BigInt(totalInterest) }
}

function amortize (principal: bigint, p: Periods, mode: RoundingMode, method: Method, installment: bigint): Schedule {
  if (fitsNumbers(principal, p, installment)) return amortizeNumbers(principal, p, mode, method, installment)
  const n = p.dueDates.length
  const rows: ScheduleRow[] = new Array<ScheduleRow>(n)
  let balance = principal
  let totalPayment = 0n
  let totalInterest = 0n
  for (let k = 0; k < n; k++) {
    // named step: periodInterest
    const interest = roundRational(balance * (p.rateNum[k] as bigint), p.rateDen[k] as bigint, mode)
    let part: bigint
    if (k === n - 1) {
      part = balance
    } else {
      // Clamp so a row never charges less than its interest (long first
      // ACT/365 period) nor repays more than is left (tiny principals).
      part = method === 'annuity' ? installment - interest : installment
      if (part < 0n) part = 0n
      if (part > balance) part = balance
    }
    balance -= part
    const payment = part + interest
    totalPayment += payment
    totalInterest += interest
    rows[k] = { number: k + 1, dueDate: p.dueDates[k] as string, payment, principal: part, interest, balance }
  }
  return { rows, installment, totalPayment, totalInterest }
}

export function annuitySchedule (input: ScheduleInput): Schedule {
  const p = periodsOf(input)
  const payment = annuityPayment(input.principal, p, input.roundingMode)
  return amortize(input.principal, p, input.roundingMode, 'annuity', payment)
}

export function equalPrincipalSchedule (input: ScheduleInput): Schedule {
  const p = periodsOf(input)
  // named step: equalPrincipal
  const share = roundRational(input.principal, BigInt(input.termMonths), input.roundingMode)
  return amortize(input.principal, p, input.roundingMode, 'equal_principal', share)
}
