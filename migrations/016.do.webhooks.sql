-- Webhooks: endpoints a tenant registers, one delivery per endpoint × event, every attempt kept.
--
-- Deliveries are written by a trigger on events (migrations/functions/webhook_fan_out.sql), so a
-- delivery commits with its event and the change it describes: none can be lost between them.
CREATE TABLE webhook_endpoints (
  tenant_id                  uuid        NOT NULL REFERENCES tenants (tenant_id),
  endpoint_id                uuid        NOT NULL DEFAULT gen_random_uuid(),
  url                        text        NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
  description                text        NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  event_types                text[]      NOT NULL CHECK (cardinality(event_types) >= 1),
  status                     text        NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
  disabled_reason            text,
  -- AES-256-GCM under WEBHOOK_ENCRYPTION_KEY: nonce (12 bytes) ‖ tag (16) ‖ ciphertext.
  secret                     bytea       NOT NULL,
  -- After a rotation the old secret keeps signing alongside the new one until it expires.
  previous_secret            bytea,
  previous_secret_expires_at timestamptz,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  -- Soft delete: a hard DELETE would make an event transaction that is fanning out to it fail on the foreign key.
  deleted_at                 timestamptz,
  PRIMARY KEY (tenant_id, endpoint_id),
  CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))
);
-- The listing, newest first.
CREATE INDEX webhook_endpoints_list_idx ON webhook_endpoints (tenant_id, created_at DESC, endpoint_id DESC) WHERE deleted_at IS NULL;

CREATE TABLE webhook_deliveries (
  tenant_id            uuid        NOT NULL,
  delivery_id          uuid        NOT NULL DEFAULT gen_random_uuid(),
  endpoint_id          uuid        NOT NULL,
  event_seq            bigint      NOT NULL,
  plan_id              uuid        NOT NULL,
  status               text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  -- Attempts claimed so far; the current attempt's number while it is leased.
  attempts             integer     NOT NULL DEFAULT 0,
  next_attempt_at      timestamptz NOT NULL DEFAULT now(),
  -- Set when a worker claims the delivery; past it, a worker that died is presumed gone and the delivery is claimable again.
  lease_until          timestamptz,
  first_attempt_at     timestamptz,
  last_attempt_at      timestamptz,
  last_response_status integer,
  last_error           text,
  delivered_at         timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, delivery_id),
  UNIQUE (tenant_id, endpoint_id, event_seq),
  FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, endpoint_id),
  -- Event retention removes the deliveries (and their attempts) with the events.
  FOREIGN KEY (tenant_id, event_seq) REFERENCES events (tenant_id, seq) ON DELETE CASCADE
);
-- A queue: rows churn fast, and the claim's plan needs current statistics (the per-plan order check
-- must use the partial index below, not walk the endpoint's delivered history).
ALTER TABLE webhook_deliveries SET (autovacuum_analyze_threshold = 1000, autovacuum_analyze_scale_factor = 0.02,
                                    autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_scale_factor = 0.02);
-- The worker's claim: an endpoint's pending deliveries by due time.
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (tenant_id, endpoint_id, next_attempt_at) WHERE status = 'pending';
-- Per-plan order: is an earlier delivery of the same plan to the same endpoint still pending? Also
-- the fan-out's lock on a plan's pending deliveries (tenant and plan first).
CREATE INDEX webhook_deliveries_plan_order_idx ON webhook_deliveries (tenant_id, plan_id, endpoint_id, event_seq) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
  tenant_id       uuid        NOT NULL,
  delivery_id     uuid        NOT NULL,
  attempt         integer     NOT NULL,
  attempted_at    timestamptz NOT NULL,
  response_status integer,
  error           text,
  duration_ms     integer     NOT NULL,
  PRIMARY KEY (tenant_id, delivery_id, attempt),
  FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_deliveries (tenant_id, delivery_id) ON DELETE CASCADE
);

-- A placeholder so the trigger can be created: the function's definition is
-- migrations/functions/webhook_fan_out.sql, which `npm run migrate` applies right after this file.
CREATE FUNCTION webhook_fan_out () RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'webhook_fan_out is not installed: run npm run migrate'; END $$;
CREATE TRIGGER events_webhook_fan_out AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION webhook_fan_out();
