ALTER TABLE quotes ALTER COLUMN body SET COMPRESSION default;
ALTER TABLE idempotency_keys ALTER COLUMN response_body SET COMPRESSION default;
