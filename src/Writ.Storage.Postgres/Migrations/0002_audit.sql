-- Writ schema version 2: the audit log.
SELECT 1;
