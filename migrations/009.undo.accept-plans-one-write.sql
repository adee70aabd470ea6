-- Back to migration 008's accept_plans: claim every key empty, then write the 201 answers.
CREATE OR REPLACE FUNCTION accept_plans (p_items json, p_installments json, p_retention_hours integer)
RETURNS TABLE (ord integer, outcome text, status_code integer, response_body text, location text, request_hash bytea)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  items plan_acceptance[];
  claimed integer[];
  created integer[];
  conflicts integer;
BEGIN
  items := ARRAY(SELECT x FROM json_populate_recordset(NULL::plan_acceptance, p_items) AS x);

  WITH c AS (
    INSERT INTO idempotency_keys AS k (tenant_id, key, request_hash)
    SELECT i.tenant_id, i.key, i.request_hash FROM unnest(items) AS i ORDER BY i.tenant_id, i.key
    ON CONFLICT (tenant_id, key) DO UPDATE
      SET request_hash = EXCLUDED.request_hash, status_code = NULL, response_body = NULL, location = NULL, created_at = now()
      WHERE k.created_at < now() - make_interval(hours => p_retention_hours)
    RETURNING k.tenant_id, k.key)
  SELECT coalesce(array_agg(i.ord), '{}') INTO claimed
  FROM unnest(items) AS i JOIN c ON c.tenant_id = i.tenant_id AND c.key = i.key;

  WITH p AS (
    INSERT INTO plans (tenant_id, plan_id, loan_id, quote_id, option_id, option_type, term_months, method, holiday_months,
      currency, amount_financed, total_repayable, total_interest, penalty_waived, discount, capitalized_interest,
      max_payment, apr, policy_name, policy_version, accepted_by, channel, note, created_at)
    SELECT i.tenant_id, i.plan_id, i.loan_id, i.quote_id, i.option_id, i.option_type, i.term_months, i.method, i.holiday_months,
      i.currency, i.amount_financed, i.total_repayable, i.total_interest, i.penalty_waived, i.discount, i.capitalized_interest,
      i.max_payment, i.apr, i.policy_name, i.policy_version, i.accepted_by, i.channel, i.note, i.created_at
    FROM unnest(items) AS i WHERE i.ord = ANY (claimed) ORDER BY i.tenant_id, i.loan_id
    ON CONFLICT (tenant_id, loan_id) WHERE status = 'active' DO NOTHING
    RETURNING plan_id)
  SELECT coalesce(array_agg(i.ord), '{}') INTO created FROM unnest(items) AS i JOIN p ON p.plan_id = i.plan_id;

  INSERT INTO plan_installments (tenant_id, plan_id, number, due_date, payment, principal, interest, balance)
  SELECT i.tenant_id, i.plan_id, r.number, r.due_date, r.payment, r.principal, r.interest, r.balance
  FROM json_to_recordset(p_installments) AS r (ord integer, number integer, due_date date, payment numeric,
         principal numeric, interest numeric, balance numeric)
  JOIN unnest(items) AS i ON i.ord = r.ord
  WHERE r.ord = ANY (created);

  UPDATE idempotency_keys AS k SET status_code = 201, response_body = i.created_body, location = i.location
  FROM unnest(items) AS i
  WHERE i.ord = ANY (created) AND k.tenant_id = i.tenant_id AND k.key = i.key;

  IF cardinality(claimed) > cardinality(created) THEN
    UPDATE idempotency_keys AS k
    SET status_code = 409, response_body = replace(i.conflict_body, i.conflict_marker, a.plan_id::text), location = NULL
    FROM unnest(items) AS i
    JOIN plans AS a ON a.tenant_id = i.tenant_id AND a.loan_id = i.loan_id AND a.status = 'active'
    WHERE i.ord = ANY (claimed) AND NOT i.ord = ANY (created) AND k.tenant_id = i.tenant_id AND k.key = i.key;
    GET DIAGNOSTICS conflicts = ROW_COUNT;
    IF conflicts <> cardinality(claimed) - cardinality(created) THEN
      -- The active plan an acceptance collided with was cancelled in between.
      RAISE EXCEPTION 'an active plan was cancelled during a batch acceptance' USING ERRCODE = '40001';
    END IF;
  END IF;

  -- The caller has the bodies of its own new plans: only refusals and replays travel back.
  RETURN QUERY
  SELECT i.ord,
         CASE WHEN i.ord = ANY (created) THEN 'created' WHEN i.ord = ANY (claimed) THEN 'conflict' ELSE 'replay' END,
         k.status_code,
         CASE WHEN i.ord = ANY (created) THEN NULL ELSE k.response_body END,
         k.location, k.request_hash
  FROM unnest(items) AS i JOIN idempotency_keys AS k ON k.tenant_id = i.tenant_id AND k.key = i.key;
END
$$;
