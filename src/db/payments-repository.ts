import type { PlanSummary } from '../schemas/plan.js'
import type { Queryable } from './pool.js'

/** An installment as agreed, amounts as stored (decimal text). */
export interface InstallmentRow { number: number, dueDate: string, payment: string, principal: string, interest: string }

/** The part of a plan that servicing evaluates: its terms as agreed. */
export interface PlanTermsRow {
  currency: string
  amountFinanced: string
  penaltyWaived: string
  policyName: string
  policyVersion: number
  createdAt: string
  schedule: readonly InstallmentRow[]
}

/** What servicing reads of a plan: its terms as agreed and its persisted lifecycle. */
export interface ServicedPlanRow extends PlanTermsRow {
  planId: string
  loanId: string
  status: PlanSummary['status']
  /** Installments whose miss has been announced by an event. */
  missed: number[]
  schedule: Array<InstallmentRow & { balance: string }>
}

/** A payment that stands (not reversed), as the sweep reads it. */
export interface StandingPaymentRow { paymentId: string, receivedOn: string, amount: string, bookedSeq: string }

/** What the sweep reads of a plan due for a check: its terms, next check date and standing payments. */
export interface CheckedPlanRow extends PlanTermsRow {
  planId: string
  status: PlanSummary['status']
  nextCheckOn: string
  /** Installments whose miss has been announced by an event. */
  missed: number[]
  payments: StandingPaymentRow[]
}

export interface PaymentRow {
  paymentId: string
  planId: string
  reference: string
  amount: string
  receivedOn: string
  channel: string | null
  note: string | null
  requestHash: Buffer
  bookedSeq: string
  createdAt: string
  answer: string
  reversedAt: string | null
  reversalReason: string | null
  reversalAnswer: string | null
}

const ts = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

const paymentColumns = `payment_id AS "paymentId", plan_id AS "planId", reference, amount::text AS amount,
  to_char(received_on, 'YYYY-MM-DD') AS "receivedOn", channel, note, request_hash AS "requestHash",
  booked_seq::text AS "bookedSeq", ${ts('created_at')} AS "createdAt", answer, ${ts('reversed_at')} AS "reversedAt",
  reversal_reason AS "reversalReason", reversal_answer AS "reversalAnswer"`

// A plan (alias p) as servicing reads it, with its agreed schedule in one round trip.
const servicedPlanColumns = `p.plan_id AS "planId", p.loan_id AS "loanId", p.status, p.currency, p.amount_financed::text AS "amountFinanced",
  p.penalty_waived::text AS "penaltyWaived", p.policy_name AS "policyName", p.policy_version AS "policyVersion",
  ${ts('p.created_at')} AS "createdAt", p.missed_installments AS missed,
  (SELECT coalesce(json_agg(json_build_object('number', i.number, 'dueDate', to_char(i.due_date, 'YYYY-MM-DD'), 'payment', i.payment::text,
            'principal', i.principal::text, 'interest', i.interest::text, 'balance', i.balance::text) ORDER BY i.number), '[]')
   FROM plan_installments i WHERE i.tenant_id = p.tenant_id AND i.plan_id = p.plan_id) AS schedule`

/**
 * The plan with its schedule, locked against concurrent payments, reversals and cancels when
 * `forUpdate` (the caller is in a transaction): the plan row serializes all changes to a plan.
 */
export async function servicedPlan (db: Queryable, tenantId: string, planId: string, forUpdate: boolean): Promise<ServicedPlanRow | undefined> {
  const { rows } = await db.query<ServicedPlanRow>({
    name: forUpdate ? 'serviced-plan-locked' : 'serviced-plan',
    text: `SELECT ${servicedPlanColumns}
     FROM plans p WHERE p.tenant_id = $1 AND p.plan_id = $2${forUpdate ? ' FOR UPDATE OF p' : ''}`,
    values: [tenantId, planId]
  })
  return rows[0]
}

/** Every payment of a plan in booking order, reversed ones included. */
export async function planPayments (db: Queryable, tenantId: string, planId: string): Promise<PaymentRow[]> {
  const { rows } = await db.query<PaymentRow>({
    name: 'plan-payments',
    text: `SELECT ${paymentColumns} FROM payments WHERE tenant_id = $1 AND plan_id = $2 ORDER BY booked_seq`,
    values: [tenantId, planId]
  })
  return rows
}

export async function paymentByReference (db: Queryable, tenantId: string, reference: string): Promise<PaymentRow | undefined> {
  const { rows } = await db.query<PaymentRow>(`SELECT ${paymentColumns} FROM payments WHERE tenant_id = $1 AND reference = $2`, [tenantId, reference])
  return rows[0]
}

