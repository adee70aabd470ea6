// Bulk rows for the scale check, generated in SQL: plans (two per loan, one cancelled, one
// active), their quotes (short placeholder bodies: no plan read touches them) and 1–24
// installments each. Ids are a function of the row number, so the bench can name them.
export const bulkPlanId = (i: number): string => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`
export const bulkLoanId = (i: number): string => `S-${Math.floor(i / 2)}`

const uuid = (prefix: string, i: string): string => `('${prefix}-0000-4000-8000-' || lpad(to_hex(${i}), 12, '0'))::uuid`
const TERMS = 'ARRAY[1, 6, 12, 24]'

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
  policy_name, policy_version, accepted_by, created_at, cancelled_at, cancel_reason)
SELECT ${t}, ${uuid('00000000', 'i')}, 'S-' || (i / 2), ${uuid('00000001', 'i')},
  CASE WHEN n = 1 THEN 'settlement' ELSE 'installment-annuity-' || n END,
  CASE WHEN n = 1 THEN 'settlement' ELSE 'installment' END, n, CASE WHEN n = 1 THEN NULL ELSE 'annuity' END,
  CASE WHEN i % 2 = 0 THEN 'cancelled' ELSE 'active' END, 'CNY',
  n * 100.00, n * 110.00, n * 10.00, 0, 0, 0, 110.00, '0.1268', 'standard', 1, 'bulk',
  now() - (1000000 - i) * interval '1 minute',
  CASE WHEN i % 2 = 0 THEN now() - (1000000 - i) * interval '1 minute' + interval '1 day' END,
  CASE WHEN i % 2 = 0 THEN 'replaced' END
FROM ${range}, LATERAL (SELECT (${TERMS})[i % 4 + 1] AS n) AS term;
INSERT INTO plan_installments (tenant_id, plan_id, number, due_date, payment, principal, interest, balance)
SELECT ${t}, ${uuid('00000000', 'i')}, k, date '2026-01-15' + k * 30, 110.00, 100.00, 10.00, (n - k) * 100.00
FROM ${range}, LATERAL (SELECT (${TERMS})[i % 4 + 1] AS n) AS term, LATERAL generate_series(1, n) AS k;
COMMIT;`
}
