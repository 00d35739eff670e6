-- Writ schema version 3: policy sets and named policy stores.

-- Every applied version of Writ's own policy set; never updated or deleted.
CREATE TABLE policy_sets (
    version     INTEGER NOT NULL PRIMARY KEY,
    files       TEXT    NOT NULL, -- JSON array of {"name","text"}
    description TEXT    NULL,
    created_at  INTEGER NOT NULL,
    created_by  TEXT    NOT NULL
);

-- One row: the active version. Servers poll it, so it is a single-row primary-key read.
CREATE TABLE policy_set_active (
    id           INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    version      INTEGER NOT NULL REFERENCES policy_sets (version),
    activated_at INTEGER NOT NULL,
    activated_by TEXT    NOT NULL
);

CREATE TABLE policy_stores (
    name       TEXT    NOT NULL PRIMARY KEY,
    version    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT    NOT NULL
);

-- Every version of every named store, whole (schema, entities and policies together).
CREATE TABLE policy_store_versions (
    store         TEXT    NOT NULL REFERENCES policy_stores (name) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    schema_text   TEXT    NULL,
    schema_format TEXT    NOT NULL,
    entities      TEXT    NOT NULL, -- Cedar entities JSON
    policies      TEXT    NOT NULL, -- JSON array of {"name","text"}
    change        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    created_by    TEXT    NOT NULL,
    PRIMARY KEY (store, version)
);

-- Clients allowed to call the AuthZEN decision endpoints.
CREATE TABLE pdp_clients (
    client     TEXT    NOT NULL PRIMARY KEY REFERENCES clients (name) ON DELETE CASCADE,
    granted_at INTEGER NOT NULL,
    granted_by TEXT    NOT NULL
);
