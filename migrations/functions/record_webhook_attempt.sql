-- Records one webhook attempt and its outcome (the delivery worker's only write after sending).
-- This file is the function's only definition: `npm run migrate` applies it after the versioned
-- migrations.
--
-- One call, one transaction: the attempt row, the delivery's new state, and the hand-over of the
-- plan's next parked delivery commit together or not at all (a database lost between them cannot
-- leave the plan's later events parked until the backstop). VOLATILE, so each statement below
-- takes a fresh snapshot: the hand-over sees a delivery that an event transaction committed while
-- the update above waited for that transaction's share lock (see webhook_fan_out.sql).
--
-- A worker whose lease was overtaken (another replica claimed the next attempt) records its
-- attempt but leaves the delivery to the newer one. p_result: delivered (2xx), retry (due again
-- after p_retry_in_ms), failed (given up), gone (410: the endpoint is disabled).
CREATE OR REPLACE FUNCTION record_webhook_attempt (
  p_tenant uuid, p_delivery uuid, p_attempt integer, p_result text, p_response_status integer, p_error text,
  p_retry_in_ms double precision, p_duration_ms double precision, p_endpoint uuid, p_plan uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_seq bigint;
  v_due timestamptz;
BEGIN
  INSERT INTO webhook_attempts (tenant_id, delivery_id, attempt, attempted_at, response_status, error, duration_ms)
  VALUES (p_tenant, p_delivery, p_attempt, now() - make_interval(secs => p_duration_ms / 1000), p_response_status, p_error, p_duration_ms)
  ON CONFLICT DO NOTHING;

  UPDATE webhook_deliveries SET
    status = CASE p_result WHEN 'delivered' THEN 'delivered' WHEN 'retry' THEN 'pending' ELSE 'failed' END,
    next_attempt_at = CASE WHEN p_result = 'retry' THEN now() + make_interval(secs => p_retry_in_ms / 1000) ELSE next_attempt_at END,
    lease_until = NULL, last_attempt_at = now(), last_response_status = p_response_status, last_error = p_error,
    delivered_at = CASE WHEN p_result = 'delivered' THEN now() END
  WHERE tenant_id = p_tenant AND delivery_id = p_delivery AND attempts = p_attempt AND status = 'pending'
  RETURNING event_seq, next_attempt_at INTO v_seq, v_due;
  IF p_result = 'gone' THEN
    -- The receiver's word, whichever attempt heard it.
    UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = 'the receiver answered 410 Gone'
    WHERE tenant_id = p_tenant AND endpoint_id = p_endpoint;
    UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint disabled: the receiver answered 410 Gone'
    WHERE tenant_id = p_tenant AND endpoint_id = p_endpoint AND status = 'pending';
    RETURN;
  END IF;
  IF NOT FOUND THEN RETURN; END IF;

  IF p_result = 'retry' THEN
    -- The plan's later events wait for this one: not due before it, so the claim does not scan them meanwhile.
    UPDATE webhook_deliveries SET next_attempt_at = greatest(next_attempt_at, v_due)
    WHERE tenant_id = p_tenant AND endpoint_id = p_endpoint AND plan_id = p_plan AND status = 'pending' AND event_seq > v_seq;
  ELSE
    -- Delivered or given up: the plan's next event to this endpoint is due now.
    UPDATE webhook_deliveries SET next_attempt_at = now()
    WHERE tenant_id = p_tenant AND next_attempt_at > now() AND delivery_id = (
      SELECT q.delivery_id FROM webhook_deliveries AS q
      WHERE q.tenant_id = p_tenant AND q.plan_id = p_plan AND q.endpoint_id = p_endpoint AND q.status = 'pending' AND q.event_seq > v_seq
      ORDER BY q.event_seq LIMIT 1);
  END IF;
END
$$;
