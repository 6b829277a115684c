-- (reserved)
SELECT 1;
