import type { Queryable } from './pool.js'

/** What an idempotency key holds once answered: a created plan, or a refusal's code, detail and facts. */
export type StoredOutcome =
  | { outcome: 'created', requestHash: Buffer, planId: string, body: string }
  | { outcome: 'refused', requestHash: Buffer, code: string, detail: string, extensions: Record<string, unknown> }

/** A stored quote as an acceptance needs it: the one option asked for, selected in SQL. */
export interface QuoteForAcceptance {
  quoteId: string
  loanId: string
  currency: string
  policyName: string
  policyVersion: number
  expired: boolean
  expiresAt: string
  /** The option's JSON text, or null when the quote has no option of that id. */
  option: string | null
  /** The quote's option ids in order, when the one asked for is missing. */
  offered: string[] | null
}

export interface AcceptanceContext {
  quote: QuoteForAcceptance | undefined
  /** A committed answer under this key, unless the key is past its retention. */
  answered: StoredOutcome | undefined
  /** The database clock, which the new plan's created_at will carry. */
  now: string
}

export interface AcceptanceLookup { tenantId: string, key: string, quoteId: string, optionId: string }

interface OutcomeRow { outcome: string | null, body: string | null, planId: string | null, requestHash: Buffer | null }

function storedOutcome (r: OutcomeRow): StoredOutcome | undefined {
  if (r.outcome === null) return undefined
  if (r.outcome === 'created') return { outcome: 'created', requestHash: r.requestHash!, planId: r.planId!, body: r.body! }
  const refusal = JSON.parse(r.body!) as { detail: string, extensions: Record<string, unknown> }
  return { outcome: 'refused', requestHash: r.requestHash!, code: r.outcome, detail: refusal.detail, extensions: refusal.extensions }
}

/** A refusal as stored under its key. */
export function refusalBody (detail: string, extensions: Record<string, unknown>): string {
  return JSON.stringify({ detail, extensions })
}

/**
 * One round trip, no locks, for any number of acceptances: each one's quote with the option
 * asked for, and any committed answer under its key, in the order asked.
 */
export async function loadAcceptances (db: Queryable, lookups: readonly AcceptanceLookup[], retentionHours: number): Promise<AcceptanceContext[]> {
  const { rows } = await db.query<OutcomeRow & Omit<QuoteForAcceptance, 'quoteId'> & { quoteId: string | null, now: string }>({
    name: 'load-acceptances',
    text: `SELECT q.quote_id AS "quoteId", q.loan_id AS "loanId", q.currency, q.policy_name AS "policyName",
            q.policy_version AS "policyVersion", q.expires_at <= now() AS expired,
            to_char(q.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "expiresAt",
            o.option::text AS option,
            CASE WHEN o.option IS NULL THEN ARRAY(SELECT json_array_elements(q.options) ->> 'id') END AS offered,
            k.request_hash AS "requestHash", k.outcome, k.response_body AS body, k.plan_id AS "planId",
            to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now
     FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[]) WITH ORDINALITY AS a (tenant_id, key, quote_id, option_id, ord)
     LEFT JOIN quotes q ON q.tenant_id = a.tenant_id AND q.quote_id = a.quote_id
     LEFT JOIN LATERAL (SELECT (SELECT e FROM json_array_elements(q.options) AS e WHERE e ->> 'id' = a.option_id LIMIT 1) AS option) o ON true
     LEFT JOIN idempotency_keys k ON k.tenant_id = a.tenant_id AND k.key = a.key
       AND k.created_at >= now() - make_interval(hours => $5)
     ORDER BY a.ord`,
    values: [lookups.map((l) => l.tenantId), lookups.map((l) => l.key), lookups.map((l) => l.quoteId), lookups.map((l) => l.optionId), retentionHours]
  })
  return rows.map((r) => ({
    quote: r.quoteId === null
      ? undefined
      : { quoteId: r.quoteId, loanId: r.loanId, currency: r.currency, policyName: r.policyName, policyVersion: r.policyVersion, expired: r.expired, expiresAt: r.expiresAt, option: r.option, offered: r.offered },
    answered: storedOutcome(r),
    now: r.now
  }))
}

/** Everything one acceptance sends: its key, the plan's id and the answers it may get. */
export interface PlanAcceptance {
  tenantId: string
  key: string
  requestHash: Buffer
  planId: string
  quoteId: string
  optionId: string
  acceptedBy: string | null
  channel: string | null
  note: string | null
  createdAt: string
  createdBody: string
  /** The stored refusal if the loan has an active plan; the database puts that plan's id in place of the marker. */
  conflictBody: string
  conflictMarker: string
}

/** created; or refused by this call (`fresh`, the loan has an active plan); or an earlier answer under the key. */
export type AcceptResult = { created: true } | { created: false, fresh: boolean, answer: StoredOutcome }

/**
 * Any number of acceptances (no two with the same key) in one statement and one commit: the
 * accept_plans function (migrations/functions/accept_plans.sql). All or nothing.
 */
export async function acceptPlans (db: Queryable, batch: readonly PlanAcceptance[], retentionHours: number): Promise<AcceptResult[]> {
  const items = batch.map((a, ord) => ({ ...a, ord, requestHash: a.requestHash.toString('hex') }))
  const { rows } = await db.query<OutcomeRow & { ord: number, claimed: boolean }>({
    name: 'accept-plans',
    text: `SELECT ord, claimed, outcome, response_body AS body, plan_id AS "planId", request_hash AS "requestHash"
     FROM accept_plans($1::jsonb, $2)`,
    values: [JSON.stringify(items), retentionHours]
  })
  const results = new Array<AcceptResult>(batch.length)
  for (const r of rows) {
    // A new plan's document is the one this side built: it does not travel back.
    results[r.ord] = r.body === null ? { created: true } : { created: false, fresh: r.claimed, answer: storedOutcome(r)! }
  }
  return results
}

/**
 * Stores a refusal under the key in one statement. False when another request got the key first
 * (this waits for it, bounded by lock_timeout): then its answer is the one to replay.
 */
export async function storeRefusal (db: Queryable, tenantId: string, key: string, requestHash: Buffer, retentionHours: number, code: string, body: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO idempotency_keys AS k (tenant_id, key, request_hash, outcome, response_body) VALUES ($1, $2, $3, $5, $6)
     ON CONFLICT (tenant_id, key) DO UPDATE
       SET request_hash = EXCLUDED.request_hash, outcome = EXCLUDED.outcome, response_body = EXCLUDED.response_body,
           plan_id = NULL, created_at = now()
       WHERE k.created_at < now() - make_interval(hours => $4)`,
    [tenantId, key, requestHash, retentionHours, code, body])
  return rowCount === 1
}

/** The outcome stored under a key (committed by an earlier request). */
export async function storedAnswer (db: Queryable, tenantId: string, key: string): Promise<StoredOutcome | undefined> {
  const { rows } = await db.query<OutcomeRow>(
    `SELECT request_hash AS "requestHash", outcome, response_body AS body, plan_id AS "planId"
     FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`, [tenantId, key])
  return rows[0] === undefined ? undefined : storedOutcome(rows[0])
}
