-- Writ schema version 1. Times are INTEGER microseconds since the Unix epoch (UTC).

CREATE TABLE owners (
    name         TEXT    NOT NULL PRIMARY KEY,
    display_name TEXT    NULL,
    email        TEXT    NULL,
    created_at   INTEGER NOT NULL
);

CREATE TABLE agents (
    name                TEXT    NOT NULL PRIMARY KEY,
    spiffe_id           TEXT    NOT NULL UNIQUE,
    owner               TEXT    NOT NULL REFERENCES owners (name),
    status              TEXT    NOT NULL,
    attestation_methods TEXT    NOT NULL, -- JSON array of wire names
    metadata            TEXT    NOT NULL, -- JSON object of strings
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

CREATE INDEX agents_owner ON agents (owner);

CREATE TABLE agent_keys (
    agent      TEXT    NOT NULL REFERENCES agents (name) ON DELETE CASCADE,
    kid        TEXT    NOT NULL,
    thumbprint TEXT    NOT NULL,
    jwk        TEXT    NOT NULL,
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (agent, kid),
    UNIQUE (agent, thumbprint)
);

CREATE TABLE join_tokens (
    id          TEXT    NOT NULL PRIMARY KEY,
    agent       TEXT    NOT NULL REFERENCES agents (name) ON DELETE CASCADE,
    secret_hash TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    consumed_at INTEGER NULL,
    created_by  TEXT    NULL
);

CREATE INDEX join_tokens_expires_at ON join_tokens (expires_at);

CREATE TABLE external_issuers (
    name       TEXT    NOT NULL PRIMARY KEY,
    issuer     TEXT    NOT NULL,
    audience   TEXT    NOT NULL,
    jwks_uri   TEXT    NULL,
    jwks       TEXT    NULL,
    rules      TEXT    NOT NULL, -- JSON array of {"claims":{...},"agent":"..."}
    created_at INTEGER NOT NULL,
    created_by TEXT    NULL
);

CREATE INDEX external_issuers_issuer ON external_issuers (issuer);

CREATE TABLE clients (
    name        TEXT    NOT NULL PRIMARY KEY,
    owner       TEXT    NULL REFERENCES owners (name),
    auth_method TEXT    NOT NULL,
    secret_hash TEXT    NULL,
    jwks        TEXT    NULL,
    created_at  INTEGER NOT NULL,
    disabled    INTEGER NOT NULL
);

CREATE TABLE admin_tokens (
    name       TEXT    NOT NULL PRIMARY KEY,
    owner      TEXT    NULL REFERENCES owners (name),
    token_hash TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER NULL,
    created_by TEXT    NULL
);

CREATE TABLE signing_keys (
    kid                   TEXT    NOT NULL PRIMARY KEY,
    algorithm             TEXT    NOT NULL,
    public_jwk            TEXT    NOT NULL,
    protected_private_key BLOB    NOT NULL,
    root_key_id           TEXT    NOT NULL,
    status                TEXT    NOT NULL,
    created_at            INTEGER NOT NULL,
    activates_at          INTEGER NOT NULL,
    retires_at            INTEGER NULL,
    sequence              INTEGER NOT NULL UNIQUE
);

CREATE TABLE replay_cache (
    scope      TEXT    NOT NULL,
    jti        TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (scope, jti)
);

CREATE INDEX replay_cache_expires_at ON replay_cache (expires_at);

CREATE TABLE revoked_tokens (
    jti        TEXT    NOT NULL PRIMARY KEY,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER NOT NULL
);

CREATE INDEX revoked_tokens_expires_at ON revoked_tokens (expires_at);

CREATE TABLE change_log (
    id     INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at     INTEGER NOT NULL,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    detail TEXT    NULL
);
