-- The events trigger (migration 016): one pending delivery per new event and per enabled, not
-- deleted endpoint of its tenant subscribed to its type, in the event's own transaction. This file
-- is the function's only definition: `npm run migrate` applies it after the versioned migrations.
--
-- A delivery behind an earlier pending one of the same plan to the same endpoint is parked (not
-- due for 5 minutes), so the claim never rescans waiting rows: the worker makes it due as soon as
-- the earlier one is delivered or given up. The hand-over cannot be missed: the plans' pending
-- deliveries are share-locked first, so a worker completing one waits for this transaction and
-- then sees the new delivery, or completed it before, and the parking decision below (a new
-- snapshot) sees that. The 5 minutes are a backstop; the claim checks the order itself anyway.
CREATE OR REPLACE FUNCTION webhook_fan_out ()
RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM webhook_deliveries AS p
  WHERE p.status = 'pending' AND (p.tenant_id, p.plan_id) IN (SELECT DISTINCT e.tenant_id, e.plan_id FROM new_events AS e)
  FOR SHARE OF p;

  INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_seq, plan_id, next_attempt_at)
  SELECT n.tenant_id, n.endpoint_id, n.seq, n.plan_id,
    CASE WHEN n.rank > 1 OR EXISTS (
        SELECT 1 FROM webhook_deliveries AS p
        WHERE p.tenant_id = n.tenant_id AND p.plan_id = n.plan_id AND p.endpoint_id = n.endpoint_id
          AND p.status = 'pending' AND p.event_seq < n.seq)
      THEN now() + interval '5 minutes' ELSE now() END
  FROM (
    SELECT e.tenant_id, w.endpoint_id, e.seq, e.plan_id,
      row_number() OVER (PARTITION BY e.tenant_id, w.endpoint_id, e.plan_id ORDER BY e.seq) AS rank
    FROM new_events AS e
    JOIN webhook_endpoints AS w
      ON w.tenant_id = e.tenant_id AND w.status = 'enabled' AND w.deleted_at IS NULL AND e.type = ANY (w.event_types)
  ) AS n
  ORDER BY n.seq;
  RETURN NULL;
END
$$;
