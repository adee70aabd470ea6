DROP INDEX plans_quote_idx;
DROP INDEX quotes_expires_idx;
