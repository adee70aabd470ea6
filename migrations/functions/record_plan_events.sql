-- Writes events about plans, in the caller's transaction (the transactional outbox). This file is
-- the function's only definition: `npm run migrate` applies it after the versioned migrations.
--
-- p_events is a JSON array, one object per event:
--   { "tenantId", "planId", "type", "position"?, "payment"?, "installment"? }
-- Each event's data is { plan, position, payment, installment }: `plan` is the plan as stored
-- when the event is written (so callers write their change first), the others are given by the
-- caller (the servicing state after the change, the payment, the missed installment) or null.
-- The events of one call are numbered in array order.
CREATE OR REPLACE FUNCTION record_plan_events (p_events json)
RETURNS integer
LANGUAGE sql AS $$
  WITH e AS (
    SELECT x.ord, (x.e ->> 'tenantId')::uuid AS tenant_id, (x.e ->> 'planId')::uuid AS plan_id, x.e ->> 'type' AS type, x.e
    FROM json_array_elements(p_events) WITH ORDINALITY AS x (e, ord)
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
      'position', e.e -> 'position', 'payment', e.e -> 'payment', 'installment', e.e -> 'installment')
    FROM e JOIN plans AS p ON p.tenant_id = e.tenant_id AND p.plan_id = e.plan_id
    ORDER BY e.ord
    RETURNING 1)
  SELECT count(*)::integer FROM written
$$;
