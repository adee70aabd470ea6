-- Events: every change to a plan, written in the transaction that makes the change (a
-- transactional outbox), immutable, read by pollers (GET /v1/events) and fanned out to webhooks.
--
-- One total order per tenant that a poller can follow without missing a row: (tx_id, seq).
-- A sequence alone is not enough, since a transaction holding a lower number can commit after a
-- reader has passed a higher one. Readers only see rows whose writing transaction is older than
-- every transaction still running (tx_id < pg_snapshot_xmin(pg_current_snapshot())): no row can
-- appear later below that line, so a cursor never skips one.
CREATE SEQUENCE events_seq AS bigint;
CREATE TABLE events (
  tenant_id   uuid        NOT NULL,
  seq         bigint      NOT NULL DEFAULT nextval('events_seq'),
  tx_id       xid8        NOT NULL DEFAULT pg_current_xact_id(),
  event_id    uuid        NOT NULL DEFAULT gen_random_uuid(),
  type        text        NOT NULL CHECK (type IN ('plan.accepted', 'plan.cancelled', 'plan.payment_recorded', 'plan.payment_reversed',
                                                   'plan.installment_missed', 'plan.broken', 'plan.completed')),
  plan_id     uuid        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  data        json        NOT NULL,
  -- event_id is random (122 bits): unique without an index, which a sweep writing a million events
  -- would pay for in random-key inserts. Nothing looks an event up by it.
  PRIMARY KEY (tenant_id, seq),
  FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, plan_id)
);
ALTER SEQUENCE events_seq OWNED BY events.seq;
-- The pollers' order.
CREATE INDEX events_order_idx ON events (tenant_id, tx_id, seq);
-- The same order, one type at a time (GET /v1/events?type=).
CREATE INDEX events_type_order_idx ON events (tenant_id, type, tx_id, seq);
-- Retention deletes the oldest first, across tenants. Rows arrive in created_at order, so a block
-- range index finds them at a fraction of a b-tree's upkeep.
CREATE INDEX events_created_idx ON events USING brin (created_at);

-- The installments whose miss has been announced (a plan.installment_missed event), so each miss
-- is announced once, by whichever writes it first: a payment, a reversal or the sweep. Plans
-- accepted before this migration announce their earlier misses at their next check.
ALTER TABLE plans ADD COLUMN missed_installments integer[] NOT NULL DEFAULT '{}';
