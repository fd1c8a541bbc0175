-- Message ids reserved in blocks by each node that shares this database (store.jdbc.IdBlocks).
CREATE TABLE id_blocks (
    name    VARCHAR(32) NOT NULL PRIMARY KEY,
    next_id BIGINT      NOT NULL
);
INSERT INTO id_blocks (name, next_id) SELECT 'message', COALESCE(MAX(id), 0) + 1 FROM messages;
