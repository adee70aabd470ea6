// The servicing policy: how long a missed installment is tolerated, when a
// plan breaks, what a late installment costs and how payments are split.
// Versioned with the tenant policy like its other blocks.

export type AllocationPart = 'fees' | 'interest' | 'principal'

export const ALLOCATION_PARTS: readonly AllocationPart[] = ['fees', 'interest', 'principal']

export interface ServicingRules {
  // An installment not fully paid this many days after its due date is missed.
  readonly graceDays: number
  // The plan breaks when missed installments exceed this count.
  readonly allowedMissedInstallments: number
  // The plan breaks when any installment stays unpaid more than this many days past due.
  readonly breakAfterDaysPastDue: number
  // Charged once per missed installment, in currency units (decimal string).
  readonly lateInstallmentFee: string
  // On breach the penalty waived at acceptance becomes owed again.
  readonly reinstateWaivedPenalty: boolean
  // Order within one installment; installments themselves go oldest first.
  readonly allocationOrder: readonly AllocationPart[]
}

export const defaultServicingRules: ServicingRules = Object.freeze({
  graceDays: 5,
  allowedMissedInstallments: 1,
  breakAfterDaysPastDue: 60,
  lateInstallmentFee: '0',
  reinstateWaivedPenalty: true,
  allocationOrder: Object.freeze(['fees', 'interest', 'principal'] as AllocationPart[])
})
