DROP FUNCTION accept_plan;
