-- Every message moves two conversation heads (last_seq, version, ...): with no index on a column the head UPDATE
-- changes, SQLite rewrites only the table's row. The (app_id, owner_id) prefix of the unique key serves the queries
-- the dropped index served (changedSince filters on a computed version, which no index can serve).
DROP INDEX conversations_by_owner_version;
