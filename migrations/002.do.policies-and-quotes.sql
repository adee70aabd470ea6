-- Tenant policies are versioned: a change inserts a new version, old versions stay for the
-- quotes that used them. The built-in `standard` policy is version 1 and lives in code.
CREATE TABLE policies (
  tenant_id  uuid        NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  name       text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  version    integer     NOT NULL CHECK (version >= 1),
  body       jsonb       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name, version)
);

-- A quote is stored exactly as it was answered (body is the response text), so a later GET
-- and the plan built from it see the very same numbers.
CREATE TABLE quotes (
  tenant_id      uuid        NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  quote_id       uuid        NOT NULL,
  loan_id        text        NOT NULL CHECK (length(loan_id) BETWEEN 1 AND 64),
  policy_name    text        NOT NULL,
  policy_version integer     NOT NULL CHECK (policy_version >= 1),
  currency       char(3)     NOT NULL,
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL CHECK (expires_at > created_at),
  body           text        NOT NULL,
  PRIMARY KEY (tenant_id, quote_id)
);
CREATE INDEX quotes_loan_idx ON quotes (tenant_id, loan_id, created_at DESC);
