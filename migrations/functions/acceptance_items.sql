-- The acceptances of one accept_plans call as rows: p_batch is a JSON array of objects with ord,
-- tenantId, key, requestHash (hex), planId, quoteId, optionId, acceptedBy, channel, note,
-- createdAt, createdBody, conflictBody and conflictMarker. A plain SQL function, so PostgreSQL
-- inlines it into each statement that reads the batch.
CREATE OR REPLACE FUNCTION acceptance_items (p_batch jsonb)
RETURNS TABLE (ord integer, tenant_id uuid, key text, request_hash bytea, plan_id uuid, quote_id uuid, option_id text,
  accepted_by text, channel text, note text, created_at timestamptz, created_body text, conflict_body text, conflict_marker text)
LANGUAGE sql IMMUTABLE AS $$
  SELECT b.ord, b."tenantId", b.key, decode(b."requestHash", 'hex'), b."planId", b."quoteId", b."optionId",
         b."acceptedBy", b.channel, b.note, b."createdAt", b."createdBody", b."conflictBody", b."conflictMarker"
  FROM jsonb_to_recordset(p_batch) AS b (ord integer, "tenantId" uuid, key text, "requestHash" text, "planId" uuid,
    "quoteId" uuid, "optionId" text, "acceptedBy" text, channel text, note text, "createdAt" timestamptz,
    "createdBody" text, "conflictBody" text, "conflictMarker" text)
$$;
