import { createHash } from 'node:crypto'
import type pg from 'pg'
import {
  currencyDigits, defaultServicingPolicy, evaluatePlan, formatMoney, parseMoney, paymentAcceptance, payoffQuote, standardPolicy,
  type PaymentRecord, type PlanTerms, type Policy, type ServicingPolicy, type ServicingState
} from '../domain/index.js'
import { addDays } from '../domain/dates.js'
import {
  InvalidRequest, NotFound, Overpayment, PaymentReferenceConflict, PlanNotActive, ReceivedOnOutOfRange
} from '../domain/errors.js'
import {
  insertPayment, listPayments, markReversed, nextBookingNumber, paymentById, paymentByReference, planPayments, saveLifecycle,
  lockPlansForCheck, saveLifecycles, servicedPlan, type CheckCursor, type Lifecycle, type PaymentRow, type PlanTermsRow, type ServicedPlanRow
} from '../db/payments-repository.js'
import { policyVersion } from '../db/policies-repository.js'
import { recordPlanEvents, type NewPlanEvent } from '../db/events-repository.js'
import type { Queryable } from '../db/pool.js'
import { inTransaction } from '../db/transaction.js'
import type { PaymentListQueryShape, PaymentResult, PaymentView, PayoffView, RecordPaymentBody } from '../schemas/payment.js'
import type { MissedInstallment } from '../schemas/event.js'
import type { PlanScheduleRow } from '../schemas/plan.js'
import { dateIn, type Clock } from './clock.js'
import { timeOrderedUuid } from './ids.js'
import { decodeSeqCursor, encodeCursor } from './cursor.js'
import { STANDARD } from './policies.js'

/** What evaluating a plan needs of its row (which installments' misses were announced is the writers' concern). */
export type EvaluatedPlanRow = Omit<ServicedPlanRow, 'missed'>

/** A plan's terms as servicing sees them, with the policy they were accepted under. */
export interface ServicedPlan<Row extends EvaluatedPlanRow = EvaluatedPlanRow> {
  row: Row
  terms: PlanTerms
  rules: ServicingPolicy
  digits: number
  currency: string
}

/** The servicing part of a plan's document, evaluated on a date. */
export interface PlanPosition {
  asOf: string
  paidTotal: string
  outstanding: string
  arrears: string
  daysPastDue: number
  missedInstallments: number
  nextDue: { dueDate: string, amount: string } | null
  completedAt: string | null
  brokenAt: string | null
  reinstatedPenalty: string
  lateFees: string
}

export interface PaymentAnswer { body: string, replayed: boolean }

const money = (amount: bigint, digits: number): string => formatMoney(amount, digits)

function minor (text: string, digits: number): bigint {
  const parsed = parseMoney(text, digits)
  if (typeof parsed !== 'bigint') throw new Error(`stored amount ${text} is not money in ${digits} digits`)
  return parsed
}

function paymentHash (planId: string, body: RecordPaymentBody): Buffer {
  const canonical = JSON.stringify([planId.toLowerCase(), body.reference, body.amount, body.receivedOn, body.channel ?? null, body.note ?? null])
  return createHash('sha256').update(`payment\n${canonical}`).digest()
}

function paymentRecord (p: PaymentRow, digits: number): PaymentRecord {
  return { id: p.paymentId, receivedOn: p.receivedOn, amount: minor(p.amount, digits), bookedSeq: BigInt(p.bookedSeq) }
}

/** Payments, reversals, the plan's position and payoff, and the sweep's date-driven transitions. */
export class ServicingService {
  // Policy versions never change once stored: cached for the life of the process.
  private readonly policies = new Map<string, Policy>()

  constructor (private readonly pool: pg.Pool, private readonly clock: Clock) {}

  private async policyOf (db: Queryable, tenantId: string, name: string, version: number): Promise<Policy> {
    const key = `${tenantId}\n${name}\n${version}`
    let policy = this.policies.get(key)
    if (policy === undefined) {
      // The built-in standard is version 1 of every tenant's `standard`.
      policy = (await policyVersion(db, tenantId, name, version)) ?? (name === STANDARD && version === 1 ? standardPolicy : undefined)
      if (policy === undefined) throw new Error(`plan refers to policy ${name} v${version}, which is not stored`)
      this.policies.set(key, policy)
    }
    return policy
  }

  async load (db: Queryable, tenantId: string, planId: string, forUpdate = false): Promise<ServicedPlan<ServicedPlanRow>> {
    const row = await servicedPlan(db, tenantId, planId, forUpdate)
    if (row === undefined) throw new NotFound('plan')
    return await this.serviced(db, tenantId, row)
  }

