// Amortisation schedules (等额本息 annuity and 等额本金 equal principal),
// following Apache Fineract's progressive EMI: the installment is computed
// exactly and rounded once, interest is rounded per row, and the last row
// absorbs every rounding remainder so the balance ends at exactly zero.
import { gcd, roundRational } from './decimal.js'
import type { Rational, RoundingMode } from './decimal.js'
import { addMonthsClamped, daysBetween, monthlyDueDates } from './dates.js'
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
}

function periodsOf (input: ScheduleInput): Periods {
  const { annualRate: { n: a, d }, termMonths, startDate } = input
  const offset = input.firstDueOffsetMonths ?? 0
  if (!Number.isInteger(termMonths) || termMonths < 1) throw new RangeError('termMonths must be a positive integer')
  const dueDates = monthlyDueDates(startDate, offset + 1, termMonths)
  const rateNum: bigint[] = new Array<bigint>(termMonths)
  const rateDen: bigint[] = new Array<bigint>(termMonths)
  if (input.dayCount === '30/360') {
    const g = gcd(a, 12n * d)
    rateNum.fill(a / g)
    rateDen.fill(12n * d / g)
  } else {
    const den = 365n * d
    let previous = addMonthsClamped(startDate, offset)
    for (let k = 0; k < termMonths; k++) {
      const due = dueDates[k] as string
      rateNum[k] = a * BigInt(daysBetween(previous, due))
      rateDen[k] = den
      previous = due
    }
  }
  return { dueDates, rateNum, rateDen }
}

// A = P·Π(1+r_i) / Σ_{k=1..n} Π_{j=k+1..n}(1+r_j), scaled through by D^n so
// that every term is an integer; with a constant rate this is the textbook
// P·r / (1 − (1+r)^−n).
function annuityPayment (principal: bigint, p: Periods, mode: RoundingMode): bigint {
  const n = p.rateNum.length
  const den = p.rateDen[0] as bigint
  if (p.rateNum.every(x => x === 0n)) {
    // named step: annuityPayment (interest-free)
    return roundRational(principal, BigInt(n), mode)
  }
  const constant = p.rateNum.every(x => x === p.rateNum[0])
  if (constant) {
    const a = p.rateNum[0] as bigint
    const grown = (den + a) ** BigInt(n)
    // named step: annuityPayment
    return roundRational(principal * a * grown, den * (grown - den ** BigInt(n)), mode)
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

function amortize (principal: bigint, p: Periods, mode: RoundingMode, principalDue: (interest: bigint) => bigint, installment: bigint): Schedule {
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
      part = principalDue(interest)
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
  return amortize(input.principal, p, input.roundingMode, interest => payment - interest, payment)
}

export function equalPrincipalSchedule (input: ScheduleInput): Schedule {
  const p = periodsOf(input)
  // named step: equalPrincipal
  const share = roundRational(input.principal, BigInt(input.termMonths), input.roundingMode)
  return amortize(input.principal, p, input.roundingMode, () => share, share)
}
