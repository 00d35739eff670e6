-- Writ schema version 2: the audit log.
-- Records keep their canonical bytes (hashed into the Merkle tree) and leaf hash; the other
-- columns are copies for searching. seq is the 0-based Merkle leaf index.
CREATE TABLE audit_record (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    type      TEXT NOT NULL,
    agent     TEXT,
    owner     TEXT,
    task_id   TEXT,
    decision  TEXT,
    actor     TEXT,
    canonical BLOB NOT NULL,
    leaf_hash BLOB NOT NULL
);

CREATE INDEX audit_record_at ON audit_record (at);
CREATE INDEX audit_record_type ON audit_record (type, seq);
CREATE INDEX audit_record_agent ON audit_record (agent, seq) WHERE agent IS NOT NULL;
CREATE INDEX audit_record_owner ON audit_record (owner, seq) WHERE owner IS NOT NULL;
CREATE INDEX audit_record_task ON audit_record (task_id, seq) WHERE task_id IS NOT NULL;
CREATE INDEX audit_record_actor ON audit_record (actor, seq) WHERE actor IS NOT NULL;

-- One row: the sequencer's state. Appends read and move it inside their write transaction.
CREATE TABLE audit_head (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    tree_size       INTEGER NOT NULL,
    frontier        BLOB NOT NULL,
    pruned_before   INTEGER NOT NULL,
    pruned_frontier BLOB NOT NULL
);

INSERT INTO audit_head (id, tree_size, frontier, pruned_before, pruned_frontier) VALUES (1, 0, x'', 0, x'');

CREATE TABLE audit_checkpoint (
    tree_size INTEGER PRIMARY KEY,
    root_hash BLOB NOT NULL,
    signed_at INTEGER NOT NULL,
    note      TEXT NOT NULL
);

-- One row: the audit signing key, its private half encrypted under the root key.
CREATE TABLE audit_key (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    name                  TEXT NOT NULL,
    public_key            BLOB NOT NULL,
    protected_private_key BLOB NOT NULL,
    created_at            INTEGER NOT NULL
);
