// What servicing needs to know about an accepted plan: its schedule as
// agreed, the money conventions it was quoted under, and the recorded
// payments. Reversed payments are simply left out by the caller.
import { isValidDate } from '../dates.js'
import { parseDecimal } from '../decimal.js'
import type { Rational, RoundingMode } from '../decimal.js'
import type { DayCount } from '../policy.js'

export interface InstallmentTerms {
  readonly number: number
  readonly dueDate: string
  // payment = principal + interest; a payment-holiday row has payment 0.
  readonly payment: bigint
  readonly principal: bigint
  readonly interest: bigint
}

export interface PlanTerms {
  readonly digits: number
  readonly roundingMode: RoundingMode
  readonly dayCount: DayCount
  readonly acceptedOn: string
  readonly schedule: readonly InstallmentTerms[]
  // The penalty forgiven at acceptance, owed again if the plan breaks.
  readonly penaltyWaived: bigint
  // The legal annual cost cap of the quote's policy (e.g. "0.24"), or null.
  readonly annualCostCap: string | Rational | null
  readonly amountFinanced: bigint
}

export interface PaymentRecord {
  readonly id: string
  readonly receivedOn: string
  readonly amount: bigint
  // Booking order; breaks ties between payments received the same day.
  readonly bookedSeq: bigint
}

// Replay order: received date, then booking order, then id so that even
// inconsistent input has one deterministic order.
export function bookingOrder (a: PaymentRecord, b: PaymentRecord): number {
  if (a.receivedOn !== b.receivedOn) return a.receivedOn < b.receivedOn ? -1 : 1
  if (a.bookedSeq !== b.bookedSeq) return a.bookedSeq < b.bookedSeq ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

export function costCapRate (terms: PlanTerms): Rational | null {
  const cap = terms.annualCostCap
  if (cap === null || typeof cap !== 'string') return cap
  const r = parseDecimal(cap)
  if (r === null) throw new RangeError(`annualCostCap ${cap} is not a decimal`)
  return r
}

// Terms come from an accepted plan, so a violation is a programming or data
// error, not user input: it throws rather than returning problems.
export function assertPlanTerms (terms: PlanTerms): void {
  if (!isValidDate(terms.acceptedOn)) throw new RangeError(`acceptedOn ${terms.acceptedOn} is not a date`)
  if (terms.penaltyWaived < 0n || terms.amountFinanced < 0n) throw new RangeError('amounts must not be negative')
  let previous = terms.acceptedOn
  terms.schedule.forEach((row, k) => {
    if (row.number !== k + 1) throw new RangeError(`schedule row ${k + 1} is numbered ${row.number}`)
    if (!isValidDate(row.dueDate) || row.dueDate < previous || (k > 0 && row.dueDate === previous)) {
      throw new RangeError(`row ${row.number}: due dates must rise from acceptedOn`)
    }
    if (row.principal < 0n || row.interest < 0n || row.payment !== row.principal + row.interest) {
      throw new RangeError(`row ${row.number}: payment must be principal + interest, none negative`)
    }
    previous = row.dueDate
  })
}
