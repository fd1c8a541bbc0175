-- Every message moves two conversation heads (last_seq, version, ...). With no index on a column the head UPDATE
-- changes, and room left on each page, PostgreSQL updates the row in place (a HOT update): no new entry in any of
-- the table's indexes and far less WAL. The (app_id, owner_id) prefix of the unique key serves the queries the
-- dropped index served (changedSince filters on a computed version, which no index can serve).
DROP INDEX conversations_by_owner_version;
ALTER TABLE conversations SET (fillfactor = 50);
