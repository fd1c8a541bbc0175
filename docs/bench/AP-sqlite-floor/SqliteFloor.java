import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Properties;
import java.util.Random;

/**
 * What SQLite alone costs per stored message row, without the server: the writer's statement (21 columns, one row at
 * a time in a JDBC batch) into a table shaped like {@code messages}, batches of 768 rows spread over 200 streams (a
 * closed loop's batch), WAL with {@code synchronous=FULL}, committed and checkpointed as the server does.
 *
 * <p>Run: {@code java -cp sqlite-jdbc-3.54.1.0.jar SqliteFloor.java index|noindex full|off [batches]}; prints the
 * execution and commit time per row. {@code noindex} drops {@code UNIQUE (stream_type, stream_id, seq)}, which every
 * stream read needs: it shows what the per-stream index leaves cost.
 */
public class SqliteFloor {
    static final String COLUMNS = "id, app_id, stream_type, stream_id, seq, sender_type, sender_id, sender_device_id,"
            + " receiver_type, receiver_id, to_user_ids, message_type, body, send_time, status, sender_name,"
            + " sender_avatar, help, preview, client_msg_id, pair_seq";

    public static void main(String[] args) throws Exception {
        boolean index = args[0].equals("index");
        boolean full = args[1].equals("full");
        int batches = args.length > 2 ? Integer.parseInt(args[2]) : 600;
        var file = java.nio.file.Files.createTempFile("sqlite-floor", ".db");
        var props = new Properties();
        props.setProperty("journal_mode", "WAL");
        props.setProperty("synchronous", full ? "FULL" : "OFF");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, props)) {
            try (var st = c.createStatement()) {
                st.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, app_id INTEGER NOT NULL,"
                        + " stream_type INTEGER NOT NULL, stream_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
                        + " sender_type INTEGER NOT NULL, sender_id INTEGER NOT NULL, sender_device_id INTEGER NOT NULL,"
                        + " receiver_type INTEGER NOT NULL, receiver_id INTEGER NOT NULL, to_user_ids TEXT NOT NULL,"
                        + " message_type INTEGER NOT NULL, body BLOB NOT NULL, send_time INTEGER NOT NULL,"
                        + " status INTEGER NOT NULL, sender_name TEXT NOT NULL, sender_avatar TEXT NOT NULL,"
                        + " help INTEGER NOT NULL, preview TEXT NOT NULL, client_msg_id TEXT NOT NULL,"
                        + " pair_seq INTEGER NOT NULL" + (index ? ", UNIQUE (stream_type, stream_id, seq))" : ")"));
                st.execute("PRAGMA wal_autocheckpoint = 0");
            }
            c.setAutoCommit(false);
            PreparedStatement insert = c.prepareStatement("INSERT INTO messages (" + COLUMNS + ") VALUES"
                    + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            long[] seqs = new long[200];
            long id = 0;
            byte[] body = new byte[60];
            new Random(1).nextBytes(body);
            int batch = 768;
            long execNanos = 0;
            long commitNanos = 0;
            for (int b = 0; b < batches + 50; b++) {
                if (b == 50) { // the first 50 batches warm the JIT up
                    execNanos = 0;
                    commitNanos = 0;
                }
                long started = System.nanoTime();
                for (int i = 0; i < batch; i++) {
                    int stream = (i * 7 + b) % 200;
                    long seq = ++seqs[stream];
                    Object[] row = {++id, 1L, 1, (long) stream, seq, 2, (long) stream, 1L, 1, (long) (stream ^ 1), "", 1,
                            body, System.currentTimeMillis(), 0, "user" + stream, "", 0, "hello there, a preview", "",
                            seq};
                    for (int j = 0; j < row.length; j++) {
                        insert.setObject(j + 1, row[j]);
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
                long executed = System.nanoTime();
                c.commit();
                execNanos += executed - started;
                commitNanos += System.nanoTime() - executed;
                if (b % 200 == 199) { // the server checkpoints every second and starts the WAL over
                    c.setAutoCommit(true);
                    try (var st = c.createStatement()) {
                        st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                    }
                    c.setAutoCommit(false);
                }
            }
            double rows = (double) batch * batches;
            System.out.printf("index=%s synchronous=%s: execute %.2f us/row, commit %.2f us/row, total %.2f us/row%n",
                    index, full ? "FULL" : "OFF", execNanos / 1e3 / rows, commitNanos / 1e3 / rows,
                    (execNanos + commitNanos) / 1e3 / rows);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(file + "-wal"));
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(file + "-shm"));
        }
    }
}
