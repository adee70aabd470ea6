// Amortisation schedules (等额本息 annuity and 等额本金 equal principal),
// following Apache Fineract's progressive EMI: the installment is computed
// exactly and rounded once, interest is rounded per row, and the last row
// absorbs every rounding remainder so the balance ends at exactly zero.
// A schedule never shows a 0.00 row: when the rounded installment repays
// everything early the schedule ends there, and a term whose installment
// rounds to zero or would not cover a month's interest is unpayable.
import { gcd, roundQuotient, roundRational } from './decimal.js'
import type { Rational, RoundingMode } from './decimal.js'
import { monthlyDueDates, monthlyPeriodDays } from './dates.js'
import type { DayCount } from './policy.js'
import { tableRows } from './amortization-table.js'
import type { AmortizationTable, ScheduleRow } from './amortization-table.js'

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

// Defined beside the table that stores rows, so the two modules do not import each other.
export type { ScheduleRow } from './amortization-table.js'

export interface Schedule {
  readonly rows: ScheduleRow[]
  // The regular installment (annuity) or principal share (equal principal).
  readonly installment: bigint
  readonly totalPayment: bigint
  readonly totalInterest: bigint
}

// Period k's rate is rateNum[k] / den, or fixedNum / den for every period
// when rateNum is null (30/360, or ACT/365 periods of equal length); all
// periods share one denominator so the annuity product can be formed without
// reducing.
interface Periods {
  readonly dueDates: string[]
  readonly rateNum: readonly bigint[] | null
  readonly fixedNum: bigint
  readonly den: bigint
  // The largest rate numerator, for the exact-Number bound in amortize.
  readonly maxNum: bigint
}

function periodsOf (input: ScheduleInput): Periods {
  const { annualRate: { n: a, d }, termMonths, startDate } = input
  const offset = input.firstDueOffsetMonths ?? 0
  if (!Number.isInteger(termMonths) || termMonths < 1) throw new RangeError('termMonths must be a positive integer')
  const dueDates = monthlyDueDates(startDate, offset + 1, termMonths)
  if (input.dayCount === '30/360') {
    const g = gcd(a, 12n * d)
    return { dueDates, rateNum: null, fixedNum: a / g, den: 12n * d / g, maxNum: a / g }
  }
  const days = monthlyPeriodDays(startDate, offset + 1, termMonths)
  const rateNum: bigint[] = new Array<bigint>(termMonths)
  const fixedNum = a * BigInt(days[0] as number)
  let maxNum = 0n
  let constant = true
  for (let k = 0; k < termMonths; k++) {
    const num = a * BigInt(days[k] as number)
    if (num > maxNum) maxNum = num
    if (num !== fixedNum) constant = false
    rateNum[k] = num
  }
  return { dueDates, rateNum: constant ? null : rateNum, fixedNum, den: 365n * d, maxNum }
}

// The annuity factors a·(D+a)^n and D·((D+a)^n − D^n) for the last constant
// rate seen: a quote's options share one rate, and its three deferrals and
// 12-month plan share a term too. An even term whose half is known squares
// the half's powers (terms 3, 6, 12, 24 each double the last).
interface Powers { readonly grown: bigint, readonly scale: bigint, readonly numer: bigint, readonly denom: bigint }
let powersFor = { a: -1n, den: 0n }
const powersByTerm = new Map<number, Powers>()

function constantPowers (a: bigint, den: bigint, n: number): Powers {
  if (powersFor.a !== a || powersFor.den !== den) {
    powersFor = { a, den }
    powersByTerm.clear()
  }
  let powers = powersByTerm.get(n)
  if (powers === undefined) {
    const half = n % 2 === 0 ? powersByTerm.get(n / 2) : undefined
    const grown = half === undefined ? (den + a) ** BigInt(n) : half.grown * half.grown
    const scale = half === undefined ? den ** BigInt(n) : half.scale * half.scale
    powers = { grown, scale, numer: a * grown, denom: den * (grown - scale) }
    powersByTerm.set(n, powers)
  }
  return powers
}

