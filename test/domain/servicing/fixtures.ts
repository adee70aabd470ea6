// Builds servicing inputs for the tests: plans from the quote engine's own
// schedule builders, and the oracle's JSON cases.
import { readFileSync } from 'node:fs'
import { parseDecimal } from '../../../src/domain/decimal.js'
import type { RoundingMode } from '../../../src/domain/decimal.js'
import { formatMoney, parseMoney } from '../../../src/domain/money.js'
import type { DayCount } from '../../../src/domain/policy.js'
import { isUnpayable, annuitySchedule } from '../../../src/domain/schedule.js'
import { defaultServicingRules } from '../../../src/domain/servicing/rules.js'
import type { ServicingRules } from '../../../src/domain/servicing/rules.js'
import type { InstallmentTerms, PaymentRecord, PlanTerms } from '../../../src/domain/servicing/plan-terms.js'
import type { ServicingState } from '../../../src/domain/servicing/evaluate.js'
import type { PayoffQuote } from '../../../src/domain/servicing/payoff.js'

export function money (s: string, digits: number): bigint {
  const m = parseMoney(s, digits)
  if (typeof m !== 'bigint') throw new Error(`${s}: ${m.message}`)
  return m
}

export interface OracleCase {
  name: string
  title: string
  digits: number
  roundingMode: RoundingMode
  dayCount: DayCount
  acceptedOn: string
  penaltyWaived: string
  annualCostCap: string | null
  amountFinanced: string
  rules: ServicingRules
  build: { kind: 'annuity', principal: string, rate: string, months: number, start: string } | { kind: 'rows' }
  schedule: Array<{ number: number, dueDate: string, payment: string, principal: string, interest: string }>
  payments: Array<{ id: string, receivedOn: string, amount: string, bookedSeq: number }>
  payoffQuote?: Record<string, string>
  reversed?: string
  states: OracleState[]
  statesAfterReversal?: OracleState[]
}

export type OracleState = Record<string, unknown> & { asOf: string }

export function oracleCases (): OracleCase[] {
  return JSON.parse(readFileSync(new URL('./oracle-expected.json', import.meta.url), 'utf8')) as OracleCase[]
}

export function termsOf (c: OracleCase): PlanTerms {
  const d = c.digits
  let schedule: InstallmentTerms[]
  if (c.build.kind === 'annuity') {
    const rate = parseDecimal(c.build.rate)
    if (rate === null) throw new Error('rate')
    // The engine builds the schedule; the test compares it with the oracle's.
    const built = annuitySchedule({
      principal: money(c.build.principal, d),
      annualRate: rate,
      termMonths: c.build.months,
      startDate: c.build.start,
      dayCount: c.dayCount,
      roundingMode: c.roundingMode
    })
    if (isUnpayable(built)) throw new Error('the oracle case is a plan the engine refuses')
    schedule = built.rows.map(({ number, dueDate, payment, principal, interest }) => ({ number, dueDate, payment, principal, interest }))
  } else {
    schedule = c.schedule.map(r => ({ number: r.number, dueDate: r.dueDate, payment: money(r.payment, d), principal: money(r.principal, d), interest: money(r.interest, d) }))
  }
  return {
    digits: d,
    roundingMode: c.roundingMode,
    dayCount: c.dayCount,
    acceptedOn: c.acceptedOn,
    schedule,
    penaltyWaived: money(c.penaltyWaived, d),
    annualCostCap: c.annualCostCap,
    amountFinanced: money(c.amountFinanced, d)
  }
}

export function paymentsOf (c: OracleCase): PaymentRecord[] {
  return c.payments.map(p => ({ id: p.id, receivedOn: p.receivedOn, amount: money(p.amount, c.digits), bookedSeq: BigInt(p.bookedSeq) }))
}

// The servicing state in the oracle's shape (amounts as currency strings).
export function asOracle (s: ServicingState, digits: number, payoff: PayoffQuote | null): Record<string, unknown> {
  const m = (v: bigint): string => formatMoney(v, digits)
  return {
    asOf: s.asOf,
    status: s.status,
    completedOn: s.completedOn,
    brokenOn: s.brokenOn,
    paidTotal: m(s.paidTotal),
    outstanding: m(s.outstanding),
    arrears: m(s.arrears),
    daysPastDue: s.daysPastDue,
    missedInstallments: s.missedInstallments,
    nextDue: s.nextDue === null ? null : { dueDate: s.nextDue.dueDate, amount: m(s.nextDue.amount) },
    reinstatedPenalty: m(s.reinstatedPenalty),
    lateFeesCharged: m(s.lateFeesCharged),
    interestWaivedOnPayoff: m(s.interestWaivedOnPayoff),
    payoff: payoff === null
      ? null
      : {
          amount: m(payoff.amount),
          unpaidPrincipal: m(payoff.unpaidPrincipal),
          unpaidInterestDue: m(payoff.unpaidInterestDue),
          accruedInterest: m(payoff.accruedInterest),
          unpaidFees: m(payoff.unpaidFees),
          interestWaived: m(payoff.interestWaived)
        },
    installments: s.installments.map(i => ({
      number: i.number,
      fees: m(i.fees),
      paidFees: m(i.paidFees),
      paidInterest: m(i.paidInterest),
      paidPrincipal: m(i.paidPrincipal),
      interestWaived: m(i.interestWaived),
      paidOn: i.paidOn,
      state: i.state
    })),
    allocations: s.allocations.map(a => ({
      paymentId: a.paymentId,
      amount: m(a.amount),
      unapplied: m(a.unapplied),
      settlesPlan: a.settlesPlan,
      penalty: m(a.penalty),
      interestWaived: m(a.interestWaived),
      installments: a.installments.map(i => ({ number: i.number, fees: m(i.fees), interest: m(i.interest), principal: m(i.principal) }))
    }))
  }
}

export const rulesWith = (over: Partial<ServicingRules>): ServicingRules => ({ ...defaultServicingRules, ...over })
