// Re-amortise what is owed over each offered term and method, with part of
// the late penalty forgiven (the usual reason to restructure is that the
// borrower has already fallen behind).
import { affordableByIncome, paymentToIncomeOf } from './option-affordability.js'
import { scheduleAnnualRate } from './apr.js'
import { firstPaymentDateOf, maxPaymentOfTable } from './amortization-table.js'
import { penaltyWaived } from './options.js'
import type { OptionContext, OptionSet, RejectedOption, RepaymentOption } from './options.js'
import { amount, months, penaltyClause, sentence, tablePaymentPlan, totals, unpayableReason } from './option-text.js'
import { annuityAmortization, equalPrincipalAmortization, isUnpayable } from './schedule.js'
import type { Amortization, Unpayable } from './schedule.js'
import type { AmortizationMethod } from './policy.js'

function optionId (method: AmortizationMethod, termMonths: number): string {
  return `installment-${method}-${termMonths}`
}

// The policy term's schedule; it has fewer rows than the term when the
// rounded installment repays everything early (see installmentOptions).
function installmentAmortization (ctx: OptionContext, termMonths: number, method: AmortizationMethod): Amortization | Unpayable {
  const input = {
    principal: ctx.totalDue - penaltyWaived(ctx, ctx.policy.installmentPenaltyWaiver),
    annualRate: ctx.annualRate,
    termMonths,
    startDate: ctx.asOf,
    dayCount: ctx.dayCount,
    roundingMode: ctx.roundingMode
  }
  return method === 'annuity' ? annuityAmortization(input) : equalPrincipalAmortization(input)
}

// The option for a computed schedule; its term (and id) is its number of rows.
export function installmentOption (ctx: OptionContext, s: Amortization, method: AmortizationMethod): RepaymentOption {
  const waiver = ctx.policy.installmentPenaltyWaiver
  const waived = penaltyWaived(ctx, waiver)
  const amountFinanced = ctx.totalDue - waived
  const table = s.table
  const termMonths = table.dueDates.length
  const maxPayment = maxPaymentOfTable(table)
  const firstPaymentDate = firstPaymentDateOf(table) ?? ctx.asOf
  return {
    id: optionId(method, termMonths),
    type: 'installment',
    termMonths,
    method,
    holidayMonths: null,
    amountFinanced,
    table,
    totalRepayable: s.totalPayment,
    totalInterest: s.totalInterest,
    penaltyWaived: waived,
    discount: 0n,
    capitalizedInterest: 0n,
    maxPayment,
    firstPaymentDate,
    apr: scheduleAnnualRate(amountFinanced, table, s.totalPayment),
    paymentToIncome: paymentToIncomeOf(ctx, maxPayment),
    affordable: affordableByIncome(ctx, maxPayment),
    summary: sentence([
      tablePaymentPlan(ctx, table.payment, firstPaymentDate),
      totals(ctx, s.totalPayment, s.totalInterest),
      penaltyClause(ctx, ctx.penalty.total, waived, waiver)
    ])
  }
}

type Outcome = { readonly option: RepaymentOption } | { readonly rejected: RejectedOption }

// Every policy term and method, in policy order (terms, then methods). A
// schedule that pays in all its term's months keeps its id; one that repays
// early is offered under its real term (its number of rows) unless an option
// with that id is already offered: first those that fill their term, then
// the early ones in policy order. Ids therefore never repeat.
export function installmentOptions (ctx: OptionContext): OptionSet {
  const { termsMonths, methods, maxTermMonths } = ctx.policy.source.installment
  const slots: Array<Outcome | { readonly early: Amortization, readonly term: number, readonly method: AmortizationMethod }> = []
  const taken = new Set<string>()
  for (const term of termsMonths) {
    for (const method of methods) {
      const id = optionId(method, term)
      if (term > maxTermMonths) {
        slots.push({ rejected: { id, type: 'installment', reason: `A ${term}-month plan is longer than the ${maxTermMonths}-month maximum.` } })
        continue
      }
      const s = installmentAmortization(ctx, term, method)
      if (isUnpayable(s)) {
        slots.push({ rejected: { id, type: 'installment', reason: unpayableReason(ctx, `A ${term}-month plan`, s, 0) } })
      } else if (s.table.dueDates.length < term) {
        slots.push({ early: s, term, method })
      } else {
        taken.add(id)
        slots.push({ option: installmentOption(ctx, s, method) })
      }
    }
  }
  const set: OptionSet = { options: [], rejected: [] }
  for (const slot of slots) {
    if ('option' in slot) {
      set.options.push(slot.option)
    } else if ('rejected' in slot) {
      set.rejected.push(slot.rejected)
    } else {
      const rows = slot.early.table.dueDates.length
      const id = optionId(slot.method, rows)
      if (taken.has(id)) {
        set.rejected.push({
          id: optionId(slot.method, slot.term),
          type: 'installment',
          reason: `A ${slot.term}-month plan at ${amount(ctx, slot.early.installment)} a month would be repaid in ${months(rows)}, and ${id} is already offered.`
        })
      } else {
        taken.add(id)
        set.options.push(installmentOption(ctx, slot.early, slot.method))
      }
    }
  }
  return set
}
