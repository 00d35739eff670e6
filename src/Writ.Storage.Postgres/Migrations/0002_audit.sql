-- Writ schema version 2: the audit log.
-- Records keep their canonical bytes (hashed into the Merkle tree) and leaf hash; the other
-- columns are copies for searching. seq is the 0-based Merkle leaf index.
CREATE TABLE audit_record (
    seq       bigint           NOT NULL PRIMARY KEY,
    at        timestamptz      NOT NULL,
    type      text COLLATE "C" NOT NULL,
    agent     text COLLATE "C" NULL,
    owner     text COLLATE "C" NULL,
    task_id   text COLLATE "C" NULL,
    decision  text COLLATE "C" NULL,
    actor     text COLLATE "C" NULL,
    canonical bytea            NOT NULL,
    leaf_hash bytea            NOT NULL
);

CREATE INDEX audit_record_at ON audit_record (at);
CREATE INDEX audit_record_type ON audit_record (type, seq);
CREATE INDEX audit_record_agent ON audit_record (agent, seq) WHERE agent IS NOT NULL;
CREATE INDEX audit_record_owner ON audit_record (owner, seq) WHERE owner IS NOT NULL;
CREATE INDEX audit_record_task ON audit_record (task_id, seq) WHERE task_id IS NOT NULL;
CREATE INDEX audit_record_actor ON audit_record (actor, seq) WHERE actor IS NOT NULL;

-- One row: the sequencer's state. An append locks it (SELECT ... FOR UPDATE) for its whole
-- transaction, so appends from every writ process sharing the database run one at a time.
CREATE TABLE audit_head (
    id              integer NOT NULL PRIMARY KEY CHECK (id = 1),
    tree_size       bigint  NOT NULL,
    frontier        bytea   NOT NULL,
    pruned_before   bigint  NOT NULL,
    pruned_frontier bytea   NOT NULL
);

INSERT INTO audit_head (id, tree_size, frontier, pruned_before, pruned_frontier) VALUES (1, 0, '', 0, '');

CREATE TABLE audit_checkpoint (
    tree_size bigint      NOT NULL PRIMARY KEY,
    root_hash bytea       NOT NULL,
    signed_at timestamptz NOT NULL,
    note      text        NOT NULL
);

-- One row: the audit signing key, its private half encrypted under the root key.
CREATE TABLE audit_key (
    id                    integer          NOT NULL PRIMARY KEY CHECK (id = 1),
    name                  text COLLATE "C" NOT NULL,
    public_key            bytea            NOT NULL,
    protected_private_key bytea            NOT NULL,
    created_at            timestamptz      NOT NULL
);
