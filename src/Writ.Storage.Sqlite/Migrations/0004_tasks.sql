-- Writ schema version 4: tasks. A task belongs to its acting agent and that agent's owner; delegated
-- tasks point at their parent and at the root of their tree, so ending a task can find every descendant.

CREATE TABLE tasks (
    id         TEXT    NOT NULL PRIMARY KEY,
    agent      TEXT    NOT NULL REFERENCES agents (name),
    owner      TEXT    NOT NULL REFERENCES owners (name),
    user_id    TEXT    NULL,
    intent     TEXT    NOT NULL, -- the granted writ_task object as JSON
    parent_id  TEXT    NULL REFERENCES tasks (id),
    root_id    TEXT    NOT NULL,
    chain      TEXT    NOT NULL, -- JSON array of SPIFFE IDs, root first
    audience   TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ended_at   INTEGER NULL,
    ended_by   TEXT    NULL,
    jkt        TEXT    NULL
);

CREATE INDEX tasks_owner ON tasks (owner, created_at);
CREATE INDEX tasks_agent ON tasks (agent, created_at);
CREATE INDEX tasks_parent ON tasks (parent_id);
CREATE INDEX tasks_root ON tasks (root_id);
CREATE INDEX tasks_active_expiry ON tasks (expires_at) WHERE state = 'active';
