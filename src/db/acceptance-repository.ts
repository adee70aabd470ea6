import type { Queryable } from './pool.js'
import type { InstallmentRow, NewPlan } from './plans-repository.js'

export interface StoredAnswer { requestHash: Buffer, statusCode: number, body: string, location: string | null }

/** A stored quote as an acceptance needs it: the body, and the columns a plan copies. */
export interface StoredQuoteForAcceptance {
  quoteId: string
  loanId: string
  currency: string
  policyName: string
  policyVersion: number
  body: string
  expired: boolean
  expiresAt: string
}

export interface AcceptanceContext {
  quote: StoredQuoteForAcceptance | undefined
  /** A committed answer under this key, unless the key is past its retention. */
  answered: StoredAnswer | undefined
  /** The database clock, which the new plan's created_at will carry. */
  now: string
}

export interface AcceptanceLookup { tenantId: string, key: string, quoteId: string }

/**
 * One round trip, no locks, for any number of acceptances: each one's quote and any committed
 * answer under its key, in the order asked.
 */
export async function loadAcceptances (db: Queryable, lookups: readonly AcceptanceLookup[], retentionHours: number): Promise<AcceptanceContext[]> {
  const { rows } = await db.query<{ quoteId: string | null, loanId: string, currency: string, policyName: string, policyVersion: number, body: string, expired: boolean, expiresAt: string, requestHash: Buffer | null, statusCode: number | null, answer: string | null, location: string | null, now: string }>({
    name: 'load-acceptances',
    text: `SELECT q.quote_id AS "quoteId", q.loan_id AS "loanId", q.currency, q.policy_name AS "policyName",
            q.policy_version AS "policyVersion", q.body, q.expires_at <= now() AS expired,
            to_char(q.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "expiresAt",
            k.request_hash AS "requestHash", k.status_code AS "statusCode", k.response_body AS answer, k.location,
            to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now
     FROM unnest($1::uuid[], $2::text[], $3::uuid[]) WITH ORDINALITY AS a (tenant_id, key, quote_id, ord)
     LEFT JOIN quotes q ON q.tenant_id = a.tenant_id AND q.quote_id = a.quote_id
     LEFT JOIN idempotency_keys k ON k.tenant_id = a.tenant_id AND k.key = a.key AND k.status_code IS NOT NULL
       AND k.created_at >= now() - make_interval(hours => $4)
     ORDER BY a.ord`,
    values: [lookups.map((l) => l.tenantId), lookups.map((l) => l.key), lookups.map((l) => l.quoteId), retentionHours]
  })
  return rows.map((r) => ({
    quote: r.quoteId === null
      ? undefined
      : { quoteId: r.quoteId, loanId: r.loanId, currency: r.currency, policyName: r.policyName, policyVersion: r.policyVersion, body: r.body, expired: r.expired, expiresAt: r.expiresAt },
    answered: r.statusCode === null ? undefined : { requestHash: r.requestHash!, statusCode: r.statusCode, body: r.answer!, location: r.location },
    now: r.now
  }))
}

export interface AcceptResult { outcome: 'created' | 'conflict' | 'replay', answer: StoredAnswer }

/** Everything one acceptance writes: its key, its plan and schedule, and both possible answers. */
export interface PlanAcceptance {
  key: string
  requestHash: Buffer
  planId: string
  createdAt: string
  plan: NewPlan
  schedule: readonly InstallmentRow[]
  createdBody: string
  location: string
  /** The 409 answer; the database replaces the marker with the id of the loan's active plan. */
  conflictBody: string
  conflictMarker: string
}

