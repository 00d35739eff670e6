-- Writ schema version 6: the revocation event stream and Shared Signals streams.
-- Appends take a transaction-level advisory lock before drawing an id, so ids commit in order and
-- a reader asking for id > last never skips an event that commits late.
CREATE TABLE revocation_events (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL,
    kind       text        NOT NULL,
    subject    text        NOT NULL,
    expires_at timestamptz NOT NULL,
    cause      text        NULL
);

CREATE INDEX revocation_events_expires_at ON revocation_events (expires_at);

CREATE TABLE signal_streams (
    id               text COLLATE "C" NOT NULL PRIMARY KEY,
    audience         text             NOT NULL,
    events_requested jsonb            NOT NULL,
    delivery_method  text             NOT NULL,
    endpoint_url     text             NULL,
    auth_sealed      bytea            NULL,
    status           text             NOT NULL,
    status_reason    text             NULL,
    description      text             NULL,
    created_by       text             NOT NULL,
    created_at       timestamptz      NOT NULL,
    updated_at       timestamptz      NOT NULL,
    cursor           bigint           NOT NULL
);

CREATE TABLE signal_queue (
    seq        bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream_id  text COLLATE "C" NOT NULL REFERENCES signal_streams (id) ON DELETE CASCADE,
    jti        text COLLATE "C" NOT NULL,
    token      text             NOT NULL,
    created_at timestamptz      NOT NULL,
    UNIQUE (stream_id, jti)
);
