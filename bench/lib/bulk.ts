// Bulk rows for the scale check, generated in SQL: plans (two per loan, one cancelled, one
// active or, one in ten, completed), their quotes (short placeholder bodies: no plan read touches
// them), 1–24 installments each, due every 30 days from the plan's acceptance, and ~5 payments per
// plan (bulkPaymentsSql). Ids are a function of the row number, so the bench can name them.
export const bulkPlanId = (i: number): string => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`
export const bulkLoanId = (i: number): string => `S-${Math.floor(i / 2)}`

const uuid = (prefix: string, i: string): string => `('${prefix}-0000-4000-8000-' || lpad(to_hex(${i}), 12, '0'))::uuid`
const TERMS = 'ARRAY[1, 6, 12, 24]'
// The day plan i was accepted: its created_at, i minutes before the last plan's, on the calendar of
// the standard policy's time zone, as the service reads it (the server's calendar would put a plan
// made in the evening, UTC, a day before its acceptance in Shanghai, and its payments before it).
const POLICY_ZONE = "'Asia/Shanghai'"
const accepted = `((now() - (1000000 - i) * interval '1 minute') AT TIME ZONE ${POLICY_ZONE})::date`
const today = `(now() AT TIME ZONE ${POLICY_ZONE})::date`

/**
 * How many installments of plan i are paid: the first of a settlement (1 installment, cancelled),
 * all 6 of the completed plans (i % 20 = 1), 3 of the other 6-installment plans, 3 of a 12
 * (cancelled) and 2 or 3 of a 24; each installment in two payments of half its amount, so the
 * average plan has 5 payments and 1,000,000 plans have 5,000,000.
 */
const PAID = 'CASE i % 4 WHEN 0 THEN 1 WHEN 1 THEN CASE WHEN i % 20 = 1 THEN 6 ELSE 3 END WHEN 2 THEN 3 ELSE CASE WHEN (i / 4) % 5 < 3 THEN 2 ELSE 3 END END'
export const bulkPaymentId = (i: number, j: number): string => `00000002-0000-4000-8000-${(i * 64 + j).toString(16).padStart(12, '0')}`

export function bulkSql (tenantId: string, from: number, to: number): string {
  const t = `'${tenantId}'::uuid`
  const range = `generate_series(${from}, ${to}) AS i`
  return `
SET session_replication_role = replica; -- rows are consistent by construction: skip FK triggers
BEGIN;
INSERT INTO quotes (tenant_id, quote_id, loan_id, policy_name, policy_version, currency, created_at, expires_at, body, options)
SELECT ${t}, ${uuid('00000001', 'i')}, 'S-' || (i / 2), 'standard', 1, 'CNY',
  now() - (1000000 - i) * interval '1 minute', now() - (1000000 - i) * interval '1 minute' + interval '7 days', '{}', '[]'
FROM ${range};
INSERT INTO plans (tenant_id, plan_id, loan_id, quote_id, option_id, option_type, term_months, method, status, currency,
  amount_financed, total_repayable, total_interest, penalty_waived, discount, capitalized_interest, max_payment, apr,
  policy_name, policy_version, accepted_by, created_at, cancelled_at, cancel_reason, completed_on, next_check_on)
SELECT ${t}, ${uuid('00000000', 'i')}, 'S-' || (i / 2), ${uuid('00000001', 'i')},
  CASE WHEN n = 1 THEN 'settlement' ELSE 'installment-annuity-' || n END,
  CASE WHEN n = 1 THEN 'settlement' ELSE 'installment' END, n, CASE WHEN n = 1 THEN NULL ELSE 'annuity' END,
  CASE WHEN i % 2 = 0 THEN 'cancelled' WHEN i % 20 = 1 THEN 'completed' ELSE 'active' END, 'CNY',
  n * 100.00, n * 110.00, n * 10.00, 0, 0, 0, 110.00, '0.1268', 'standard', 1, 'bulk',
  now() - (1000000 - i) * interval '1 minute',
  CASE WHEN i % 2 = 0 THEN now() - (1000000 - i) * interval '1 minute' + interval '1 day' END,
  CASE WHEN i % 2 = 0 THEN 'replaced' END,
  -- completed by its last payment (bulkPaymentsSql); an active plan is due for its first sweep
  CASE WHEN i % 20 = 1 THEN least(${accepted} + n * 30, ${today}) END,
  CASE WHEN i % 2 = 1 AND i % 20 <> 1 THEN ${accepted} END
FROM ${range}, LATERAL (SELECT (${TERMS})[i % 4 + 1] AS n) AS term;
INSERT INTO plan_installments (tenant_id, plan_id, number, due_date, payment, principal, interest, balance)
SELECT ${t}, ${uuid('00000000', 'i')}, k, ${accepted} + k * 30, 110.00, 100.00, 10.00, (n - k) * 100.00
FROM ${range}, LATERAL (SELECT (${TERMS})[i % 4 + 1] AS n) AS term, LATERAL generate_series(1, n) AS k;
COMMIT;`
}

/**
 * Payments of plans from..to, consistent with their schedules: installment k of a plan is paid in
 * two payments of 55.00 received on its due date (or today, when it is not yet due: paid ahead).
 * Booking numbers are i * 64 + j, so a plan's payments keep their order; the sequence is moved past
 * them (bulkPaymentsDone). Placeholder answers and request hashes: these references are never
 * posted again.
 */
export function bulkPaymentsSql (tenantId: string, from: number, to: number): string {
  const t = `'${tenantId}'::uuid`
  return `
SET session_replication_role = replica;
INSERT INTO payments (tenant_id, payment_id, plan_id, reference, amount, received_on, channel, request_hash, booked_seq, created_at, answer)
SELECT ${t}, ${uuid('00000002', 'i * 64 + j')}, ${uuid('00000000', 'i')}, 'B-' || i || '-' || j, 55.00,
  least(${accepted} + ((j + 1) / 2) * 30, ${today}), 'bulk', '\\x${'00'.repeat(32)}'::bytea, i::bigint * 64 + j,
  now() - (1000000 - i) * interval '1 minute', '{}'
FROM generate_series(${from}, ${to}) AS i, LATERAL generate_series(1, 2 * (${PAID})) AS j;`
}

/** After the bulk payments: the booking sequence continues past their numbers. */
export const bulkPaymentsDone = "SELECT setval('payments_booked_seq', greatest((SELECT max(booked_seq) FROM payments), nextval('payments_booked_seq')))"