export async function paymentById (db: Queryable, tenantId: string, planId: string, paymentId: string, forUpdate = false): Promise<PaymentRow | undefined> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT ${paymentColumns} FROM payments WHERE tenant_id = $1 AND plan_id = $2 AND payment_id = $3${forUpdate ? ' FOR UPDATE' : ''}`,
    [tenantId, planId, paymentId])
  return rows[0]
}

/** The next booking number: taken before the row is written, so the answer can name its allocation. */
export async function nextBookingNumber (db: Queryable): Promise<string> {
  const { rows } = await db.query<{ seq: string }>({ name: 'next-booking', text: "SELECT nextval('payments_booked_seq')::text AS seq" })
  return rows[0]!.seq
}

/** A payment as first written: not reversed. */
export type NewPayment = Omit<PaymentRow, 'reversedAt' | 'reversalReason' | 'reversalAnswer'> & { tenantId: string }

/** Inserts the payment unless its reference is taken; false when it is (the caller reads the holder). */
export async function insertPayment (db: Queryable, p: NewPayment): Promise<boolean> {
  const { rowCount } = await db.query({
    name: 'insert-payment',
    text: `INSERT INTO payments (tenant_id, payment_id, plan_id, reference, amount, received_on, channel, note, request_hash, booked_seq, created_at, answer)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (tenant_id, reference) DO NOTHING`,
    values: [p.tenantId, p.paymentId, p.planId, p.reference, p.amount, p.receivedOn, p.channel, p.note, p.requestHash, p.bookedSeq, p.createdAt, p.answer]
  })
  return rowCount === 1
}

export async function markReversed (db: Queryable, tenantId: string, paymentId: string, reason: string, at: string, answer: string): Promise<void> {
  await db.query(
    `UPDATE payments SET reversed_at = $3, reversal_reason = $4, reversal_answer = $5
     WHERE tenant_id = $1 AND payment_id = $2 AND reversed_at IS NULL`, [tenantId, paymentId, at, reason, answer])
}

/** A page of a plan's payments in booking order, after `afterSeq`. */
export async function listPayments (db: Queryable, tenantId: string, planId: string, limit: number, afterSeq: string | undefined): Promise<PaymentRow[]> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT ${paymentColumns} FROM payments WHERE tenant_id = $1 AND plan_id = $2 AND ($3::bigint IS NULL OR booked_seq > $3)
     ORDER BY booked_seq LIMIT $4`, [tenantId, planId, afterSeq ?? null, limit])
  return rows
}

export interface Lifecycle {
  status: 'active' | 'completed' | 'broken'
  completedOn: string | null
  brokenOn: string | null
  nextCheckOn: string | null
  /** Numbers of the installments missed, announced with this save. */
  missed: number[]
}

/** Persists what servicing decided; a cancelled plan keeps its status. Returns whether the row changed. */
export async function saveLifecycle (db: Queryable, tenantId: string, planId: string, l: Lifecycle): Promise<boolean> {
  const { rowCount } = await db.query({
    name: 'save-lifecycle',
    text: `UPDATE plans SET status = $3, completed_on = $4, broken_on = $5, next_check_on = $6, missed_installments = $7
     WHERE tenant_id = $1 AND plan_id = $2 AND status <> 'cancelled'
       AND (status, completed_on, broken_on, next_check_on, missed_installments) IS DISTINCT FROM ($3, $4::date, $5::date, $6::date, $7::integer[])`,
    values: [tenantId, planId, l.status, l.completedOn, l.brokenOn, l.nextCheckOn, l.missed]
  })
  return rowCount === 1
}

export interface CheckCursor { nextCheckOn: string, planId: string }

// The sweep's page carries each plan's installments and payments as space-separated fields
// (dates are ISO: the pool pins DateStyle) rather than JSON objects: building and parsing JSON
// was most of the page's cost (bench/README.md).
function installmentsOf (text: string | null): InstallmentRow[] {
  if (text === null) return []
  const f = text.split(' ')
  const out: InstallmentRow[] = []
  for (let k = 0; k + 4 < f.length; k += 5) {
    out.push({ number: Number(f[k]), dueDate: f[k + 1]!, payment: f[k + 2]!, principal: f[k + 3]!, interest: f[k + 4]! })
  }
  return out
}

function paymentsOf (text: string | null): StandingPaymentRow[] {
  if (text === null) return []
  const f = text.split(' ')
  const out: StandingPaymentRow[] = []
  for (let k = 0; k + 3 < f.length; k += 4) out.push({ paymentId: f[k]!, receivedOn: f[k + 1]!, amount: f[k + 2]!, bookedSeq: f[k + 3]! })
  return out
}

