// Where a plan stands on a date: the ledger replayed to that date, read out
// per installment and for the plan as a whole.
import { daysBetween } from '../dates.js'
import { replay, rowUnpaid } from './ledger.js'
import type { PaymentAllocation, PlanStatus, RowLedger, ServicingLedger } from './ledger.js'
import type { PaymentRecord, PlanTerms } from './plan-terms.js'
import type { ServicingRules } from './rules.js'

export type InstallmentStatus = 'upcoming' | 'due' | 'paid' | 'partially_paid' | 'overdue' | 'missed'

export interface InstallmentState {
  readonly number: number
  readonly dueDate: string
  readonly payment: bigint
  readonly principal: bigint
  readonly interest: bigint
  // Late fees charged to this installment.
  readonly fees: bigint
  readonly paidPrincipal: bigint
  readonly paidInterest: bigint
  readonly paidFees: bigint
  readonly interestWaived: bigint
  readonly unpaid: bigint
  readonly paidOn: string | null
  // Counted as missed (unpaid when grace ended), even if paid since.
  readonly missed: boolean
  // The day its grace ended unpaid (null when not missed).
  readonly missedOn: string | null
  readonly state: InstallmentStatus
}

export interface NextDue { readonly dueDate: string, readonly amount: bigint }

export interface ServicingState {
  readonly asOf: string
  readonly status: PlanStatus
  readonly completedOn: string | null
  readonly brokenOn: string | null
  // Money allocated to the plan (payments less any unapplied excess).
  readonly paidTotal: bigint
  readonly outstanding: bigint
  readonly arrears: bigint
  readonly daysPastDue: number
  readonly missedInstallments: number
  readonly nextDue: NextDue | null
  readonly reinstatedPenalty: bigint
  readonly paidPenalty: bigint
  readonly lateFeesCharged: bigint
  readonly interestWaivedOnPayoff: bigint
  readonly unapplied: bigint
  readonly installments: InstallmentState[]
  readonly allocations: PaymentAllocation[]
}

function rowState (ledger: ServicingLedger, r: RowLedger, asOf: string): { paidOn: string | null, state: InstallmentStatus } {
  const due = r.terms.dueDate
  if (r.terms.payment === 0n) {
    // A holiday row is settled by its date, or by an earlier payoff.
    const settledOn = ledger.completedOn !== null && ledger.completedOn < due ? ledger.completedOn : due
    return settledOn <= asOf ? { paidOn: settledOn, state: 'paid' } : { paidOn: null, state: 'upcoming' }
  }
  if (r.paidOn !== null) return { paidOn: r.paidOn, state: 'paid' }
  const anyPaid = r.paidFees + r.paidInterest + r.paidPrincipal > 0n
  if (due > asOf) return { paidOn: null, state: anyPaid ? 'partially_paid' : 'upcoming' }
  if (due === asOf) return { paidOn: null, state: anyPaid ? 'partially_paid' : 'due' }
  return { paidOn: null, state: r.missedOn !== null ? 'missed' : 'overdue' }
}

export function servicingStateOf (ledger: ServicingLedger, asOf: string): ServicingState {
  let paidTotal = ledger.paidPenalty
  let arrears = ledger.reinstatedPenalty - ledger.paidPenalty
  let daysPastDue = 0
  let nextDue: NextDue | null = null
  const installments = ledger.rows.map(r => {
    const unpaid = rowUnpaid(r)
    paidTotal += r.paidFees + r.paidInterest + r.paidPrincipal
    if (unpaid > 0n && r.terms.dueDate < asOf) {
      arrears += unpaid
      if (daysPastDue === 0) daysPastDue = daysBetween(r.terms.dueDate, asOf)
    }
    if (nextDue === null && ledger.status === 'active' && unpaid > 0n && r.terms.dueDate >= asOf) {
      nextDue = { dueDate: r.terms.dueDate, amount: unpaid }
    }
    return {
      number: r.terms.number,
      dueDate: r.terms.dueDate,
      payment: r.terms.payment,
      principal: r.terms.principal,
      interest: r.terms.interest,
      fees: r.fees,
      paidPrincipal: r.paidPrincipal,
      paidInterest: r.paidInterest,
      paidFees: r.paidFees,
      interestWaived: r.waivedInterest,
      unpaid,
      missed: r.missedOn !== null,
      missedOn: r.missedOn,
      ...rowState(ledger, r, asOf)
    }
  })
  return {
    asOf,
    status: ledger.status,
    completedOn: ledger.completedOn,
    brokenOn: ledger.brokenOn,
    paidTotal,
    outstanding: ledger.outstanding(),
    arrears,
    daysPastDue,
    missedInstallments: ledger.missedInstallments,
    nextDue,
    reinstatedPenalty: ledger.reinstatedPenalty,
    paidPenalty: ledger.paidPenalty,
    lateFeesCharged: ledger.lateFeesCharged,
    interestWaivedOnPayoff: ledger.interestWaivedOnPayoff,
    unapplied: ledger.allocations.reduce((sum, a) => sum + a.unapplied, 0n),
    installments,
    allocations: ledger.allocations
  }
}

// The servicing state as of the end of asOf. Payments received after asOf
// are not yet part of it; the order of the payments array does not matter.
export function evaluatePlan (terms: PlanTerms, rules: ServicingRules, payments: readonly PaymentRecord[], asOf: string): ServicingState {
  return servicingStateOf(replay(terms, rules, payments, asOf), asOf)
}
