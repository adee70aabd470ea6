import type { PlanSummary, PlanView } from '../schemas/plan.js'
import type { Queryable } from './pool.js'

const ts = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

// Rows come out in the shape of the Plan schema, so no layer restates it.
const planColumns = `plan_id AS id, loan_id AS "loanId", status, quote_id AS "quoteId", option_id AS "optionId",
  option_type AS type, term_months AS "termMonths", method, holiday_months AS "holidayMonths", currency,
  amount_financed::text AS "amountFinanced", total_repayable::text AS "totalRepayable",
  total_interest::text AS "totalInterest", penalty_waived::text AS "penaltyWaived", discount::text AS discount,
  capitalized_interest::text AS "capitalizedInterest", max_payment::text AS "maxPayment", apr,
  json_build_object('name', policy_name, 'version', policy_version) AS policy, accepted_by AS "acceptedBy", channel, note,
  ${ts('created_at')} AS "createdAt", ${ts('cancelled_at')} AS "cancelledAt", cancel_reason AS "cancelReason"`

/** The plan and its whole schedule in one round trip. */
export async function findPlanWithSchedule (db: Queryable, tenantId: string, planId: string): Promise<PlanView | undefined> {
  const { rows } = await db.query<PlanView>({
    name: 'find-plan',
    text: `SELECT ${planColumns},
       (SELECT coalesce(json_agg(json_build_object('number', i.number, 'dueDate', to_char(i.due_date, 'YYYY-MM-DD'), 'payment', i.payment::text,
                 'principal', i.principal::text, 'interest', i.interest::text, 'balance', i.balance::text) ORDER BY i.number), '[]')
        FROM plan_installments i WHERE i.tenant_id = p.tenant_id AND i.plan_id = p.plan_id) AS schedule
     FROM plans p WHERE p.tenant_id = $1 AND p.plan_id = $2`,
    values: [tenantId, planId]
  })
  return rows[0]
}

export interface PlanFilter { loanId?: string | undefined, status?: string | undefined, limit: number, after?: { createdAt: string, planId: string } | undefined }

/** Newest first, keyset-paginated on (created_at, plan_id) so pages stay fast at any depth. */
export async function listPlans (db: Queryable, tenantId: string, f: PlanFilter): Promise<PlanSummary[]> {
  const { rows } = await db.query<PlanSummary>(
    `SELECT ${planColumns} FROM plans
     WHERE tenant_id = $1
       AND ($2::text IS NULL OR loan_id = $2)
       AND ($3::text IS NULL OR status = $3)
       AND ($4::timestamptz IS NULL OR (created_at, plan_id) < ($4::timestamptz, $5::uuid))
     ORDER BY created_at DESC, plan_id DESC
     LIMIT $6`,
    [tenantId, f.loanId ?? null, f.status ?? null, f.after?.createdAt ?? null, f.after?.planId ?? null, f.limit])
  return rows
}

/** active → cancelled; a plan already cancelled is left as it was. Returns whether it changed. */
export async function cancelPlan (db: Queryable, tenantId: string, planId: string, reason: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE plans SET status = 'cancelled', cancelled_at = now(), cancel_reason = $3
     WHERE tenant_id = $1 AND plan_id = $2 AND status = 'active'`, [tenantId, planId, reason])
  return rowCount === 1
}
