import { createHash, randomUUID } from 'node:crypto'
import type pg from 'pg'
import {
  ActivePlanExists, DomainError, IdempotencyKeyReused, NotFound, QuoteExpired, replayedRefusal, ScheduleInPast, UnknownOption
} from '../domain/errors.js'
import type { Acceptances } from '../db/acceptances.js'
import { refusalBody, type QuoteForAcceptance, type StoredOutcome } from '../db/acceptance-repository.js'
import { recordPlanEvents } from '../db/events-repository.js'
import { inTransaction } from '../db/transaction.js'
import { cancelPlan as cancelPlanRow, findPlanWithSchedule, listPlans as listPlanRows, type PlanFilter } from '../db/plans-repository.js'
import type { AcceptPlanBody, PlanListQueryShape, PlanSummary, PlanView } from '../schemas/plan.js'
import type { QuoteOptionView } from '../schemas/quote.js'
import { decodeCreatedCursor, encodeCursor } from './cursor.js'
import type { ServicingService } from './servicing.js'

/** A plan as first answered: its id and document, and whether this is a replay of that answer. */
export interface AcceptedPlan { planId: string, body: string, replayed: boolean }

// Kept as the hash's prefix so keys stored before the service took its current shape still match.
const REQUEST_SCOPE = 'POST /v1/plans'

/** Canonical JSON (sorted keys) so the same body hashes the same however the client ordered it. */
export function requestHash (request: AcceptPlanBody): Buffer {
  // A UUID is the same in either case; hash it one way so a retry in the other case replays.
  const body = { ...request, quoteId: request.quoteId.toLowerCase() }
  const canonical = JSON.stringify(Object.keys(body).sort().map((k) => [k, body[k as keyof AcceptPlanBody]]))
  return createHash('sha256').update(`${REQUEST_SCOPE}\n${canonical}`).digest()
}

/** Accepting plans, reading, listing and cancelling them; every refusal is a domain error. */
export class PlanService {
  constructor (private readonly db: pg.Pool, private readonly acceptances: Acceptances, private readonly servicing: ServicingService) {}

  /**
   * Accepts one option of a stored quote, exactly once per idempotency key: the key, the plan and
   * its installments commit together or not at all (one statement, accept_plans); a retry replays
   * the stored outcome, a refusal included. The plan is built from the stored quote, never from
   * numbers the client sends.
   */
  async accept (tenantId: string, key: string, request: AcceptPlanBody): Promise<AcceptedPlan> {
    const hash = requestHash(request)
    for (;;) {
      const context = await this.acceptances.load({ tenantId, key, quoteId: request.quoteId, optionId: request.optionId })
      if (context.answered !== undefined) return replay(context.answered, hash)
      const today = context.now.slice(0, 10)
      const quote = context.quote
      const option = quote?.option == null ? undefined : JSON.parse(quote.option) as QuoteOptionView
      const refusal = refusalOf(quote, option, request.optionId, today)
      if (refusal !== undefined) {
        // A quote id that does not exist (or is another tenant's) stores nothing under the key:
        // random ids must not fill the table, and the answer is the same on every retry anyway.
        if (quote === undefined) throw refusal
        if (await this.acceptances.storeRefusal(tenantId, key, hash, refusal.code, refusalBody(refusal.message, refusal.extensions))) throw refusal
        const earlier = await this.acceptances.storedAnswer(tenantId, key)
        // Pruned between the two statements (past its retention): start over, the key is free again.
        if (earlier === undefined) continue
        return replay(earlier, hash)
      }
      return await this.create(tenantId, key, hash, request, quote!, option!, context.now)
    }
  }

  private async create (tenantId: string, key: string, hash: Buffer, request: AcceptPlanBody, quote: QuoteForAcceptance, option: QuoteOptionView, now: string): Promise<AcceptedPlan> {
    const planId = randomUUID()
    const plan = newPlan(planId, quote, option, request, now)
    const body = JSON.stringify(plan)
    // Only the database knows the winning plan's id when the loan has one: a marker stands in.
    const marker = randomUUID()
    const conflict = new ActivePlanExists(quote.loanId, marker)
    const result = await this.acceptances.write({
      tenantId,
      key,
      requestHash: hash,
      planId,
      quoteId: quote.quoteId,
      optionId: option.id,
      acceptedBy: plan.acceptedBy,
      channel: plan.channel,
      note: plan.note,
      createdAt: now,
      createdBody: body,
      conflictBody: refusalBody(conflict.message, conflict.extensions),
      conflictMarker: marker
    })
    if (result.created) return { planId, body, replayed: false }
    if (result.fresh && result.answer.outcome === 'refused') {
      // Refused by this very write (the loan has an active plan): the first answer, not a replay.
      const { detail, extensions, code } = result.answer
      throw new DomainError(code, detail, extensions)
    }
    return replay(result.answer, hash)
  }

