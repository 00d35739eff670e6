-- Writ schema version 5 on PostgreSQL: connections (upstream credential sources). The secret is
-- envelope ciphertext bound to the connection id; kek_id names the key-encryption key that wraps its data key.

CREATE TABLE connections (
    id         text COLLATE "C" NOT NULL PRIMARY KEY,
    name       text COLLATE "C" NOT NULL UNIQUE,
    owner      text COLLATE "C" NOT NULL REFERENCES owners (name),
    kind       text             NOT NULL,
    settings   text             NOT NULL, -- JSON object of the kind's non-secret fields
    metadata   jsonb            NOT NULL, -- object of strings
    kek_id     text COLLATE "C" NOT NULL,
    secret     bytea            NOT NULL,
    created_at timestamptz      NOT NULL,
    rotated_at timestamptz      NULL
);

CREATE INDEX connections_owner ON connections (owner);
