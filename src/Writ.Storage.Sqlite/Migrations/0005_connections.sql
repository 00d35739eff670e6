-- Writ schema version 5: connections (upstream credential sources). The secret is envelope
-- ciphertext bound to the connection id; kek_id names the key-encryption key that wraps its data key.

CREATE TABLE connections (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    owner      TEXT    NOT NULL REFERENCES owners (name),
    kind       TEXT    NOT NULL,
    settings   TEXT    NOT NULL, -- JSON object of the kind's non-secret fields
    metadata   TEXT    NOT NULL, -- JSON object of strings
    kek_id     TEXT    NOT NULL,
    secret     BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    rotated_at INTEGER NULL
);

CREATE INDEX connections_owner ON connections (owner);
