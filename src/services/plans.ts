import { createHash, randomUUID } from 'node:crypto'
import type { StoredAnswer, StoredQuoteForAcceptance } from '../db/acceptance-repository.js'
import type { Acceptances } from '../db/acceptances.js'
import { cancelPlan as cancelPlanRow, findPlanWithSchedule, listPlans as listPlanRows, type PlanRecord } from '../db/plans-repository.js'
import type { Queryable } from '../db/pool.js'
import { retrying } from '../db/retry.js'
import { notFound, Problem, problemType } from '../http/problems.js'
import type { AcceptPlanBody, PlanSummaryView, PlanView } from '../http/schemas/plan.js'
import type { QuoteOptionView, QuoteView } from '../http/schemas/quote.js'
import { planSummary, planView } from './plan-view.js'
import { optionText } from './quote-option-locator.js'

export interface AcceptOutcome { status: number, body: string, location: string | null, replayed: boolean }

const PLANS_PATH = '/v1/plans'

/** Canonical JSON (sorted keys) so the same body hashes the same however the client ordered it. */
export function requestHash (request: AcceptPlanBody): Buffer {
  // A UUID is the same in either case; hash it one way so a retry in the other case replays.
  const body = { ...request, quoteId: request.quoteId.toLowerCase() }
  const canonical = JSON.stringify(Object.keys(body).sort().map((k) => [k, body[k as keyof AcceptPlanBody]]))
  return createHash('sha256').update(`POST ${PLANS_PATH}\n${canonical}`).digest()
}

function problemOutcome (status: number, slug: string, title: string, detail: string, extensions: Record<string, unknown> = {}): Omit<AcceptOutcome, 'replayed'> {
  return { status, location: null, body: JSON.stringify({ type: problemType(slug), title, status, detail, instance: PLANS_PATH, ...extensions }) }
}

/**
 * Accepts one option of a stored quote, exactly once per idempotency key: the key, the plan and
 * its installments commit together or not at all (one statement, the accept_plan function); a
 * retry replays the stored answer. Two round trips: load the quote (and any earlier answer), then
 * write. Deadlocks and serialization failures are retried.
 */
export async function acceptPlan (store: Acceptances, tenantId: string, key: string, body: AcceptPlanBody): Promise<AcceptOutcome> {
  const hash = requestHash(body)
  try {
    return await retrying(async () => await acceptOnce(store, tenantId, key, hash, body))
  } catch (err) {
    // accept_plan reports RPK01 when waiting on a concurrent request with the same key outlasted
    // lock_timeout; any other lock timeout (a table lock elsewhere) stays a 503.
    const code = (err as { code?: string }).code
    if (code === 'RPK01') throw keyInFlight()
    if (code === 'RPL01') {
      throw new Problem(409, 'loan-acceptance-in-flight', 'Conflict', 'another acceptance of this loan is still being processed; retry shortly', {}, { 'retry-after': '1' })
    }
    throw err
  }
}

/** One option of a stored quote body, parsed alone when it can be located (see optionText). */
function storedOption (body: string, optionId: string): QuoteOptionView | undefined {
  const text = optionText(body, optionId)
  const option = text === undefined ? undefined : JSON.parse(text) as QuoteOptionView
  if (option?.id === optionId) return option
  return (JSON.parse(body) as QuoteView).options.find((o) => o.id === optionId)
}

function keyInFlight (): Problem {
  return new Problem(409, 'idempotency-key-in-flight', 'Conflict', 'a request with this Idempotency-Key is still being processed; retry shortly', {}, { 'retry-after': '1' })
}

async function acceptOnce (store: Acceptances, tenantId: string, key: string, hash: Buffer, body: AcceptPlanBody): Promise<AcceptOutcome> {
  const context = await store.load({ tenantId, key, quoteId: body.quoteId })
  if (context.answered !== undefined) return replay(context.answered, hash)
  // The plan is built from the stored quote, never from numbers the client sends.
  const stored = context.quote
  const option = stored === undefined ? undefined : storedOption(stored.body, body.optionId)
  const today = context.now.slice(0, 10)
  if (stored === undefined || option === undefined || stored.expired || option.firstPaymentDate < today) {
    const refused = refusal(stored === undefined ? undefined : JSON.parse(stored.body) as QuoteView, stored?.expiresAt, body.optionId, today)
    let kept: boolean
    try {
      kept = await store.storeRefusal(tenantId, key, hash, refused.status, refused.body)
    } catch (err) {
      // The key row is the only lock this insert waits for.
      if ((err as { code?: string }).code === '55P03') throw keyInFlight()
      throw err
    }
    if (kept) return { ...refused, replayed: false }
    const earlier = await store.storedAnswer(tenantId, key)
    // Pruned between the two statements (past its retention): start over, the key is free again.
    if (earlier === undefined) throw Object.assign(new Error('idempotency key vanished'), { code: '40001' })
    return replay(earlier, hash)
  }
  const plan = newPlan(tenantId, stored, option, body)
  const planId = randomUUID()
  const location = `${PLANS_PATH}/${planId}`
  const record: PlanRecord = { ...plan, planId, status: 'active', createdAt: context.now, cancelledAt: null, cancelReason: null }
  // The 409 is written by the database, which alone knows the winning plan's id: a marker stands in.
  const marker = randomUUID()
  const conflict = problemOutcome(409, 'active-plan-exists', 'Conflict',
    `loan ${stored.loanId} already has an active plan (${marker}); cancel it first to accept another option`, { existingPlanId: marker })
  const result = await store.write({
    key, requestHash: hash, planId, createdAt: context.now, plan, schedule: option.schedule,
    createdBody: JSON.stringify(planView(record, option.schedule)), location, conflictBody: conflict.body, conflictMarker: marker
  })
  if (result.outcome === 'replay') return replay(result.answer, hash)
  return { status: result.answer.statusCode, body: result.answer.body, location: result.answer.location, replayed: false }
}

