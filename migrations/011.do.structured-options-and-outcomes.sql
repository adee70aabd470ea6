-- 1. A quote's options are stored structured beside its document, so accepting a plan selects
--    its option by id in SQL. The document (body) stays the exact bytes first answered.
ALTER TABLE quotes ADD COLUMN options jsonb;
UPDATE quotes SET options = body::jsonb -> 'options';
ALTER TABLE quotes ALTER COLUMN options SET NOT NULL;
ALTER TABLE quotes ADD CONSTRAINT quotes_options_array CHECK (jsonb_typeof(options) = 'array');
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE quotes ALTER COLUMN options SET COMPRESSION lz4;
  END IF;
END
$$;

-- 2. An idempotency key stores the outcome in domain terms: 'created' with the plan's id and its
--    document, or a refusal's code with its detail and facts. HTTP statuses and paths are the
--    API's business, derived from these when answering.
ALTER TABLE idempotency_keys ADD COLUMN outcome text, ADD COLUMN plan_id uuid;
-- Keys are claimed with their answer since migration 009; an unanswered row cannot have committed.
DELETE FROM idempotency_keys WHERE status_code IS NULL;
UPDATE idempotency_keys SET
  outcome = CASE WHEN status_code = 201 THEN 'created' ELSE substr(response_body::json ->> 'type', length('/problems/') + 1) END,
  plan_id = CASE WHEN status_code = 201 THEN substr(location, length('/v1/plans/') + 1)::uuid END,
  response_body = CASE WHEN status_code = 201 THEN response_body
    ELSE json_build_object('detail', response_body::json -> 'detail',
      'extensions', response_body::jsonb - 'type' - 'title' - 'status' - 'detail' - 'instance')::text END;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_answer_complete;
ALTER TABLE idempotency_keys DROP COLUMN status_code, DROP COLUMN location;
ALTER TABLE idempotency_keys ALTER COLUMN outcome SET NOT NULL, ALTER COLUMN response_body SET NOT NULL;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_created_has_plan CHECK ((outcome = 'created') = (plan_id IS NOT NULL));

-- 3. One acceptance path: accept_plans (migrations/functions/accept_plans.sql, applied after the
--    versioned migrations) takes one acceptance or many. The two earlier functions go.
DROP FUNCTION accept_plan (uuid, text, bytea, integer, uuid, timestamptz, text, uuid, text, text, integer, text, integer, char(3),
  numeric, numeric, numeric, numeric, numeric, numeric, numeric, text, text, integer, text, text, text,
  integer[], date[], numeric[], numeric[], numeric[], numeric[], text, text, text, text);
DROP FUNCTION accept_plans (json, json, integer);
DROP TYPE plan_acceptance;
