-- Writ schema version 6: the revocation event stream and Shared Signals streams.
CREATE TABLE revocation_events (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,
    cause      TEXT    NULL
);

CREATE INDEX revocation_events_expires_at ON revocation_events (expires_at);

CREATE TABLE signal_streams (
    id               TEXT    NOT NULL PRIMARY KEY,
    audience         TEXT    NOT NULL,
    events_requested TEXT    NOT NULL,
    delivery_method  TEXT    NOT NULL,
    endpoint_url     TEXT    NULL,
    auth_sealed      BLOB    NULL,
    status           TEXT    NOT NULL,
    status_reason    TEXT    NULL,
    description      TEXT    NULL,
    created_by       TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    cursor           INTEGER NOT NULL
);

CREATE TABLE signal_queue (
    seq        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    stream_id  TEXT    NOT NULL REFERENCES signal_streams (id) ON DELETE CASCADE,
    jti        TEXT    NOT NULL,
    token      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (stream_id, jti)
);
