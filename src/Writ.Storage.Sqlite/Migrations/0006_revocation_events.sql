-- Writ schema version 6: the revocation event stream and Shared Signals streams.
SELECT 1;