  /** A plan already read (with its schedule) as servicing sees it. */
  async serviced<Row extends EvaluatedPlanRow> (db: Queryable, tenantId: string, row: Row): Promise<ServicedPlan<Row>> {
    return { row, ...await this.termsOf(db, tenantId, row), currency: row.currency }
  }

  private async termsOf (db: Queryable, tenantId: string, row: PlanTermsRow): Promise<{ terms: PlanTerms, rules: ServicingPolicy, digits: number }> {
    const policy = await this.policyOf(db, tenantId, row.policyName, row.policyVersion)
    const rules = policy.servicing ?? defaultServicingPolicy
    const digits = currencyDigits(row.currency) ?? 2
    const terms: PlanTerms = {
      digits,
      roundingMode: policy.roundingMode,
      dayCount: policy.dayCount,
      acceptedOn: dateIn(rules.timeZone, new Date(row.createdAt)),
      schedule: row.schedule.map((r) => ({ number: r.number, dueDate: r.dueDate, payment: minor(r.payment, digits), principal: minor(r.principal, digits), interest: minor(r.interest, digits) })),
      penaltyWaived: minor(row.penaltyWaived, digits),
      annualCostCap: policy.penalty.annualCostCap,
      amountFinanced: minor(row.amountFinanced, digits)
    }
    return { terms, rules, digits }
  }

  /** Now, as the database writes timestamps (microseconds, UTC). */
  private timestamp (): string {
    return this.clock.now().toISOString().replace('Z', '000Z')
  }

  today (plan: ServicedPlan): string {
    return dateIn(plan.rules.timeZone, this.clock.now())
  }

  /** The last date any plan's today can be now: a day past UTC's (UTC+14 at the far east). The sweep's horizon without a date. */
  latestToday (): string {
    return addDays(this.clock.now().toISOString().slice(0, 10), 1)
  }

  /** The plan's servicing state on `asOf` (default today), from its payments that are not reversed. */
  async evaluate (db: Queryable, tenantId: string, planId: string, asOf?: string): Promise<{ plan: ServicedPlan, state: ServicingState, payments: PaymentRow[] }> {
    return await this.evaluateServiced(db, tenantId, await this.load(db, tenantId, planId), asOf)
  }

  /** As evaluate, for a plan already read. */
  async evaluateServiced (db: Queryable, tenantId: string, plan: ServicedPlan, asOf?: string): Promise<{ plan: ServicedPlan, state: ServicingState, payments: PaymentRow[] }> {
    const date = asOf ?? this.today(plan)
    if (date < plan.terms.acceptedOn) throw new InvalidRequest([{ path: '/querystring/asOf', message: `is before the plan was accepted (${plan.terms.acceptedOn})` }])
    const planId = plan.row.planId
    const payments = await planPayments(db, tenantId, planId)
    const state = evaluatePlan(plan.terms, plan.rules, payments.filter((p) => p.reversedAt === null).map((p) => paymentRecord(p, plan.digits)), date)
    return { plan, state, payments }
  }

  position (plan: Pick<ServicedPlan, 'digits'>, state: ServicingState): PlanPosition {
    const m = (v: bigint): string => money(v, plan.digits)
    return {
      asOf: state.asOf,
      paidTotal: m(state.paidTotal),
      outstanding: m(state.outstanding),
      arrears: m(state.arrears),
      daysPastDue: state.daysPastDue,
      missedInstallments: state.missedInstallments,
      nextDue: state.nextDue === null ? null : { dueDate: state.nextDue.dueDate, amount: m(state.nextDue.amount) },
      completedAt: state.completedOn,
      brokenAt: state.brokenOn,
      reinstatedPenalty: m(state.reinstatedPenalty),
      lateFees: m(state.lateFeesCharged)
    }
  }

  scheduleRows (plan: ServicedPlan, state: ServicingState): PlanScheduleRow[] {
    const m = (v: bigint): string => money(v, plan.digits)
    return state.installments.map((r, k) => {
      const agreed = plan.row.schedule[k]!
      return {
        ...agreed,
        fees: m(r.fees),
        paidPrincipal: m(r.paidPrincipal),
        paidInterest: m(r.paidInterest),
        paidFees: m(r.paidFees),
        paidOn: r.paidOn,
        state: r.state
      }
    })
  }

