-- The sweep reads a tenant's due active plans a page at a time in (next_check_on, plan_id) order,
-- starting after the last plan of the previous page. plans_sweep_idx (tenant_id, next_check_on)
-- could seek only to the cursor's day and then had to read and sort every due plan of that day for
-- each page: with many plans due on one day (a bulk of plans accepted together), each page re-read
-- the whole day, quadratic over a sweep. With plan_id in the index, the cursor is one index seek
-- and the page is read in order, no sort (test/db/payment-queries.test.ts).
CREATE INDEX plans_sweep_order_idx ON plans (tenant_id, next_check_on, plan_id) WHERE status = 'active';
DROP INDEX plans_sweep_idx;
