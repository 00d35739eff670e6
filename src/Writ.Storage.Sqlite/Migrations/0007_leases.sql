-- Writ schema version 7: leases, one row per just-in-time credential. No foreign keys: a lease's
-- record outlives its connection and task for audit and for retried revocations.

CREATE TABLE leases (
    id                  TEXT    NOT NULL PRIMARY KEY,
    kind                TEXT    NOT NULL,
    task_id             TEXT    NOT NULL,
    agent               TEXT    NOT NULL,
    owner               TEXT    NOT NULL,
    connection          TEXT    NULL,
    subject             TEXT    NULL,
    issued_at           INTEGER NOT NULL,
    expires_at          INTEGER NOT NULL,
    not_after           INTEGER NOT NULL,
    renewed_at          INTEGER NULL,
    ended_at            INTEGER NULL,
    state               TEXT    NOT NULL,
    end_reason          TEXT    NULL,
    revocation_attempts INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT    NULL,
    next_attempt_at     INTEGER NULL,
    uses                INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX leases_task ON leases (task_id);
CREATE INDEX leases_connection ON leases (connection);
CREATE INDEX leases_active_expiry ON leases (expires_at) WHERE state = 'active';
CREATE INDEX leases_retry ON leases (next_attempt_at) WHERE state = 'failed_revocation';
