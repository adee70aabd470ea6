import type { Queryable } from './pool.js'
import type { InstallmentRow, NewPlan } from './plans-repository.js'

export interface ClaimResult {
  /** True when the key is now this transaction's; false when an earlier request holds an answer. */
  claimed: boolean
  quote: { body: string, expired: boolean, expiresAt: string } | undefined
  /** The transaction's timestamp: what created_at of a plan inserted in it will be. */
  now: string
}

/**
 * One round trip: claims the idempotency key (waiting, bounded by lock_timeout, for a concurrent
 * holder of the same key) and loads the quote to accept, with its expiry by the database clock.
 * Keys older than the retention are taken over as new.
 */
export async function claimKeyAndLoadQuote (db: Queryable, tenantId: string, key: string, requestHash: Buffer, retentionHours: number, quoteId: string): Promise<ClaimResult> {
  const { rows } = await db.query<{ claimed: boolean, body: string | null, expired: boolean | null, expiresAt: string | null, now: string }>(
    `WITH claim AS (
       INSERT INTO idempotency_keys (tenant_id, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status_code = NULL, response_body = NULL, location = NULL, created_at = now()
         WHERE idempotency_keys.created_at < now() - make_interval(hours => $4)
       RETURNING 1)
     SELECT EXISTS (SELECT 1 FROM claim) AS claimed, q.body, q.expires_at <= now() AS expired,
            to_char(q.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "expiresAt",
            to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now
     FROM (SELECT 1) AS one LEFT JOIN quotes q ON q.tenant_id = $1 AND q.quote_id = $5`,
    [tenantId, key, requestHash, retentionHours, quoteId])
  const row = rows[0]!
  return {
    claimed: row.claimed,
    quote: row.body === null ? undefined : { body: row.body, expired: row.expired === true, expiresAt: row.expiresAt! },
    now: row.now
  }
}

/**
 * One round trip: inserts the plan unless the loan has an active one (the partial unique index
 * decides), its whole schedule, and the answer under the idempotency key. False when another
 * plan is active.
 */
export async function insertPlanWithSchedule (db: Queryable, planId: string, p: NewPlan, rows: readonly InstallmentRow[], key: string, response: string, location: string): Promise<boolean> {
  const result = await db.query(
    `WITH plan AS (
       INSERT INTO plans (tenant_id, plan_id, loan_id, quote_id, option_id, option_type, term_months, method, holiday_months,
         currency, amount_financed, total_repayable, total_interest, penalty_waived, discount, capitalized_interest,
         max_payment, apr, policy_name, policy_version, accepted_by, channel, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
       ON CONFLICT (tenant_id, loan_id) WHERE status = 'active' DO NOTHING
       RETURNING tenant_id, plan_id),
     schedule AS (
       INSERT INTO plan_installments (tenant_id, plan_id, number, due_date, payment, principal, interest, balance)
       SELECT plan.tenant_id, plan.plan_id, s.* FROM plan,
         unnest($24::int[], $25::date[], $26::numeric[], $27::numeric[], $28::numeric[], $29::numeric[]) AS s),
     answer AS (
       UPDATE idempotency_keys SET status_code = 201, response_body = $30, location = $31
       WHERE tenant_id = $1 AND key = $32 AND EXISTS (SELECT 1 FROM plan))
     SELECT plan_id FROM plan`,
    [p.tenantId, planId, p.loanId, p.quoteId, p.optionId, p.type, p.termMonths, p.method, p.holidayMonths, p.currency,
      p.amountFinanced, p.totalRepayable, p.totalInterest, p.penaltyWaived, p.discount, p.capitalizedInterest,
      p.maxPayment, p.apr, p.policyName, p.policyVersion, p.acceptedBy, p.channel, p.note,
      rows.map((r) => r.number), rows.map((r) => r.dueDate), rows.map((r) => r.payment),
      rows.map((r) => r.principal), rows.map((r) => r.interest), rows.map((r) => r.balance),
      response, location, key])
  return result.rowCount === 1
}
