-- Writ schema version 3: policy sets and named policy stores.
SELECT 1;
