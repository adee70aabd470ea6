-- accept_plan writes its key once, as accept_plans does since migration 009: the claim carries
-- the 201 answer the acceptance gets if its plan is created, instead of claiming the key empty and
-- updating it with the answer afterwards (a second row version per acceptance, and dead tuples
-- for vacuum). Single acceptances are what spread-out traffic sends: one caller, or many callers
-- whose requests do not arrive in the same turn of the event loop. A refusal is still rewritten
-- to 409 before commit; no one outside the transaction sees the key before then.
CREATE OR REPLACE FUNCTION accept_plan (
  p_tenant uuid, p_key text, p_hash bytea, p_retention_hours integer,
  p_plan_id uuid, p_created_at timestamptz, p_loan_id text, p_quote_id uuid, p_option_id text, p_type text,
  p_term_months integer, p_method text, p_holiday_months integer, p_currency char(3),
  p_amount_financed numeric, p_total_repayable numeric, p_total_interest numeric, p_penalty_waived numeric,
  p_discount numeric, p_capitalized_interest numeric, p_max_payment numeric, p_apr text,
  p_policy_name text, p_policy_version integer, p_accepted_by text, p_channel text, p_note text,
  p_numbers integer[], p_due_dates date[], p_payments numeric[], p_principals numeric[], p_interests numeric[], p_balances numeric[],
  p_created_body text, p_location text, p_conflict_body text, p_conflict_marker text)
RETURNS TABLE (outcome text, status_code integer, response_body text, location text, request_hash bytea)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  claimed boolean;
  inserted boolean;
  existing uuid;
  conflict text;
BEGIN
  BEGIN
    INSERT INTO idempotency_keys AS k (tenant_id, key, request_hash, status_code, response_body, location)
    VALUES (p_tenant, p_key, p_hash, 201, p_created_body, p_location)
    ON CONFLICT (tenant_id, key) DO UPDATE
      SET request_hash = EXCLUDED.request_hash, status_code = EXCLUDED.status_code, response_body = EXCLUDED.response_body,
          location = EXCLUDED.location, created_at = now()
      WHERE k.created_at < now() - make_interval(hours => p_retention_hours);
    claimed := FOUND;
  EXCEPTION WHEN lock_not_available THEN
    -- Still waiting for a request with the same key when lock_timeout struck: it is in flight.
    RAISE EXCEPTION 'a request with this idempotency key is in flight' USING ERRCODE = 'RPK01';
  END;
  IF NOT claimed THEN
    -- Another request answered under this key first: hand its answer back for replay.
    RETURN QUERY SELECT 'replay'::text, k.status_code, k.response_body, k.location, k.request_hash
      FROM idempotency_keys k WHERE k.tenant_id = p_tenant AND k.key = p_key;
    RETURN;
  END IF;
  LOOP
    BEGIN
    INSERT INTO plans (tenant_id, plan_id, loan_id, quote_id, option_id, option_type, term_months, method, holiday_months,
      currency, amount_financed, total_repayable, total_interest, penalty_waived, discount, capitalized_interest,
      max_payment, apr, policy_name, policy_version, accepted_by, channel, note, created_at)
    VALUES (p_tenant, p_plan_id, p_loan_id, p_quote_id, p_option_id, p_type, p_term_months, p_method, p_holiday_months,
      p_currency, p_amount_financed, p_total_repayable, p_total_interest, p_penalty_waived, p_discount, p_capitalized_interest,
      p_max_payment, p_apr, p_policy_name, p_policy_version, p_accepted_by, p_channel, p_note, p_created_at)
    ON CONFLICT (tenant_id, loan_id) WHERE status = 'active' DO NOTHING;
    inserted := FOUND;
    EXCEPTION WHEN lock_not_available THEN
      -- A lock on the whole table (maintenance) is an outage for the caller: keep 55P03 (503).
      IF EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'plans'::regclass AND mode = 'AccessExclusiveLock'
                 AND granted AND pid <> pg_backend_pid()) THEN
        RAISE;
      END IF;
      -- Otherwise another acceptance of this loan (under another key) is still running.
      RAISE EXCEPTION 'another acceptance of this loan is in progress' USING ERRCODE = 'RPL01';
    END;
    IF inserted THEN
      INSERT INTO plan_installments (tenant_id, plan_id, number, due_date, payment, principal, interest, balance)
      SELECT p_tenant, p_plan_id, s.* FROM unnest(p_numbers, p_due_dates, p_payments, p_principals, p_interests, p_balances) AS s;
      RETURN QUERY SELECT 'created'::text, 201, p_created_body, p_location, p_hash;
      RETURN;
    END IF;
    SELECT plan_id INTO existing FROM plans WHERE tenant_id = p_tenant AND loan_id = p_loan_id AND status = 'active';
    IF FOUND THEN
      conflict := replace(p_conflict_body, p_conflict_marker, existing::text);
      UPDATE idempotency_keys SET status_code = 409, response_body = conflict, location = NULL
        WHERE tenant_id = p_tenant AND key = p_key;
      RETURN QUERY SELECT 'conflict'::text, 409, conflict, NULL::text, p_hash;
      RETURN;
    END IF;
    -- The active plan we collided with was cancelled in between: try again.
  END LOOP;
END
$$;
