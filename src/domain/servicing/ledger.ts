// The servicing ledger: replays an accepted plan's life in time order. Each
// day first runs its date-driven events (an installment becoming missed, a
// late fee, a breach), then the payments received that day in booking order.
// Replaying from scratch is the definition of a plan's state; posting one more
// payment after the last is the same computation continued.
import { addDays } from '../dates.js'
import { parseMoney } from '../money.js'
import type { Rational, RoundingMode } from '../decimal.js'
import type { DayCount } from '../policy.js'
import { earnedInterest } from './accrual.js'
import { lateFeeCap, lateInstallmentFeeFor } from './late-fee.js'
import { assertPlanTerms, bookingOrder, costCapRate } from './plan-terms.js'
import type { InstallmentTerms, PaymentRecord, PlanTerms } from './plan-terms.js'
import type { AllocationPart, ServicingRules } from './rules.js'

export type PlanStatus = 'active' | 'completed' | 'broken'

export interface InstallmentAllocation {
  readonly number: number
  fees: bigint
  interest: bigint
  principal: bigint
}

export interface PaymentAllocation {
  readonly paymentId: string
  readonly receivedOn: string
  readonly bookedSeq: bigint
  readonly amount: bigint
  readonly installments: InstallmentAllocation[]
  // Paid towards the penalty reinstated on breach.
  readonly penalty: bigint
  // Money beyond what settled the plan; paymentAcceptance keeps this 0.
  readonly unapplied: bigint
  readonly settlesPlan: boolean
  // Interest not yet earned and still unpaid, forgiven by this settling payment.
  readonly interestWaived: bigint
}

export interface RowLedger {
  readonly terms: InstallmentTerms
  // Where the row's interest period starts: the previous due date, or acceptance.
  readonly periodStart: string
  fees: bigint
  paidFees: bigint
  paidInterest: bigint
  paidPrincipal: bigint
  waivedInterest: bigint
  // The day it was counted missed (grace ended unpaid); it stays counted once paid.
  missedOn: string | null
  // The day its payment, fees included, was fully paid or settled; null for a holiday row.
  paidOn: string | null
}

interface Trigger { readonly date: string, readonly kind: 'miss' | 'long-overdue', readonly row: RowLedger }

export function rowUnpaid (r: RowLedger): bigint {
  return r.fees + r.terms.payment - r.paidFees - r.paidInterest - r.paidPrincipal - r.waivedInterest
}

function partUnpaid (r: RowLedger, part: AllocationPart): bigint {
  if (part === 'fees') return r.fees - r.paidFees
  if (part === 'interest') return r.terms.interest - r.paidInterest - r.waivedInterest
  return r.terms.principal - r.paidPrincipal
}

function payPart (r: RowLedger, part: AllocationPart, a: InstallmentAllocation, amount: bigint): void {
  if (part === 'fees') { r.paidFees += amount; a.fees += amount } else if (part === 'interest') { r.paidInterest += amount; a.interest += amount } else { r.paidPrincipal += amount; a.principal += amount }
}

// Each list rises with the strictly rising due dates, so merging them orders the triggers by
// date, a miss before a long-overdue on the same day, then by installment.
function inDateOrder (misses: Trigger[], overdues: Trigger[]): Trigger[] {
  const out: Trigger[] = []
  let i = 0
  let j = 0
  while (i < misses.length || j < overdues.length) {
    const miss = misses[i]
    const overdue = overdues[j]
    if (overdue === undefined || (miss !== undefined && miss.date <= overdue.date)) {
      out.push(miss as Trigger)
      i++
    } else {
      out.push(overdue)
      j++
    }
  }
  return out
}

export class ServicingLedger {
  readonly rows: RowLedger[]
  status: PlanStatus = 'active'
  completedOn: string | null = null
  brokenOn: string | null = null
  reinstatedPenalty = 0n
  paidPenalty = 0n
  lateFeesCharged = 0n
  interestWaivedOnPayoff = 0n
  missedInstallments = 0
  readonly allocations: PaymentAllocation[] = []
  readonly acceptedOn: string
  private readonly rules: ServicingRules
  private readonly terms: PlanTerms
  private readonly dayCount: DayCount
  private readonly mode: RoundingMode
  private readonly lateFee: bigint
  private readonly capRate: Rational | null
  private readonly triggers: Trigger[]
  private nextTrigger = 0
  private clock: string
  private last: PaymentRecord | null = null