// A = P·Π(1+r_i) / Σ_{k=1..n} Π_{j=k+1..n}(1+r_j), scaled through by D^n so
// that every term is an integer; with a constant rate this is the textbook
// P·r / (1 − (1+r)^−n).
function annuityPayment (principal: bigint, p: Periods, mode: RoundingMode): bigint {
  const n = p.dueDates.length
  const den = p.den
  if (p.maxNum === 0n) {
    // named step: annuityPayment (interest-free)
    return roundRational(principal, BigInt(n), mode)
  }
  if (p.rateNum === null) {
    const { numer, denom } = constantPowers(p.fixedNum, den, n)
    // named step: annuityPayment
    return roundRational(principal * numer, denom, mode)
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
// installment itself (equal principal); the last row repays what is left.
type Method = 'annuity' | 'equal_principal'

// Why no level schedule exists for a term: the installment rounds to zero, or
// the interest of row `month` exceeds it (month and interest are 0 for zero_payment).
export interface Unpayable {
  readonly unpayable: 'zero_payment' | 'interest_exceeds_payment'
  readonly installment: bigint
  readonly month: number
  readonly interest: bigint
}

export function isUnpayable (a: Amortization | Unpayable | Schedule): a is Unpayable {
  return 'unpayable' in a
}

// A schedule as the option builders use it: columns rather than row objects.
export interface Amortization {
  readonly table: AmortizationTable
  // The regular installment (annuity) or principal share (equal principal).
  readonly installment: bigint
  readonly totalPayment: bigint
  readonly totalInterest: bigint
}

// 2^53 bounds every exact double integer. With P·maxNum ≤ 2^45 each interest
// product balance·rateNum, each payment (≤ P + interest) and each total over
// ≤ 128 rows stays an exactly represented integer, so the row loop can run on
// plain numbers and give bit-for-bit the bigint result.
const EXACT_PRODUCT = 2n ** 45n
const EXACT = 2n ** 53n

function fitsNumbers (principal: bigint, p: Periods, installment: bigint): boolean {
  return principal >= 0n && installment >= 0n && installment < EXACT &&
    principal * (p.maxNum > 0n ? p.maxNum : 1n) <= EXACT_PRODUCT &&
    p.den < EXACT && p.dueDates.length <= 128
}

function amortizeNumbers (principal: bigint, p: Periods, mode: RoundingMode, method: Method, installment: bigint): Amortization | Unpayable {
  const n = p.dueDates.length
  const payments: number[] = []
  const parts: number[] = []
  const interests: number[] = []
  const balances: number[] = []
  const due = Number(installment)
  const rateNum = p.rateNum
  const fixedNum = Number(p.fixedNum)
  const den = Number(p.den)
  let balance = Number(principal)
  let totalPayment = 0
  let totalInterest = 0
  for (let k = 0; k < n; k++) {
    const num = rateNum === null ? fixedNum : Number(rateNum[k])
    // named step: periodInterest
    const interest = num === 0 ? 0 : roundQuotient(balance * num, den, mode)
    let part = balance
    if (k < n - 1) {
      part = method === 'annuity' ? due - interest : due
      if (part < 0) return shortfall(installment, k, BigInt(interest))
      if (part > balance) part = balance
    }
    balance -= part
    const payment = part + interest
    totalPayment += payment
    totalInterest += interest
    payments.push(payment)
    parts.push(part)
    interests.push(interest)
    balances.push(balance)
    if (balance === 0) break
  }
  return {
    table: { exact: true, dueDates: datesFor(p, payments.length), payment: payments, principal: parts, interest: interests, balance: balances },
    installment,
    totalPayment: BigInt(totalPayment),
    totalInterest: BigInt(totalInterest)
  }
}

function amortize (principal: bigint, p: Periods, mode: RoundingMode, method: Method, installment: bigint): Amortization | Unpayable {
  // A zero installment would show 0.00 rows before the last (tiny balance, long term).
  if (installment === 0n && p.dueDates.length > 1) return { unpayable: 'zero_payment', installment, month: 0, interest: 0n }
  if (fitsNumbers(principal, p, installment)) return amortizeNumbers(principal, p, mode, method, installment)
  const n = p.dueDates.length
  const payments: bigint[] = []
  const parts: bigint[] = []
  const interests: bigint[] = []
  const balances: bigint[] = []
  let balance = principal
  let totalPayment = 0n
  let totalInterest = 0n
  for (let k = 0; k < n; k++) {
    const num = p.rateNum === null ? p.fixedNum : p.rateNum[k] as bigint
    // named step: periodInterest
    const interest = roundRational(balance * num, p.den, mode)
    let part = balance
    if (k < n - 1) {
      part = method === 'annuity' ? installment - interest : installment
      // The level payment would not cover this month's interest (negative amortisation).
      if (part < 0n) return shortfall(installment, k, interest)
      // The rounded installment repays the rest early: this row is the last.
      if (part > balance) part = balance
    }
    balance -= part
    const payment = part + interest
    totalPayment += payment
    totalInterest += interest
    payments.push(payment)
    parts.push(part)
    interests.push(interest)
    balances.push(balance)
    if (balance === 0n) break
  }
  return {
    table: { exact: false, dueDates: datesFor(p, payments.length), payment: payments, principal: parts, interest: interests, balance: balances },
    installment,
    totalPayment,
    totalInterest
  }
}

function datesFor (p: Periods, rows: number): string[] {
  return rows === p.dueDates.length ? p.dueDates : p.dueDates.slice(0, rows)
}

function shortfall (installment: bigint, k: number, interest: bigint): Unpayable {
  return { unpayable: 'interest_exceeds_payment', installment, month: k + 1, interest }
}

export function annuityAmortization (input: ScheduleInput): Amortization | Unpayable {
  const p = periodsOf(input)
  const payment = annuityPayment(input.principal, p, input.roundingMode)
  return amortize(input.principal, p, input.roundingMode, 'annuity', payment)
}

export function equalPrincipalAmortization (input: ScheduleInput): Amortization | Unpayable {
  const p = periodsOf(input)
  // named step: equalPrincipal
  const share = roundRational(input.principal, BigInt(input.termMonths), input.roundingMode)
  return amortize(input.principal, p, input.roundingMode, 'equal_principal', share)
}

// The row-object form, for callers that want one bigint record per month.
function scheduleOf (a: Amortization | Unpayable): Schedule | Unpayable {
  if (isUnpayable(a)) return a
  return { rows: tableRows(a.table), installment: a.installment, totalPayment: a.totalPayment, totalInterest: a.totalInterest }
}

export function annuitySchedule (input: ScheduleInput): Schedule | Unpayable {
  return scheduleOf(annuityAmortization(input))
}

export function equalPrincipalSchedule (input: ScheduleInput): Schedule | Unpayable {
  return scheduleOf(equalPrincipalAmortization(input))
}