  paymentView (plan: ServicedPlan, p: PaymentRow, state: ServicingState | undefined): PaymentView {
    const m = (v: bigint): string => money(v, plan.digits)
    const allocation = p.reversedAt === null ? state?.allocations.find((a) => a.paymentId === p.paymentId) : undefined
    return {
      id: p.paymentId,
      planId: p.planId,
      reference: p.reference,
      amount: p.amount,
      receivedOn: p.receivedOn,
      channel: p.channel,
      note: p.note,
      createdAt: p.createdAt,
      reversedAt: p.reversedAt,
      reversalReason: p.reversalReason,
      allocation: allocation === undefined
        ? null
        : {
            installments: allocation.installments.map((i) => ({ number: i.number, fees: m(i.fees), interest: m(i.interest), principal: m(i.principal) })),
            penalty: m(allocation.penalty),
            settlesPlan: allocation.settlesPlan,
            interestWaived: m(allocation.interestWaived)
          }
    }
  }

  /**
   * Records money received against a plan, exactly once per reference: the plan row is locked, so
   * payments, reversals and a cancel of one plan take turns; the payment, its stored answer and the
   * plan's new lifecycle commit together.
   */
  async record (tenantId: string, planId: string, body: RecordPaymentBody): Promise<PaymentAnswer> {
    const hash = paymentHash(planId, body)
    return await inTransaction(this.pool, async (db) => {
      const plan = await this.load(db, tenantId, planId, true)
      const earlier = await paymentByReference(db, tenantId, body.reference)
      if (earlier !== undefined) {
        if (!earlier.requestHash.equals(hash)) throw new PaymentReferenceConflict(body.reference, earlier.paymentId)
        return { body: earlier.answer, replayed: true }
      }
      const amount = parseMoney(body.amount, plan.digits)
      if (typeof amount !== 'bigint') throw new InvalidRequest([{ path: '/body/amount', message: amount.message }])
      if (amount <= 0n) throw new InvalidRequest([{ path: '/body/amount', message: 'must be greater than 0' }])
      if (plan.row.status === 'cancelled') throw new PlanNotActive('cancelled', null)
      const today = this.today(plan)
      const rows = await planPayments(db, tenantId, planId)
      const booked = rows.filter((p) => p.reversedAt === null).map((p) => paymentRecord(p, plan.digits))
      const now = evaluatePlan(plan.terms, plan.rules, booked, today < plan.terms.acceptedOn ? plan.terms.acceptedOn : today)
      // Broken is final, whatever date the money carries: collection has resumed.
      if (now.status === 'broken') throw new PlanNotActive('broken', now.brokenOn)
      const bookedSeq = await nextBookingNumber(db)
      const candidate: PaymentRecord = { id: timeOrderedUuid(this.clock.now()), receivedOn: body.receivedOn, amount, bookedSeq: BigInt(bookedSeq) }
      const verdict = paymentAcceptance(plan.terms, plan.rules, booked, candidate, today)
      switch (verdict.kind) {
        case 'ok': break
        case 'amount-not-positive': throw new InvalidRequest([{ path: '/body/amount', message: 'must be greater than 0' }])
        case 'received-before-acceptance':
        case 'received-in-future': throw new ReceivedOnOutOfRange(body.receivedOn, plan.terms.acceptedOn, today)
        case 'plan-not-active': throw new PlanNotActive(verdict.status, verdict.brokenOn)
        case 'overpayment': throw new Overpayment(money(verdict.maxAmount, plan.digits), money(now.outstanding, plan.digits))
      }
      const state = evaluatePlan(plan.terms, plan.rules, [...booked, candidate], today)
      const createdAt = this.timestamp()
      const paymentRow: PaymentRow = {
        paymentId: candidate.id, planId, reference: body.reference, amount: money(amount, plan.digits), receivedOn: body.receivedOn,
        channel: body.channel ?? null, note: body.note ?? null, requestHash: hash, bookedSeq, createdAt, answer: '', reversedAt: null, reversalReason: null, reversalAnswer: null
      }
      const answer: PaymentResult = { payment: this.paymentView(plan, paymentRow, state), plan: { id: planId, status: state.status, ...this.position(plan, state) } }
      const text = JSON.stringify(answer)
      if (!await insertPayment(db, { ...paymentRow, tenantId, answer: text })) {
        // Another plan's payment took this reference meanwhile (the insert waited for it to commit):
        // its body differs, since the plan is part of it.
        const holder = await paymentByReference(db, tenantId, body.reference)
        throw new PaymentReferenceConflict(body.reference, holder?.paymentId ?? 'unknown')
      }
      const lifecycle = lifecycleOf(state, plan.rules)
      await saveLifecycle(db, tenantId, planId, lifecycle)
      await recordPlanEvents(db, [
        { tenantId, planId, type: 'plan.payment_recorded', position: answer.plan, payment: answer.payment },
        ...this.transitionEvents(tenantId, plan.row, plan.digits, state, lifecycle, answer.plan)
      ])
      return { body: text, replayed: false }
    })
  }