/** One round trip: the accept_plan function (migrations 005, 006, 010) claims the key and writes everything. */
export async function acceptPlanAtomically (db: Queryable, a: PlanAcceptance, retentionHours: number): Promise<AcceptResult> {
  const p = a.plan
  const s = a.schedule
  const { rows } = await db.query<{ outcome: AcceptResult['outcome'], statusCode: number, body: string, location: string | null, requestHash: Buffer }>({
    name: 'accept-plan',
    text: `SELECT outcome, status_code AS "statusCode", response_body AS body, location, request_hash AS "requestHash"
     FROM accept_plan($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
       $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37)`,
    values: [p.tenantId, a.key, a.requestHash, retentionHours, a.planId, a.createdAt, p.loanId, p.quoteId, p.optionId, p.type,
      p.termMonths, p.method, p.holidayMonths, p.currency, p.amountFinanced, p.totalRepayable, p.totalInterest,
      p.penaltyWaived, p.discount, p.capitalizedInterest, p.maxPayment, p.apr, p.policyName, p.policyVersion,
      p.acceptedBy, p.channel, p.note,
      s.map((r) => r.number), s.map((r) => r.dueDate), s.map((r) => r.payment), s.map((r) => r.principal),
      s.map((r) => r.interest), s.map((r) => r.balance),
      a.createdBody, a.location, a.conflictBody, a.conflictMarker]
  })
  const r = rows[0]!
  return { outcome: r.outcome, answer: { requestHash: r.requestHash, statusCode: r.statusCode, body: r.body, location: r.location } }
}

/**
 * Many acceptances in one round trip and one commit: the accept_plans function (migrations 008, 009)
 * applies accept_plan's rules to the set. No two may share a key (the caller sends repeats on
 * their own). All or nothing: on any error nothing of the batch is written.
 */
export async function acceptPlansAtomically (db: Queryable, batch: readonly PlanAcceptance[], retentionHours: number): Promise<AcceptResult[]> {
  const items = batch.map((a, ord) => {
    const p = a.plan
    return {
      ord,
      tenant_id: p.tenantId,
      key: a.key,
      request_hash: `\\x${a.requestHash.toString('hex')}`,
      plan_id: a.planId,
      created_at: a.createdAt,
      loan_id: p.loanId,
      quote_id: p.quoteId,
      option_id: p.optionId,
      option_type: p.type,
      term_months: p.termMonths,
      method: p.method,
      holiday_months: p.holidayMonths,
      currency: p.currency,
      amount_financed: p.amountFinanced,
      total_repayable: p.totalRepayable,
      total_interest: p.totalInterest,
      penalty_waived: p.penaltyWaived,
      discount: p.discount,
      capitalized_interest: p.capitalizedInterest,
      max_payment: p.maxPayment,
      apr: p.apr,
      policy_name: p.policyName,
      policy_version: p.policyVersion,
      accepted_by: p.acceptedBy,
      channel: p.channel,
      note: p.note,
      created_body: a.createdBody,
      location: a.location,
      conflict_body: a.conflictBody,
      conflict_marker: a.conflictMarker
    }
  })
  const installments = batch.flatMap((a, ord) => a.schedule.map((r) => ({
    ord, number: r.number, due_date: r.dueDate, payment: r.payment, principal: r.principal, interest: r.interest, balance: r.balance
  })))
  const { rows } = await db.query<{ ord: number, outcome: AcceptResult['outcome'], statusCode: number, body: string | null, location: string | null, requestHash: Buffer }>({
    name: 'accept-plans',
    text: `SELECT ord, outcome, status_code AS "statusCode", response_body AS body, location, request_hash AS "requestHash"
     FROM accept_plans($1::json, $2::json, $3)`,
    values: [JSON.stringify(items), JSON.stringify(installments), retentionHours]
  })
  const results = new Array<AcceptResult>(batch.length)
  for (const r of rows) {
    // A new plan's body is the one this side built: it does not travel back.
    const body = r.body ?? batch[r.ord]!.createdBody
    results[r.ord] = { outcome: r.outcome, answer: { requestHash: r.requestHash, statusCode: r.statusCode, body, location: r.location } }
  }
  return results
}

/**
 * Stores a refusal under the key in one statement. False when another request got the key first
 * (this waits for it, bounded by lock_timeout): then its answer is the one to replay.
 */
export async function storeRefusal (db: Queryable, tenantId: string, key: string, requestHash: Buffer, retentionHours: number, statusCode: number, body: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO idempotency_keys AS k (tenant_id, key, request_hash, status_code, response_body) VALUES ($1, $2, $3, $5, $6)
     ON CONFLICT (tenant_id, key) DO UPDATE
       SET request_hash = EXCLUDED.request_hash, status_code = EXCLUDED.status_code, response_body = EXCLUDED.response_body,
           location = NULL, created_at = now()
       WHERE k.created_at < now() - make_interval(hours => $4)`,
    [tenantId, key, requestHash, retentionHours, statusCode, body])
  return rowCount === 1
}
