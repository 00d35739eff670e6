-- Writ schema version 4: tasks.
SELECT 1;