  /**
   * The events a saved lifecycle announces beyond the change itself: each installment missed since
   * the last save while the plan was active, then a new status (broken or completed; a reopened
   * plan is told by the reversal). Misses after the break are not announced: the plan is over and
   * the lender's collection process has the debt, so plan.broken is the plan's last word.
   */
  private transitionEvents (tenantId: string, was: Pick<ServicedPlanRow, 'planId' | 'status' | 'missed'>, digits: number, state: ServicingState, lifecycle: Lifecycle, after?: PaymentResult['plan']): NewPlanEvent[] {
    if (was.status === 'cancelled') return []
    const planId = was.planId
    const events: NewPlanEvent[] = []
    let position = after
    const positionAfter = (): PaymentResult['plan'] => (position ??= { id: planId, status: state.status, ...this.position({ digits }, state) })
    for (const r of state.installments) {
      if (r.missedOn === null || was.missed.includes(r.number)) continue
      if (state.brokenOn !== null && r.missedOn > state.brokenOn) continue
      const installment: MissedInstallment = { number: r.number, dueDate: r.dueDate, unpaid: money(r.unpaid, digits) }
      events.push({ tenantId, planId, type: 'plan.installment_missed', position: positionAfter(), installment })
    }
    if (lifecycle.status !== was.status && lifecycle.status !== 'active') {
      events.push({ tenantId, planId, type: lifecycle.status === 'broken' ? 'plan.broken' : 'plan.completed', position: positionAfter() })
    }
    return events
  }

  /** Reverses a payment (bounced, mistaken): later allocations are recomputed as if it never happened. */
  async reverse (tenantId: string, planId: string, paymentId: string, reason: string): Promise<PaymentAnswer> {
    return await inTransaction(this.pool, async (db) => {
      const plan = await this.load(db, tenantId, planId, true)
      const target = await paymentById(db, tenantId, planId, paymentId, true)
      if (target === undefined) throw new NotFound('payment')
      if (target.reversalAnswer !== null) return { body: target.reversalAnswer, replayed: true }
      const reversedAt = this.timestamp()
      const rows = (await planPayments(db, tenantId, planId)).filter((p) => p.reversedAt === null && p.paymentId !== paymentId)
      const today = this.today(plan)
      const state = evaluatePlan(plan.terms, plan.rules, rows.map((p) => paymentRecord(p, plan.digits)), today)
      const reversed: PaymentRow = { ...target, reversedAt, reversalReason: reason }
      const status = plan.row.status === 'cancelled' ? 'cancelled' : state.status
      const answer: PaymentResult = { payment: this.paymentView(plan, reversed, undefined), plan: { id: planId, status, ...this.position(plan, state) } }
      const text = JSON.stringify(answer)
      await markReversed(db, tenantId, paymentId, reason, reversedAt, text)
      const lifecycle = lifecycleOf(state, plan.rules)
      await saveLifecycle(db, tenantId, planId, lifecycle)
      await recordPlanEvents(db, [
        { tenantId, planId, type: 'plan.payment_reversed', position: answer.plan, payment: answer.payment },
        ...this.transitionEvents(tenantId, plan.row, plan.digits, state, lifecycle, answer.plan)
      ])
      return { body: text, replayed: false }
    })
  }

  async payment (tenantId: string, planId: string, paymentId: string): Promise<PaymentView> {
    const { plan, state, payments } = await this.evaluate(this.pool, tenantId, planId)
    const found = payments.find((p) => p.paymentId === paymentId)
    if (found === undefined) throw new NotFound('payment')
    return this.paymentView(plan, found, state)
  }

  async payments (tenantId: string, planId: string, query: PaymentListQueryShape): Promise<{ items: PaymentView[], nextCursor: string | null }> {
    const limit = query.limit ?? 20
    const after = query.cursor === undefined ? undefined : decodeSeqCursor(query.cursor, 'p')
    const { plan, state } = await this.evaluate(this.pool, tenantId, planId)
    const rows = await listPayments(this.pool, tenantId, planId, limit + 1, after)
    const items = rows.slice(0, limit)
    return {
      items: items.map((p) => this.paymentView(plan, p, state)),
      nextCursor: rows.length > limit ? encodeCursor(['p', items[items.length - 1]!.bookedSeq]) : null
    }
  }

