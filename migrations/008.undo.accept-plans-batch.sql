ALTER TABLE plans ADD FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id) ON DELETE CASCADE;
ALTER TABLE plans ADD FOREIGN KEY (tenant_id, quote_id) REFERENCES quotes (tenant_id, quote_id);
DROP FUNCTION accept_plans;
DROP TYPE plan_acceptance;
