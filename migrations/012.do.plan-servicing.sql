-- Plan servicing: payments against a plan, and the plan's lifecycle after acceptance.
-- A plan is active, cancelled (by the lender), completed (everything paid) or broken (the
-- borrower breached the plan; collection resumes). Completed and broken are decided by the
-- servicing rules from the payments and the dates; they are persisted by the payment that
-- causes them or by the sweep, for listing and for the one-active-plan-per-loan rule.
ALTER TABLE plans DROP CONSTRAINT plans_status_check;
ALTER TABLE plans ADD CONSTRAINT plans_status_check CHECK (status IN ('active', 'cancelled', 'completed', 'broken'));
ALTER TABLE plans
  ADD COLUMN completed_on  date,
  ADD COLUMN broken_on     date,
  -- The first date on which the plan could change without a new payment (an installment's grace
  -- ends, or its days past due reach the break limit): the sweep looks at no plan before then.
  ADD COLUMN next_check_on date;
ALTER TABLE plans ADD CONSTRAINT plans_completed_on CHECK ((status = 'completed') = (completed_on IS NOT NULL));
ALTER TABLE plans ADD CONSTRAINT plans_broken_on CHECK ((status = 'broken') = (broken_on IS NOT NULL));
-- Existing active plans are checked by the first sweep.
UPDATE plans SET next_check_on = DATE '2000-01-01' WHERE status = 'active';
CREATE INDEX plans_sweep_idx ON plans (tenant_id, next_check_on) WHERE status = 'active';

-- Money received against a plan. `reference` is the lender's own id of the money, unique per
-- tenant: the same reference and body replay the first answer (`answer`, byte for byte).
-- Amounts are exact decimals in major units. A reversal keeps the row and its answer.
CREATE SEQUENCE payments_booked_seq AS bigint;
CREATE TABLE payments (
  tenant_id        uuid        NOT NULL,
  payment_id       uuid        NOT NULL,
  plan_id          uuid        NOT NULL,
  reference        text        NOT NULL CHECK (length(reference) BETWEEN 1 AND 64),
  amount           numeric     NOT NULL CHECK (amount > 0),
  received_on      date        NOT NULL,
  channel          text        CHECK (length(channel) <= 50),
  note             text        CHECK (length(note) <= 2000),
  request_hash     bytea       NOT NULL CHECK (length(request_hash) = 32),
  -- Booking order: breaks ties between payments received on the same day.
  booked_seq       bigint      NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  answer           text        NOT NULL,
  reversed_at      timestamptz,
  reversal_reason  text        CHECK (length(reversal_reason) <= 500),
  reversal_answer  text,
  PRIMARY KEY (tenant_id, payment_id),
  UNIQUE (tenant_id, reference),
  FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, plan_id),
  CHECK ((reversed_at IS NULL) = (reversal_answer IS NULL))
);
ALTER SEQUENCE payments_booked_seq OWNED BY payments.booked_seq;
CREATE UNIQUE INDEX payments_plan_order_idx ON payments (tenant_id, plan_id, booked_seq);