/**
 * A page of a tenant's active plans whose next check date is on or before `horizon`, after
 * `cursor` in (next_check_on, plan_id) order, with their schedules and standing payments, locked
 * for the caller's transaction. Plans another transaction holds (a payment being booked) are
 * skipped: the next sweep takes them.
 */
export async function lockPlansForCheck (db: Queryable, tenantId: string, horizon: string, cursor: CheckCursor | undefined, limit: number): Promise<CheckedPlanRow[]> {
  const { rows } = await db.query<Omit<CheckedPlanRow, 'schedule' | 'payments'> & { schedule: string | null, payments: string | null }>({
    name: 'lock-plans-for-check',
    text: `SELECT p.plan_id AS "planId", p.status, p.currency, p.amount_financed::text AS "amountFinanced", p.penalty_waived::text AS "penaltyWaived",
       p.policy_name AS "policyName", p.policy_version AS "policyVersion", ${ts('p.created_at')} AS "createdAt", p.next_check_on::text AS "nextCheckOn",
       p.missed_installments AS missed,
       (SELECT string_agg(concat_ws(' ', i.number, i.due_date, i.payment, i.principal, i.interest), ' ' ORDER BY i.number)
        FROM plan_installments i WHERE i.tenant_id = p.tenant_id AND i.plan_id = p.plan_id) AS schedule,
       (SELECT string_agg(concat_ws(' ', y.payment_id, y.received_on, y.amount, y.booked_seq), ' ' ORDER BY y.booked_seq)
        FROM payments y WHERE y.tenant_id = p.tenant_id AND y.plan_id = p.plan_id AND y.reversed_at IS NULL) AS payments
     FROM plans p
     WHERE p.tenant_id = $1 AND p.status = 'active' AND p.next_check_on <= $2
       AND ($3::date IS NULL OR (p.next_check_on, p.plan_id) > ($3::date, $4::uuid))
     ORDER BY p.next_check_on, p.plan_id
     LIMIT $5
     FOR UPDATE OF p SKIP LOCKED`,
    values: [tenantId, horizon, cursor?.nextCheckOn ?? null, cursor?.planId ?? null, limit]
  })
  return rows.map((r) => ({
    planId: r.planId,
    status: r.status,
    currency: r.currency,
    amountFinanced: r.amountFinanced,
    penaltyWaived: r.penaltyWaived,
    policyName: r.policyName,
    policyVersion: r.policyVersion,
    createdAt: r.createdAt,
    nextCheckOn: r.nextCheckOn,
    missed: r.missed,
    schedule: installmentsOf(r.schedule),
    payments: paymentsOf(r.payments)
  }))
}

/** Persists many plans' lifecycles in one statement; returns how many rows changed. */
export async function saveLifecycles (db: Queryable, tenantId: string, changes: ReadonlyArray<{ planId: string, lifecycle: Lifecycle }>): Promise<number> {
  if (changes.length === 0) return 0
  const { rowCount } = await db.query({
    name: 'save-lifecycles',
    text: `UPDATE plans AS p SET status = c.status, completed_on = c.completed_on, broken_on = c.broken_on, next_check_on = c.next_check_on,
       missed_installments = c.missed
     FROM (SELECT c.plan_id, c.status, c.completed_on, c.broken_on, c.next_check_on,
             ARRAY(SELECT json_array_elements_text(c.missed)::integer) AS missed
           FROM unnest($2::uuid[], $3::text[], $4::date[], $5::date[], $6::date[], $7::json[]) AS c (plan_id, status, completed_on, broken_on, next_check_on, missed)) AS c
     WHERE p.tenant_id = $1 AND p.plan_id = c.plan_id AND p.status <> 'cancelled'
       AND (p.status, p.completed_on, p.broken_on, p.next_check_on, p.missed_installments)
           IS DISTINCT FROM (c.status, c.completed_on, c.broken_on, c.next_check_on, c.missed)`,
    values: [tenantId, changes.map((c) => c.planId), changes.map((c) => c.lifecycle.status), changes.map((c) => c.lifecycle.completedOn),
      changes.map((c) => c.lifecycle.brokenOn), changes.map((c) => c.lifecycle.nextCheckOn), changes.map((c) => JSON.stringify(c.lifecycle.missed))]
  })
  return rowCount ?? 0
}

export async function tenantIds (db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ tenantId: string }>('SELECT tenant_id AS "tenantId" FROM tenants ORDER BY tenant_id')
  return rows.map((r) => r.tenantId)
}