function replay (stored: StoredAnswer, hash: Buffer): AcceptOutcome {
  if (!stored.requestHash.equals(hash)) {
    throw new Problem(422, 'idempotency-key-reused', 'Unprocessable Content', 'this Idempotency-Key was used with a different request body; use a new key for a new request')
  }
  return { status: stored.statusCode, body: stored.body, location: stored.location, replayed: true }
}

/** Why a quote cannot be accepted: missing (or another tenant's), no such option, or expired. */
function refusal (quote: QuoteView | undefined, expiresAt: string | undefined, optionId: string, today: string): Omit<AcceptOutcome, 'replayed'> {
  if (quote === undefined) return problemOutcome(404, 'not-found', 'Not Found', 'the quote was not found')
  const option = quote.options.find((o) => o.id === optionId)
  if (option === undefined) {
    return problemOutcome(422, 'unknown-option', 'Unprocessable Content', `the quote has no option "${optionId}"; it offers: ${quote.options.map((o) => o.id).join(', ')}`)
  }
  // A quote computed for an old asOf would start the agreement already in arrears.
  if (option.firstPaymentDate < today) {
    return problemOutcome(422, 'schedule-in-past', 'Unprocessable Content', `the option's first payment (${option.firstPaymentDate}) is already past; request a quote with a current asOf`)
  }
  return problemOutcome(410, 'quote-expired', 'Gone', `the quote expired at ${expiresAt}; request a new quote`, { expiresAt })
}

function newPlan (tenantId: string, quote: StoredQuoteForAcceptance, option: QuoteOptionView, body: AcceptPlanBody) {
  return {
    tenantId,
    loanId: quote.loanId,
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
    policyName: quote.policyName,
    policyVersion: quote.policyVersion,
    acceptedBy: body.acceptedBy ?? null,
    channel: body.channel ?? null,
    note: body.note ?? null
  }
}

export async function getPlan (db: Queryable, tenantId: string, planId: string): Promise<PlanView> {
  const plan = await findPlanWithSchedule(db, tenantId, planId)
  if (plan === undefined) throw notFound('the plan')
  return planView(plan, plan.schedule)
}

export async function cancelPlan (db: Queryable, tenantId: string, planId: string, reason: string): Promise<PlanView> {
  // Cancelling twice is a no-op: the plan comes back as it is.
  await cancelPlanRow(db, tenantId, planId, reason)
  return await getPlan(db, tenantId, planId)
}

const CURSOR = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function encodeCursor (p: PlanSummaryView): string {
  return Buffer.from(JSON.stringify([p.createdAt, p.id])).toString('base64url')
}

function decodeCursor (cursor: string): { createdAt: string, planId: string } {
  try {
    const [createdAt, planId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    // The round trip through Date rejects impossible instants (Feb 30, hour 25) that match the pattern.
    if (typeof createdAt === 'string' && CURSOR.test(createdAt) && typeof planId === 'string' && UUID.test(planId) &&
      new Date(createdAt).toISOString().slice(0, 23) === createdAt.slice(0, 23)) return { createdAt, planId }
  } catch {}
  throw new Problem(400, 'invalid-cursor', 'Bad Request', 'the cursor is not one this API issued; start again without it', { errors: [{ path: '/querystring/cursor', message: 'is not a valid cursor' }] })
}

export async function listPlans (db: Queryable, tenantId: string, query: { loanId?: string, status?: string, limit?: number, cursor?: string }) {
  const q = { ...query, limit: query.limit ?? 20 }
  const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor)
  const rows = await listPlanRows(db, tenantId, { loanId: q.loanId, status: q.status, limit: q.limit + 1, after })
  const items = rows.slice(0, q.limit).map(planSummary)
  return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1]!) : null }
}
