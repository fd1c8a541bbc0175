-- A client message id is compared as sent, as on SQLite and PostgreSQL: under the table's default collation
-- (utf8mb4_general_ci) "Abc" and "abc" from one sender were one id, and the second message was answered with the
-- first's record instead of being stored.
ALTER TABLE sent_messages MODIFY client_msg_id VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
