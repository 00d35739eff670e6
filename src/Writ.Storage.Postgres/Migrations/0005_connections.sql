-- Writ schema version 5: connections.
SELECT 1;
