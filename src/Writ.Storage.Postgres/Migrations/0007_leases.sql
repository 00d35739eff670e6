-- Writ schema version 7: leases.
SELECT 1;
