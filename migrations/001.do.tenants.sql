-- Lenders are tenants; every table carries tenant_id and every key includes it,
-- so the schema can be distributed by tenant later without redesign.
CREATE TABLE tenants (
  tenant_id  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tenants_name_key UNIQUE (name)
);

-- API keys are stored as a lookup prefix and a SHA-256 hash; the secret is shown once, never stored.
CREATE TABLE api_keys (
  tenant_id  uuid        NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  key_id     uuid        NOT NULL DEFAULT gen_random_uuid(),
  prefix     text        NOT NULL CHECK (length(prefix) BETWEEN 8 AND 32),
  key_hash   bytea       NOT NULL CHECK (length(key_hash) = 32),
  label      text,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, key_id),
  CONSTRAINT api_keys_hash_key UNIQUE (tenant_id, key_hash)
);
CREATE INDEX api_keys_prefix_idx ON api_keys (prefix) WHERE revoked_at IS NULL;
