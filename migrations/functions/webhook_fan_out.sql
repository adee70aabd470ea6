-- The events trigger (migration 016): one pending delivery per new event and per enabled, not
-- deleted endpoint of its tenant subscribed to its type, in the event's own transaction. This file
-- is the function's only definition: `npm run migrate` applies it after the versioned migrations.
CREATE OR REPLACE FUNCTION webhook_fan_out ()
RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_seq, plan_id)
  SELECT e.tenant_id, w.endpoint_id, e.seq, e.plan_id
  FROM new_events AS e
  JOIN webhook_endpoints AS w
    ON w.tenant_id = e.tenant_id AND w.status = 'enabled' AND w.deleted_at IS NULL AND e.type = ANY (w.event_types)
  ORDER BY e.seq;
  RETURN NULL;
END
$$;
