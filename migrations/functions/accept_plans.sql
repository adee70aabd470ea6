-- Accepting plans, one or many in one statement (group commit: the acceptances that arrive in
-- one turn of a server's event loop share a round trip and a commit). This file is the
-- function's only definition: `npm run migrate` applies it after the versioned migrations.
--
-- p_batch is a JSON array, one object per acceptance (see acceptance_items.sql). No two share a
-- (tenantId, key): the caller sends a repeat after the batch has committed.
-- The plan and its schedule are copied from the stored quote's option, never from the caller.
--
-- Rules, in order:
--   1. claim every key with the answer it gets if its plan is created; a key answered within
--      its retention is not claimed, and its stored outcome is returned for replay;
--   2. insert a plan for every claimed key unless its loan has an active plan (the partial
--      unique index decides, also between two acceptances of one loan in one batch);
--   3. the schedule of every new plan;
--   4. a plan.accepted event for every new plan (record_plan_events.sql);
--   5. rewrite the answer of every claimed key whose loan had an active plan to
--      'active-plan-exists', naming that plan.
-- Keys and plans are taken in sorted order so two batches cannot deadlock on each other.
-- Errors: RPK01 when a key is still held by an in-flight request past lock_timeout; RPL01 when
-- another acceptance of a loan is in flight past lock_timeout; 40001 when the active plan an
-- acceptance collided with was cancelled meanwhile (the caller retries). Any error rolls the
-- whole batch back.
CREATE OR REPLACE FUNCTION accept_plans (p_batch jsonb, p_retention_hours integer)
RETURNS TABLE (ord integer, claimed boolean, outcome text, response_body text, plan_id uuid, request_hash bytea)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  claimed_ords integer[];
  created integer[];
  conflicts integer;
BEGIN
  BEGIN
    WITH c AS (
      INSERT INTO idempotency_keys AS k (tenant_id, key, request_hash, outcome, response_body, plan_id)
      SELECT i.tenant_id, i.key, i.request_hash, 'created', i.created_body, i.plan_id
      FROM acceptance_items(p_batch) AS i ORDER BY i.tenant_id, i.key
      ON CONFLICT (tenant_id, key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, outcome = EXCLUDED.outcome, response_body = EXCLUDED.response_body,
            plan_id = EXCLUDED.plan_id, created_at = now()
        WHERE k.created_at < now() - make_interval(hours => p_retention_hours)
      RETURNING k.tenant_id, k.key)
    SELECT coalesce(array_agg(i.ord), '{}') INTO claimed_ords
    FROM acceptance_items(p_batch) AS i JOIN c ON c.tenant_id = i.tenant_id AND c.key = i.key;
  EXCEPTION WHEN lock_not_available THEN
    -- Still waiting for a request with the same key when lock_timeout struck: it is in flight.
    RAISE EXCEPTION 'a request with this idempotency key is in flight' USING ERRCODE = 'RPK01';
  END;

  BEGIN
    WITH p AS (
      INSERT INTO plans (tenant_id, plan_id, loan_id, quote_id, option_id, option_type, term_months, method, holiday_months,
        currency, amount_financed, total_repayable, total_interest, penalty_waived, discount, capitalized_interest,
        max_payment, apr, policy_name, policy_version, accepted_by, channel, note, created_at, next_check_on)
      SELECT i.tenant_id, i.plan_id, q.loan_id, q.quote_id, i.option_id, o ->> 'type', (o ->> 'termMonths')::integer,
        o ->> 'method', (o ->> 'holidayMonths')::integer, q.currency, (o ->> 'amountFinanced')::numeric,
        (o ->> 'totalRepayable')::numeric, (o ->> 'totalInterest')::numeric, (o ->> 'penaltyWaived')::numeric,
        (o ->> 'discount')::numeric, (o ->> 'capitalizedInterest')::numeric, (o ->> 'maxPayment')::numeric, o ->> 'apr',
        q.policy_name, q.policy_version, i.accepted_by, i.channel, i.note, i.created_at,
        -- The sweep looks at a new plan once and dates its next check from its schedule.
        (i.created_at AT TIME ZONE 'UTC')::date
      FROM acceptance_items(p_batch) AS i
      JOIN quotes AS q ON q.tenant_id = i.tenant_id AND q.quote_id = i.quote_id
      CROSS JOIN LATERAL (SELECT e FROM json_array_elements(q.options) AS e WHERE e ->> 'id' = i.option_id LIMIT 1) AS opt (o)
      WHERE i.ord = ANY (claimed_ords) ORDER BY i.tenant_id, q.loan_id, i.ord
      ON CONFLICT (tenant_id, loan_id) WHERE status = 'active' DO NOTHING
      RETURNING plan_id)
    SELECT coalesce(array_agg(i.ord), '{}') INTO created FROM acceptance_items(p_batch) AS i JOIN p ON p.plan_id = i.plan_id;
  EXCEPTION WHEN lock_not_available THEN
    -- A lock on the whole table (maintenance) is an outage for the caller: keep 55P03.
    IF EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'plans'::regclass AND mode = 'AccessExclusiveLock'
               AND granted AND pid <> pg_backend_pid()) THEN
      RAISE;
    END IF;
    -- Otherwise another acceptance of the loan (under another key) is still running.
    RAISE EXCEPTION 'another acceptance of this loan is in progress' USING ERRCODE = 'RPL01';
  END;

  INSERT INTO plan_installments (tenant_id, plan_id, number, due_date, payment, principal, interest, balance)
  SELECT i.tenant_id, i.plan_id, r.number, r."dueDate", r.payment, r.principal, r.interest, r.balance
  FROM acceptance_items(p_batch) AS i
  JOIN quotes AS q ON q.tenant_id = i.tenant_id AND q.quote_id = i.quote_id
  CROSS JOIN LATERAL json_to_recordset(
    (SELECT e FROM json_array_elements(q.options) AS e WHERE e ->> 'id' = i.option_id LIMIT 1) -> 'schedule')
    AS r (number integer, "dueDate" date, payment numeric, principal numeric, interest numeric, balance numeric)
  WHERE i.ord = ANY (created);

  -- 4. a plan.accepted event for every new plan, in this transaction (the outbox).
  IF cardinality(created) > 0 THEN
    PERFORM record_plan_events(array_agg(i.tenant_id ORDER BY i.ord), array_agg(i.plan_id ORDER BY i.ord),
      array_agg('plan.accepted'::text ORDER BY i.ord), '{}', '{}', '{}')
    FROM acceptance_items(p_batch) AS i WHERE i.ord = ANY (created);
  END IF;

  IF cardinality(claimed_ords) > cardinality(created) THEN
    UPDATE idempotency_keys AS k
    SET outcome = 'active-plan-exists', response_body = replace(i.conflict_body, i.conflict_marker, a.plan_id::text), plan_id = NULL
    FROM acceptance_items(p_batch) AS i
    JOIN quotes AS q ON q.tenant_id = i.tenant_id AND q.quote_id = i.quote_id
    JOIN plans AS a ON a.tenant_id = i.tenant_id AND a.loan_id = q.loan_id AND a.status = 'active'
    WHERE i.ord = ANY (claimed_ords) AND NOT i.ord = ANY (created) AND k.tenant_id = i.tenant_id AND k.key = i.key;
    GET DIAGNOSTICS conflicts = ROW_COUNT;
    IF conflicts <> cardinality(claimed_ords) - cardinality(created) THEN
      -- The active plan an acceptance collided with was cancelled in between: run it again.
      RAISE EXCEPTION 'an active plan was cancelled during an acceptance' USING ERRCODE = '40001';
    END IF;
  END IF;

  -- claimed: this call answered the key (created or refused); else the answer is an earlier one to
  -- replay. The caller has the documents of its own new plans: only refusals and replays travel back.
  RETURN QUERY
  SELECT i.ord, i.ord = ANY (claimed_ords), k.outcome,
         CASE WHEN i.ord = ANY (created) THEN NULL ELSE k.response_body END,
         k.plan_id, k.request_hash
  FROM acceptance_items(p_batch) AS i JOIN idempotency_keys AS k ON k.tenant_id = i.tenant_id AND k.key = i.key;
END
$$;
