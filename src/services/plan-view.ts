import type { InstallmentRow, PlanRecord } from '../db/plans-repository.js'
import type { PlanSummaryView, PlanView } from '../http/schemas/plan.js'

export function planSummary (p: PlanRecord): PlanSummaryView {
  return {
    id: p.planId,
    loanId: p.loanId,
    status: p.status,
    quoteId: p.quoteId,
    optionId: p.optionId,
    type: p.type as PlanSummaryView['type'],
    termMonths: p.termMonths,
    method: p.method,
    holidayMonths: p.holidayMonths,
    currency: p.currency,
    amountFinanced: p.amountFinanced,
    totalRepayable: p.totalRepayable,
    totalInterest: p.totalInterest,
    penaltyWaived: p.penaltyWaived,
    discount: p.discount,
    capitalizedInterest: p.capitalizedInterest,
    maxPayment: p.maxPayment,
    apr: p.apr,
    policy: { name: p.policyName, version: p.policyVersion },
    acceptedBy: p.acceptedBy,
    channel: p.channel,
    note: p.note,
    createdAt: p.createdAt,
    cancelledAt: p.cancelledAt,
    cancelReason: p.cancelReason
  }
}

export function planView (p: PlanRecord, schedule: readonly InstallmentRow[]): PlanView {
  return { ...planSummary(p), schedule: schedule.map((r) => ({ ...r })) }
}
