DROP INDEX plans_status_recent_idx;
ALTER TABLE plans DROP CONSTRAINT plans_quote_loan_fkey;
ALTER TABLE quotes DROP CONSTRAINT quotes_loan_key;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_answer_complete;
