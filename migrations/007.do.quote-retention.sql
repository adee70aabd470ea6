-- Pruning expired, unaccepted quotes finds them by expiry and checks for a plan by quote id.
CREATE INDEX quotes_expires_idx ON quotes (expires_at);
CREATE INDEX plans_quote_idx ON plans (tenant_id, quote_id);
