import type { Queryable } from './pool.js'
import type { InstallmentRow, NewPlan } from './plans-repository.js'

export interface StoredAnswer { requestHash: Buffer, statusCode: number, body: string, location: string | null }

export interface AcceptanceContext {
  quote: { body: string, expired: boolean, expiresAt: string } | undefined
  /** A committed answer under this key, unless the key is past its retention. */
  answered: StoredAnswer | undefined
  /** The database clock, which the new plan's created_at will carry. */
  now: string
}

/** One round trip, no locks: the quote to accept and any committed answer under the key. */
export async function loadAcceptance (db: Queryable, tenantId: string, key: string, quoteId: string, retentionHours: number): Promise<AcceptanceContext> {
  const { rows } = await db.query<{ body: string | null, expired: boolean | null, expiresAt: string | null, requestHash: Buffer | null, statusCode: number | null, answer: string | null, location: string | null, now: string }>(
    `SELECT q.body, q.expires_at <= now() AS expired,
            to_char(q.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "expiresAt",
            k.request_hash AS "requestHash", k.status_code AS "statusCode", k.response_body AS answer, k.location,
            to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now
     FROM (SELECT 1) AS one
     LEFT JOIN quotes q ON q.tenant_id = $1 AND q.quote_id = $3
     LEFT JOIN idempotency_keys k ON k.tenant_id = $1 AND k.key = $2 AND k.status_code IS NOT NULL
       AND k.created_at >= now() - make_interval(hours => $4)`,
    [tenantId, key, quoteId, retentionHours])
  const r = rows[0]!
  return {
    quote: r.body === null ? undefined : { body: r.body, expired: r.expired === true, expiresAt: r.expiresAt! },
    answered: r.statusCode === null ? undefined : { requestHash: r.requestHash!, statusCode: r.statusCode, body: r.answer!, location: r.location },
    now: r.now
  }
}

export interface AcceptResult { outcome: 'created' | 'conflict' | 'replay', answer: StoredAnswer }

/** One round trip: the accept_plan function (migration 005) claims the key and writes everything. */
export async function acceptPlanAtomically (db: Queryable, a: {
  key: string, requestHash: Buffer, retentionHours: number, planId: string, createdAt: string, plan: NewPlan,
  schedule: readonly InstallmentRow[], createdBody: string, location: string, conflictBody: string, conflictMarker: string
}): Promise<AcceptResult> {
  const p = a.plan
  const s = a.schedule
  const { rows } = await db.query<{ outcome: AcceptResult['outcome'], statusCode: number, body: string, location: string | null, requestHash: Buffer }>(
    `SELECT outcome, status_code AS "statusCode", response_body AS body, location, request_hash AS "requestHash"
     FROM accept_plan($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
       $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37)`,
    [p.tenantId, a.key, a.requestHash, a.retentionHours, a.planId, a.createdAt, p.loanId, p.quoteId, p.optionId, p.type,
      p.termMonths, p.method, p.holidayMonths, p.currency, p.amountFinanced, p.totalRepayable, p.totalInterest,
      p.penaltyWaived, p.discount, p.capitalizedInterest, p.maxPayment, p.apr, p.policyName, p.policyVersion,
      p.acceptedBy, p.channel, p.note,
      s.map((r) => r.number), s.map((r) => r.dueDate), s.map((r) => r.payment), s.map((r) => r.principal),
      s.map((r) => r.interest), s.map((r) => r.balance),
      a.createdBody, a.location, a.conflictBody, a.conflictMarker])
  const r = rows[0]!
  return { outcome: r.outcome, answer: { requestHash: r.requestHash, statusCode: r.statusCode, body: r.body, location: r.location } }
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
