-- Writ schema version 1 on PostgreSQL. Times are timestamptz (microsecond precision, stored as UTC).
-- Names and ids use the "C" collation so ordering and uniqueness are byte-wise, as on SQLite,
-- whatever the database's default locale is.

CREATE TABLE owners (
    name         text COLLATE "C" NOT NULL PRIMARY KEY,
    display_name text             NULL,
    email        text             NULL,
    created_at   timestamptz      NOT NULL
);

CREATE TABLE agents (
    name                text COLLATE "C" NOT NULL PRIMARY KEY,
    spiffe_id           text COLLATE "C" NOT NULL UNIQUE,
    owner               text COLLATE "C" NOT NULL REFERENCES owners (name),
    status              text             NOT NULL,
    attestation_methods jsonb            NOT NULL, -- array of wire names
    metadata            jsonb            NOT NULL, -- object of strings
    created_at          timestamptz      NOT NULL,
    updated_at          timestamptz      NOT NULL
);

CREATE INDEX agents_owner ON agents (owner);

CREATE TABLE agent_keys (
    agent      text COLLATE "C" NOT NULL REFERENCES agents (name) ON DELETE CASCADE,
    kid        text COLLATE "C" NOT NULL,
    thumbprint text COLLATE "C" NOT NULL,
    jwk        text             NOT NULL,
    added_at   timestamptz      NOT NULL,
    PRIMARY KEY (agent, kid),
    UNIQUE (agent, thumbprint)
);

CREATE TABLE join_tokens (
    id          text COLLATE "C" NOT NULL PRIMARY KEY,
    agent       text COLLATE "C" NOT NULL REFERENCES agents (name) ON DELETE CASCADE,
    secret_hash text COLLATE "C" NOT NULL UNIQUE,
    created_at  timestamptz      NOT NULL,
    expires_at  timestamptz      NOT NULL,
    consumed_at timestamptz      NULL,
    created_by  text             NULL
);

CREATE INDEX join_tokens_agent ON join_tokens (agent);
CREATE INDEX join_tokens_expires_at ON join_tokens (expires_at);

CREATE TABLE external_issuers (
    name       text COLLATE "C" NOT NULL PRIMARY KEY,
    issuer     text COLLATE "C" NOT NULL,
    audience   text             NOT NULL,
    jwks_uri   text             NULL,
    jwks       text             NULL,
    rules      jsonb            NOT NULL, -- array of {"Claims":{...},"Agent":"..."}
    created_at timestamptz      NOT NULL,
    created_by text             NULL
);

CREATE INDEX external_issuers_issuer ON external_issuers (issuer);

CREATE TABLE clients (
    name        text COLLATE "C" NOT NULL PRIMARY KEY,
    owner       text COLLATE "C" NULL REFERENCES owners (name),
    auth_method text             NOT NULL,
    secret_hash text             NULL,
    jwks        text             NULL,
    created_at  timestamptz      NOT NULL,
    disabled    boolean          NOT NULL
);

CREATE INDEX clients_owner ON clients (owner);

CREATE TABLE admin_tokens (
    name       text COLLATE "C" NOT NULL PRIMARY KEY,
    owner      text COLLATE "C" NULL REFERENCES owners (name),
    token_hash text COLLATE "C" NOT NULL UNIQUE,
    created_at timestamptz      NOT NULL,
    revoked_at timestamptz      NULL,
    created_by text             NULL
);

CREATE TABLE signing_keys (
    kid                   text COLLATE "C" NOT NULL PRIMARY KEY,
    algorithm             text             NOT NULL,
    public_jwk            text             NOT NULL,
    protected_private_key bytea            NOT NULL,
    root_key_id           text             NOT NULL,
    status                text             NOT NULL,
    created_at            timestamptz      NOT NULL,
    activates_at          timestamptz      NOT NULL,
    retires_at            timestamptz      NULL,
    sequence              bigint           NOT NULL UNIQUE
);

CREATE TABLE replay_cache (
    scope      text COLLATE "C" NOT NULL,
    jti        text COLLATE "C" NOT NULL,
    expires_at timestamptz      NOT NULL,
    PRIMARY KEY (scope, jti)
);

CREATE INDEX replay_cache_expires_at ON replay_cache (expires_at);

CREATE TABLE revoked_tokens (
    jti        text COLLATE "C" NOT NULL PRIMARY KEY,
    expires_at timestamptz      NOT NULL,
    revoked_at timestamptz      NOT NULL
);

CREATE INDEX revoked_tokens_expires_at ON revoked_tokens (expires_at);

CREATE TABLE change_log (
    id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     timestamptz NOT NULL,
    actor  text        NOT NULL,
    action text        NOT NULL,
    target text        NOT NULL,
    detail text        NULL
);
