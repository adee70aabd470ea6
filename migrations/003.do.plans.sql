-- An accepted option becomes a plan: the agreement of record. Amounts are exact decimals in
-- major units, as quoted; the schedule is stored as rows.
CREATE TABLE plans (
  tenant_id            uuid        NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  plan_id              uuid        NOT NULL DEFAULT gen_random_uuid(),
  loan_id              text        NOT NULL CHECK (length(loan_id) BETWEEN 1 AND 64),
  quote_id             uuid        NOT NULL,
  option_id            text        NOT NULL,
  option_type          text        NOT NULL CHECK (option_type IN ('installment', 'deferral', 'settlement')),
  term_months          integer,
  method               text,
  holiday_months       integer,
  status               text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
  currency             char(3)     NOT NULL,
  amount_financed      numeric     NOT NULL CHECK (amount_financed >= 0),
  total_repayable      numeric     NOT NULL CHECK (total_repayable >= 0),
  total_interest       numeric     NOT NULL CHECK (total_interest >= 0),
  penalty_waived       numeric     NOT NULL CHECK (penalty_waived >= 0),
  discount             numeric     NOT NULL CHECK (discount >= 0),
  capitalized_interest numeric     NOT NULL CHECK (capitalized_interest >= 0),
  max_payment          numeric     NOT NULL CHECK (max_payment >= 0),
  apr                  text        NOT NULL,
  policy_name          text        NOT NULL,
  policy_version       integer     NOT NULL,
  accepted_by          text,
  channel              text,
  note                 text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  cancelled_at         timestamptz,
  cancel_reason        text,
  PRIMARY KEY (tenant_id, plan_id),
  FOREIGN KEY (tenant_id, quote_id) REFERENCES quotes (tenant_id, quote_id),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
-- At most one active plan per loan, whatever the timing: PostgreSQL decides, not the application.
CREATE UNIQUE INDEX plans_one_active_per_loan ON plans (tenant_id, loan_id) WHERE status = 'active';
-- Keyset pagination, newest first, overall and per loan.
CREATE INDEX plans_recent_idx ON plans (tenant_id, created_at DESC, plan_id DESC);
CREATE INDEX plans_loan_recent_idx ON plans (tenant_id, loan_id, created_at DESC, plan_id DESC);

CREATE TABLE plan_installments (
  tenant_id uuid    NOT NULL,
  plan_id   uuid    NOT NULL,
  number    integer NOT NULL CHECK (number >= 1),
  due_date  date    NOT NULL,
  payment   numeric NOT NULL CHECK (payment >= 0),
  principal numeric NOT NULL CHECK (principal >= 0),
  interest  numeric NOT NULL CHECK (interest >= 0),
  balance   numeric NOT NULL CHECK (balance >= 0),
  PRIMARY KEY (tenant_id, plan_id, number),
  FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, plan_id) ON DELETE CASCADE,
  CHECK (payment = principal + interest)
);

-- Stripe-style idempotency: the key row is written in the same transaction as the plan, and
-- holds the exact response, so a retry replays it and a concurrent duplicate waits on the row.
CREATE TABLE idempotency_keys (
  tenant_id     uuid        NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  key           text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash  bytea       NOT NULL CHECK (length(request_hash) = 32),
  status_code   integer     CHECK (status_code BETWEEN 200 AND 599),
  response_body text,
  location      text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