  constructor (terms: PlanTerms, rules: ServicingRules) {
    assertPlanTerms(terms)
    const fee = parseMoney(rules.lateInstallmentFee, terms.digits)
    if (typeof fee !== 'bigint') throw new RangeError(`lateInstallmentFee: ${fee.message}`)
    this.terms = terms
    this.rules = rules
    this.lateFee = fee
    this.capRate = costCapRate(terms)
    this.dayCount = terms.dayCount
    this.mode = terms.roundingMode
    this.acceptedOn = terms.acceptedOn
    this.clock = terms.acceptedOn
    this.rows = terms.schedule.map((row, k) => ({
      terms: row,
      periodStart: k === 0 ? terms.acceptedOn : (terms.schedule[k - 1] as InstallmentTerms).dueDate,
      fees: 0n,
      paidFees: 0n,
      paidInterest: 0n,
      paidPrincipal: 0n,
      waivedInterest: 0n,
      missedOn: null,
      paidOn: null
    }))
    const misses: Trigger[] = []
    const overdues: Trigger[] = []
    for (const row of this.rows) {
      // A holiday row owes nothing, so it can be neither missed nor overdue.
      if (row.terms.payment === 0n) continue
      misses.push({ date: addDays(row.terms.dueDate, rules.graceDays + 1), kind: 'miss', row })
      overdues.push({ date: addDays(row.terms.dueDate, rules.breakAfterDaysPastDue + 1), kind: 'long-overdue', row })
    }
    this.triggers = inDateOrder(misses, overdues)
    // A plan that owes nothing beyond unearned interest is settled from the start; any principal
    // is owed, which spares summing the room for nearly every plan.
    if (!this.rows.some((r) => r.terms.principal > 0n) && this.settlementRoom(terms.acceptedOn) === 0n) this.settle(terms.acceptedOn, new Map())
  }

  // Runs every date-driven event dated on or before `date` (the start of that day).
  advanceTo (date: string): void {
    if (date < this.clock) throw new RangeError(`the ledger is at ${this.clock}; cannot go back to ${date}`)
    while (this.nextTrigger < this.triggers.length && (this.triggers[this.nextTrigger] as Trigger).date <= date) {
      const day = (this.triggers[this.nextTrigger] as Trigger).date
      const today: Trigger[] = []
      while (this.nextTrigger < this.triggers.length && (this.triggers[this.nextTrigger] as Trigger).date === day) {
        today.push(this.triggers[this.nextTrigger++] as Trigger)
      }
      this.onDay(day, today)
    }
    this.clock = date
  }

  private onDay (day: string, triggers: Trigger[]): void {
    if (this.status === 'completed') return
    for (const t of triggers) {
      if (t.kind !== 'miss' || rowUnpaid(t.row) === 0n) continue
      t.row.missedOn = day
      this.missedInstallments++
      // After a breach the collection process takes over: no more servicing fees.
      if (this.status === 'active') this.chargeLateFee(t.row, day)
    }
    if (this.status === 'active' && this.missedInstallments > this.rules.allowedMissedInstallments) this.breach(day)
    for (const t of triggers) {
      if (t.kind === 'long-overdue' && this.status === 'active' && rowUnpaid(t.row) > 0n) this.breach(day)
    }
  }

  private chargeLateFee (row: RowLedger, day: string): void {
    const room = this.capRate === null
      ? null
      : lateFeeCap(this.terms.amountFinanced, this.capRate, this.acceptedOn, day, this.mode) - this.lateFeesCharged
    const fee = lateInstallmentFeeFor(this.lateFee, room)
    row.fees += fee
    this.lateFeesCharged += fee
  }

  private breach (day: string): void {
    this.status = 'broken'
    this.brokenOn = day
    if (this.rules.reinstateWaivedPenalty) this.reinstatedPenalty = this.terms.penaltyWaived
  }

  earned (row: RowLedger, day: string): bigint {
    return earnedInterest({ start: row.periodStart, dueDate: row.terms.dueDate, interest: row.terms.interest }, day, this.dayCount, this.mode)
  }

  outstanding (): bigint {
    let sum = this.reinstatedPenalty - this.paidPenalty
    for (const r of this.rows) sum += rowUnpaid(r)
    return sum
  }

  // What one payment on `day` may be at most: the payoff while active (fees,
  // principal and interest earned to that day), everything owed once broken.
  settlementRoom (day: string): bigint {
    if (this.status === 'completed') return 0n
    if (this.status === 'broken') return this.outstanding()
    let sum = 0n
    for (const r of this.rows) {
      const interest = this.earned(r, day) - r.paidInterest
      sum += r.fees - r.paidFees + r.terms.principal - r.paidPrincipal + (interest > 0n ? interest : 0n)
    }
    return sum
  }

