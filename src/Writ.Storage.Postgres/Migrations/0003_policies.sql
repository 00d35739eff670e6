-- Writ schema version 3 on PostgreSQL: policy sets and named policy stores.

-- Every applied version of Writ's own policy set; never updated or deleted.
CREATE TABLE policy_sets (
    version     bigint      NOT NULL PRIMARY KEY,
    files       text        NOT NULL, -- JSON array of {"name","text"}
    description text        NULL,
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL
);

-- One row: the active version. Servers poll it, so it is a single-row primary-key read.
CREATE TABLE policy_set_active (
    id           integer     NOT NULL PRIMARY KEY CHECK (id = 1),
    version      bigint      NOT NULL REFERENCES policy_sets (version),
    activated_at timestamptz NOT NULL,
    activated_by text        NOT NULL
);

CREATE TABLE policy_stores (
    name       text COLLATE "C" NOT NULL PRIMARY KEY,
    version    bigint           NOT NULL,
    created_at timestamptz      NOT NULL,
    created_by text             NOT NULL
);

-- Every version of every named store, whole (schema, entities and policies together).
CREATE TABLE policy_store_versions (
    store         text COLLATE "C" NOT NULL REFERENCES policy_stores (name) ON DELETE CASCADE,
    version       bigint           NOT NULL,
    schema_text   text             NULL,
    schema_format text             NOT NULL,
    entities      text             NOT NULL, -- Cedar entities JSON
    policies      text             NOT NULL, -- JSON array of {"name","text"}
    change        text             NOT NULL,
    created_at    timestamptz      NOT NULL,
    created_by    text             NOT NULL,
    PRIMARY KEY (store, version)
);

-- Clients allowed to call the AuthZEN decision endpoints.
CREATE TABLE pdp_clients (
    client     text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES clients (name) ON DELETE CASCADE,
    granted_at timestamptz      NOT NULL,
    granted_by text             NOT NULL
);
