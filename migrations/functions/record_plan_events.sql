-- Writes events about plans, in the caller's transaction (the transactional outbox). This file is
-- the function's only definition: `npm run migrate` applies it after the versioned migrations.
--
-- One event per array position: its tenant, plan and type, and (or null) the servicing state after
-- the change, the payment and the missed installment, each already JSON. Shorter arrays are padded
-- with nulls (unnest), so a caller with no positions passes an empty array. Each event's data is
-- { plan, position, payment, installment }: `plan` is the plan as stored when the event is written
-- (so callers write their change first). Events of one call are numbered in array order.
-- Arrays rather than one JSON document: the JSON parts are then copied, not parsed again per key.
CREATE OR REPLACE FUNCTION record_plan_events (p_tenants uuid[], p_plans uuid[], p_types text[], p_positions json[], p_payments json[], p_installments json[])
RETURNS integer
LANGUAGE sql AS $$
  WITH e AS (
    SELECT * FROM unnest(p_tenants, p_plans, p_types, p_positions, p_payments, p_installments) WITH ORDINALITY
      AS e (tenant_id, plan_id, type, position, payment, installment, ord)
  ), written AS (
    INSERT INTO events (tenant_id, type, plan_id, data)
    SELECT e.tenant_id, e.type, e.plan_id, json_build_object(
      'plan', json_build_object(
        'id', p.plan_id, 'loanId', p.loan_id, 'status', p.status, 'type', p.option_type, 'optionId', p.option_id,
        'currency', p.currency, 'amountFinanced', p.amount_financed::text, 'totalRepayable', p.total_repayable::text,
        'penaltyWaived', p.penalty_waived::text,
        'policy', json_build_object('name', p.policy_name, 'version', p.policy_version),
        'createdAt', to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'cancelledAt', to_char(p.cancelled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'completedAt', to_char(p.completed_on, 'YYYY-MM-DD'), 'brokenAt', to_char(p.broken_on, 'YYYY-MM-DD')),
      'position', e.position, 'payment', e.payment, 'installment', e.installment)
    FROM e JOIN plans AS p ON p.tenant_id = e.tenant_id AND p.plan_id = e.plan_id
    ORDER BY e.ord
    RETURNING 1)
  SELECT count(*)::integer FROM written
$$;
