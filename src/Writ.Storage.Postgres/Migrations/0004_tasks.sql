-- Writ schema version 4: tasks. A task belongs to its acting agent and that agent's owner; delegated
-- tasks point at their parent and at the root of their tree, so ending a task can find every descendant.

CREATE TABLE tasks (
    id         text COLLATE "C" NOT NULL PRIMARY KEY,
    agent      text COLLATE "C" NOT NULL REFERENCES agents (name),
    owner      text COLLATE "C" NOT NULL REFERENCES owners (name),
    user_id    text             NULL,
    intent     text             NOT NULL, -- the granted writ_task object as JSON text, kept byte for byte
    parent_id  text COLLATE "C" NULL REFERENCES tasks (id),
    root_id    text COLLATE "C" NOT NULL,
    chain      jsonb            NOT NULL, -- array of SPIFFE IDs, root first
    audience   text             NOT NULL,
    state      text             NOT NULL,
    created_at timestamptz      NOT NULL,
    expires_at timestamptz      NOT NULL,
    ended_at   timestamptz      NULL,
    ended_by   text             NULL,
    jkt        text             NULL
);

CREATE INDEX tasks_owner ON tasks (owner, created_at);
CREATE INDEX tasks_agent ON tasks (agent, created_at);
CREATE INDEX tasks_parent ON tasks (parent_id);
CREATE INDEX tasks_root ON tasks (root_id);
CREATE INDEX tasks_active_expiry ON tasks (expires_at) WHERE state = 'active';
