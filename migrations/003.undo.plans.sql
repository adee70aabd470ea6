DROP TABLE idempotency_keys;
DROP TABLE plan_installments;
DROP TABLE plans;