  async payoff (tenantId: string, planId: string, asOf?: string): Promise<PayoffView> {
    const plan = await this.load(this.pool, tenantId, planId)
    const date = asOf ?? this.today(plan)
    if (date < plan.terms.acceptedOn) throw new InvalidRequest([{ path: '/querystring/asOf', message: `is before the plan was accepted (${plan.terms.acceptedOn})` }])
    if (plan.row.status === 'cancelled') throw new PlanNotActive('cancelled', null)
    const rows = (await planPayments(this.pool, tenantId, planId)).filter((p) => p.reversedAt === null)
    const quote = payoffQuote(plan.terms, plan.rules, rows.map((p) => paymentRecord(p, plan.digits)), date)
    if (quote.kind === 'plan-not-active') throw new PlanNotActive('broken', quote.brokenOn)
    const m = (v: bigint): string => money(v, plan.digits)
    return {
      planId,
      asOf: date,
      currency: plan.currency,
      amount: m(quote.amount),
      unpaidPrincipal: m(quote.unpaidPrincipal),
      unpaidInterestDue: m(quote.unpaidInterestDue),
      accruedInterest: m(quote.accruedInterest),
      unpaidFees: m(quote.unpaidFees),
      interestWaived: m(quote.interestWaived)
    }
  }

  /**
   * One page of the sweep, in one transaction: the tenant's active plans due for a check by
   * `horizon`, after `cursor`, locked (plans being paid meanwhile are skipped), evaluated as of
   * `asOf` (default: each plan's today) and their lifecycles saved in one statement.
   */
  async settlePage (tenantId: string, horizon: string, asOf: string | undefined, cursor: CheckCursor | undefined, limit: number): Promise<SettledPage> {
    return await inTransaction(this.pool, async (db) => {
      const rows = await lockPlansForCheck(db, tenantId, horizon, cursor, limit)
      const changes: Array<{ planId: string, lifecycle: Lifecycle }> = []
      const events: NewPlanEvent[] = []
      const failed: UnsettledPlan[] = []
      let changed = 0
      for (const row of rows) {
        const plan = await this.termsOf(db, tenantId, row)
        const date = asOf ?? dateIn(plan.rules.timeZone, this.clock.now())
        let state: ServicingState
        try {
          const payments = row.payments.map((p) => ({ id: p.paymentId, receivedOn: p.receivedOn, amount: minor(p.amount, plan.digits), bookedSeq: BigInt(p.bookedSeq) }))
          state = evaluatePlan(plan.terms, plan.rules, payments, date < plan.terms.acceptedOn ? plan.terms.acceptedOn : date)
        } catch (err) {
          // Stored data the ledger refuses (written around the API): this plan is left as it is and
          // named, the page goes on; the next sweep meets it again until someone repairs it.
          failed.push({ tenantId, planId: row.planId, error: err instanceof Error ? err.message : String(err) })
          continue
        }
        if (state.status !== row.status) changed++
        const lifecycle = lifecycleOf(state, plan.rules)
        changes.push({ planId: row.planId, lifecycle })
        for (const event of this.transitionEvents(tenantId, row, plan.digits, state, lifecycle)) events.push(event)
      }
      await saveLifecycles(db, tenantId, changes)
      await recordPlanEvents(db, events)
      const last = rows[rows.length - 1]
      return { examined: rows.length, changed, failed, cursor: last === undefined ? undefined : { nextCheckOn: last.nextCheckOn, planId: last.planId } }
    })
  }
}

/** A plan the sweep could not evaluate, and why. */
export interface UnsettledPlan { tenantId: string, planId: string, error: string }

export interface SettledPage { examined: number, changed: number, failed: UnsettledPlan[], cursor: CheckCursor | undefined }

/**
 * What is stored of the evaluation: the status and its date, and the first date on which the plan
 * could change with no new payment (an unpaid installment's grace ends, or its days past due reach
 * the break limit), always after `state.asOf`, so the sweep skips the plan until then.
 */
export function lifecycleOf (state: ServicingState, rules: ServicingPolicy): Lifecycle {
  let nextCheckOn: string | null = null
  if (state.status === 'active') {
    for (const r of state.installments) {
      if (r.unpaid === 0n || r.payment === 0n) continue
      const candidate = r.missed ? addDays(r.dueDate, rules.breakAfterDaysPastDue + 1) : addDays(r.dueDate, rules.graceDays + 1)
      const due = candidate > state.asOf ? candidate : addDays(state.asOf, 1)
      if (nextCheckOn === null || due < nextCheckOn) nextCheckOn = due
    }
  }
  const missed = state.installments.filter((r) => r.missed).map((r) => r.number)
  return { status: state.status, completedOn: state.completedOn, brokenOn: state.brokenOn, nextCheckOn, missed }
}