  // Posts the next payment in booking order and returns its allocation.
  post (payment: PaymentRecord): PaymentAllocation {
    if (this.last !== null && bookingOrder(this.last, payment) >= 0) throw new RangeError(`payment ${payment.id} is not after ${this.last.id} in booking order`)
    if (payment.amount <= 0n) throw new RangeError(`payment ${payment.id} must be positive`)
    if (payment.receivedOn < this.acceptedOn) throw new RangeError(`payment ${payment.id} predates the plan's acceptance`)
    this.advanceTo(payment.receivedOn)
    this.last = payment
    const day = payment.receivedOn
    const room = this.settlementRoom(day)
    const applied = payment.amount < room ? payment.amount : room
    const parts = new Map<number, InstallmentAllocation>()
    const penaltyBefore = this.paidPenalty
    const waivedBefore = this.interestWaivedOnPayoff
    let settlesPlan = false
    if (this.status === 'active' && applied === room) {
      this.settle(day, parts)
      settlesPlan = true
    } else {
      this.waterfall(applied, day, parts)
    }
    const allocation: PaymentAllocation = {
      paymentId: payment.id,
      receivedOn: day,
      bookedSeq: payment.bookedSeq,
      amount: payment.amount,
      installments: [...parts.values()].filter(a => a.fees + a.interest + a.principal > 0n).sort((a, b) => a.number - b.number),
      penalty: this.paidPenalty - penaltyBefore,
      unapplied: payment.amount - applied,
      settlesPlan,
      interestWaived: this.interestWaivedOnPayoff - waivedBefore
    }
    this.allocations.push(allocation)
    return allocation
  }

  private partsOf (parts: Map<number, InstallmentAllocation>, row: RowLedger): InstallmentAllocation {
    let a = parts.get(row.terms.number)
    if (a === undefined) {
      a = { number: row.terms.number, fees: 0n, interest: 0n, principal: 0n }
      parts.set(row.terms.number, a)
    }
    return a
  }

  // Oldest installment first, within one in the policy's order; the
  // reinstated penalty comes after every installment.
  private waterfall (amount: bigint, day: string, parts: Map<number, InstallmentAllocation>): void {
    let left = amount
    for (const row of this.rows) {
      if (left === 0n) break
      for (const part of this.rules.allocationOrder) {
        const owed = partUnpaid(row, part)
        const take = owed < left ? owed : left
        if (take > 0n) {
          payPart(row, part, this.partsOf(parts, row), take)
          left -= take
        }
      }
      if (row.paidOn === null && row.terms.payment > 0n && rowUnpaid(row) === 0n) row.paidOn = day
    }
    const penalty = this.reinstatedPenalty - this.paidPenalty
    const take = penalty < left ? penalty : left
    this.paidPenalty += take
  }

  // Early payoff: every fee, all principal and the interest earned to `day`
  // are paid; interest not yet earned and still unpaid is waived.
  private settle (day: string, parts: Map<number, InstallmentAllocation>): void {
    for (const row of this.rows) {
      if (rowUnpaid(row) === 0n) continue
      const earnedUnpaid = this.earned(row, day) - row.paidInterest
      const interest = earnedUnpaid > 0n ? earnedUnpaid : 0n
      const a = this.partsOf(parts, row)
      payPart(row, 'fees', a, row.fees - row.paidFees)
      payPart(row, 'principal', a, row.terms.principal - row.paidPrincipal)
      payPart(row, 'interest', a, interest)
      const waived = row.terms.interest - row.paidInterest
      row.waivedInterest += waived
      this.interestWaivedOnPayoff += waived
      if (row.terms.payment > 0n) row.paidOn = day
    }
    this.status = 'completed'
    this.completedOn = day
  }
}

// The definition: a fresh ledger, every payment received by asOf in booking
// order, then the date-driven events up to asOf.
export function replay (terms: PlanTerms, rules: ServicingRules, payments: readonly PaymentRecord[], asOf: string): ServicingLedger {
  const ledger = new ServicingLedger(terms, rules)
  const ordered = payments.filter(p => p.receivedOn <= asOf).sort(bookingOrder)
  for (const p of ordered) ledger.post(p)
  ledger.advanceTo(asOf)
  return ledger
}
