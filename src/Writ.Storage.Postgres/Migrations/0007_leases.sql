-- Writ schema version 7 on PostgreSQL: leases, one row per just-in-time credential. No foreign
-- keys: a lease's record outlives its connection and task for audit and for retried revocations.

CREATE TABLE leases (
    id                  text COLLATE "C" NOT NULL PRIMARY KEY,
    kind                text             NOT NULL,
    task_id             text COLLATE "C" NOT NULL,
    agent               text COLLATE "C" NOT NULL,
    owner               text COLLATE "C" NOT NULL,
    connection          text COLLATE "C" NULL,
    subject             text             NULL,
    issued_at           timestamptz      NOT NULL,
    expires_at          timestamptz      NOT NULL,
    not_after           timestamptz      NOT NULL,
    renewed_at          timestamptz      NULL,
    ended_at            timestamptz      NULL,
    state               text             NOT NULL,
    end_reason          text             NULL,
    revocation_attempts integer          NOT NULL DEFAULT 0,
    last_error          text             NULL,
    next_attempt_at     timestamptz      NULL,
    uses                bigint           NOT NULL DEFAULT 0
);

CREATE INDEX leases_task ON leases (task_id);
CREATE INDEX leases_connection ON leases (connection);
CREATE INDEX leases_active_expiry ON leases (expires_at) WHERE state = 'active';
CREATE INDEX leases_retry ON leases (next_attempt_at) WHERE state = 'failed_revocation';
