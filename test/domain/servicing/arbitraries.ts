// fast-check generators: plans built with the quote engine's schedule
// builders (holiday rows in front, as deferral plans have), servicing rules,
// and payment streams with their dates spread over the plan's life.
import fc from 'fast-check'
import { rational } from '../../../src/domain/decimal.js'
import { addDays, daysBetween, monthlyDueDates } from '../../../src/domain/dates.js'
import { annuitySchedule, equalPrincipalSchedule, isUnpayable } from '../../../src/domain/schedule.js'
import type { AllocationPart, ServicingRules } from '../../../src/domain/servicing/rules.js'
import type { InstallmentTerms, PaymentRecord, PlanTerms } from '../../../src/domain/servicing/plan-terms.js'

const ORDERS: AllocationPart[][] = [
  ['fees', 'interest', 'principal'], ['fees', 'principal', 'interest'], ['interest', 'fees', 'principal'],
  ['interest', 'principal', 'fees'], ['principal', 'fees', 'interest'], ['principal', 'interest', 'fees']
]

export const termsArb: fc.Arbitrary<PlanTerms> = fc.record({
  digits: fc.constantFrom(0, 2, 3),
  principal: fc.bigInt(1n, 5000000n),
  micros: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400000 })),
  termMonths: fc.integer({ min: 1, max: 9 }),
  holidays: fc.constantFrom(0, 0, 1, 3),
  startOffset: fc.integer({ min: 0, max: 2000 }),
  acceptedAfter: fc.integer({ min: 0, max: 7 }),
  dayCount: fc.constantFrom('30/360' as const, 'ACT/365' as const),
  roundingMode: fc.constantFrom('HALF_UP' as const, 'HALF_EVEN' as const),
  equalPrincipal: fc.boolean(),
  penaltyWaived: fc.bigInt(0n, 100000n),
  capMicros: fc.option(fc.integer({ min: 0, max: 360000 }), { nil: null })
}).map((r): PlanTerms | null => {
  const startDate = addDays('2024-01-01', r.startOffset)
  const input = {
    principal: r.principal,
    annualRate: rational(BigInt(r.micros), 1000000n),
    termMonths: r.termMonths,
    startDate,
    dayCount: r.dayCount,
    roundingMode: r.roundingMode,
    firstDueOffsetMonths: r.holidays
  }
  const amortized = r.equalPrincipal ? equalPrincipalSchedule(input) : annuitySchedule(input)
  // A plan the engine refuses (a level payment rounding to 0) is never accepted, so never serviced.
  if (isUnpayable(amortized)) return null
  const built = amortized.rows
  const holidayRows: InstallmentTerms[] = monthlyDueDates(startDate, 1, r.holidays)
    .map((dueDate, k) => ({ number: k + 1, dueDate, payment: 0n, principal: 0n, interest: 0n }))
  const schedule = holidayRows.concat(built.map((row, k) => ({
    number: r.holidays + k + 1, dueDate: row.dueDate, payment: row.payment, principal: row.principal, interest: row.interest
  })))
  return {
    digits: r.digits,
    roundingMode: r.roundingMode,
    dayCount: r.dayCount,
    acceptedOn: addDays(startDate, r.acceptedAfter),
    schedule,
    penaltyWaived: r.penaltyWaived,
    annualCostCap: r.capMicros === null ? null : rational(BigInt(r.capMicros), 1000000n),
    amountFinanced: r.principal
  }
}).filter((terms): terms is PlanTerms => terms !== null)

export const rulesArb: fc.Arbitrary<ServicingRules> = fc.record({
  graceDays: fc.integer({ min: 0, max: 10 }),
  allowedMissedInstallments: fc.integer({ min: 0, max: 3 }),
  extraDays: fc.integer({ min: 0, max: 80 }),
  fee: fc.integer({ min: 0, max: 5000 }),
  reinstateWaivedPenalty: fc.boolean(),
  order: fc.constantFrom(...ORDERS)
}).map(r => ({
  graceDays: r.graceDays,
  allowedMissedInstallments: r.allowedMissedInstallments,
  breakAfterDaysPastDue: r.graceDays + r.extraDays,
  // Whole currency units, valid for every digits setting.
  lateInstallmentFee: String(r.fee % 50),
  reinstateWaivedPenalty: r.reinstateWaivedPenalty,
  allocationOrder: r.order
}))

export function planDays (terms: PlanTerms): number {
  const last = terms.schedule.at(-1)?.dueDate ?? terms.acceptedOn
  return daysBetween(terms.acceptedOn, last) + 100
}

export function totalRepayable (terms: PlanTerms): bigint {
  return terms.schedule.reduce((s, r) => s + r.payment, 0n)
}

export interface Draft { readonly day: number, readonly share: number, readonly reversed: boolean }

export const draftsArb = fc.array(fc.record({
  day: fc.integer({ min: 0, max: 1000 }),
  // Per-mille of the total repayable, so amounts span cents to the whole plan.
  share: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 400 }), fc.constant(1000)),
  reversed: fc.boolean()
}), { maxLength: 9 })

// Booking order is deliberately not date order: payments may be back-dated.
export function paymentsFrom (terms: PlanTerms, drafts: readonly Draft[]): PaymentRecord[] {
  const span = planDays(terms)
  const total = totalRepayable(terms)
  return drafts.map((d, k) => {
    const amount = total * BigInt(d.share) / 1000n
    return { id: `p${k}`, receivedOn: addDays(terms.acceptedOn, d.day % span), amount: amount > 0n ? amount : 1n, bookedSeq: BigInt(k + 1) }
  })
}