  /** The plan with where it stands on `asOf` (default: today in its policy's time zone). */
  async get (tenantId: string, planId: string, asOf?: string): Promise<PlanView> {
    const plan = await findPlanWithSchedule(this.db, tenantId, planId)
    if (plan === undefined) throw new NotFound('plan')
    // The plan as read is what servicing evaluates: one read of the plan and its schedule, not two.
    const terms = {
      planId: plan.id,
      loanId: plan.loanId,
      status: plan.status,
      currency: plan.currency,
      amountFinanced: plan.amountFinanced,
      penaltyWaived: plan.penaltyWaived,
      policyName: plan.policy.name,
      policyVersion: plan.policy.version,
      createdAt: plan.createdAt,
      schedule: plan.schedule
    }
    const { plan: serviced, state } = await this.servicing.evaluateServiced(this.db, tenantId, await this.servicing.serviced(this.db, tenantId, terms), asOf)
    return {
      ...plan,
      // Cancelling is the lender's act, not a date's: it stands whatever the evaluation says.
      status: plan.status === 'cancelled' ? 'cancelled' : state.status,
      ...this.servicing.position(serviced, state),
      schedule: this.servicing.scheduleRows(serviced, state)
    }
  }

  /** active → cancelled; cancelling again returns the plan as it is. */
  async cancel (tenantId: string, planId: string, reason: string): Promise<PlanView> {
    await inTransaction(this.db, async (db) => {
      if (await cancelPlanRow(db, tenantId, planId, reason)) await recordPlanEvents(db, [{ tenantId, planId, type: 'plan.cancelled' }])
    })
    return await this.get(tenantId, planId)
  }

  async list (tenantId: string, query: PlanListQueryShape): Promise<{ items: PlanSummary[], nextCursor: string | null }> {
    const limit = query.limit ?? 20
    const filter: PlanFilter = { loanId: query.loanId, status: query.status, limit: limit + 1, after: query.cursor === undefined ? undefined : planCursor(query.cursor) }
    const rows = await listPlanRows(this.db, tenantId, filter)
    const items = rows.slice(0, limit)
    return { items, nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1]!.createdAt, items[items.length - 1]!.id]) : null }
  }
}

function replay (stored: StoredOutcome, hash: Buffer): AcceptedPlan {
  if (!stored.requestHash.equals(hash)) throw new IdempotencyKeyReused()
  if (stored.outcome === 'created') return { planId: stored.planId, body: stored.body, replayed: true }
  throw replayedRefusal(stored.code, stored.detail, stored.extensions)
}

/** Why a quote cannot be accepted: missing (or another tenant's), no such option, expired, or already past. */
function refusalOf (quote: QuoteForAcceptance | undefined, option: QuoteOptionView | undefined, optionId: string, today: string): DomainError | undefined {
  if (quote === undefined) return new NotFound('quote')
  if (option === undefined) return new UnknownOption(optionId, quote.offered ?? [])
  if (option.firstPaymentDate < today) return new ScheduleInPast(option.firstPaymentDate)
  if (quote.expired) return new QuoteExpired(quote.expiresAt)
  return undefined
}

/** The plan's document as first answered, in the order of the Plan schema. */
function newPlan (planId: string, quote: QuoteForAcceptance, option: QuoteOptionView, request: AcceptPlanBody, now: string): PlanView {
  return {
    id: planId,
    loanId: quote.loanId,
    status: 'active',
    quoteId: quote.quoteId,
    optionId: option.id,
    type: option.type,
    termMonths: option.termMonths,
    method: option.method,
    holidayMonths: option.holidayMonths,
    currency: quote.currency,
    amountFinanced: option.amountFinanced,
    totalRepayable: option.totalRepayable,
    totalInterest: option.totalInterest,
    penaltyWaived: option.penaltyWaived,
    discount: option.discount,
    capitalizedInterest: option.capitalizedInterest,
    maxPayment: option.maxPayment,
    apr: option.apr,
    policy: { name: quote.policyName, version: quote.policyVersion },
    acceptedBy: request.acceptedBy ?? null,
    channel: request.channel ?? null,
    note: request.note ?? null,
    createdAt: now,
    cancelledAt: null,
    cancelReason: null,
    schedule: option.schedule
  }
}

function planCursor (cursor: string): { createdAt: string, planId: string } {
  const { createdAt, id } = decodeCreatedCursor(cursor)
  return { createdAt, planId: id }
}
