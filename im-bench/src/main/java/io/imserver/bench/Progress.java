package io.imserver.bench;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/** Progress lines on stderr: a status when something starts, and a line every few seconds while a phase runs. */
final class Progress implements AutoCloseable {
    private final PrintStream out;
    private final long everyMillis;
    private volatile Supplier<String> ticker;
    private final Thread thread;

    Progress(PrintStream out, double everySeconds) {
        this.out = out;
        this.everyMillis = Math.max(200, (long) (everySeconds * 1000));
        this.thread = Thread.ofPlatform().name("bench-progress").daemon(true).start(this::run);
    }

    void status(String line) {
        out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
        out.flush();
    }

    /** Prints {@code line.get()} periodically until {@link #stopTicker()}. */
    void ticker(Supplier<String> line) {
        this.ticker = line;
    }

    void stopTicker() {
        this.ticker = null;
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(everyMillis);
            } catch (InterruptedException e) {
                return;
            }
            var t = ticker;
            if (t != null) {
                try {
                    status("  " + t.get());
                } catch (RuntimeException e) {
                    status("  (progress unavailable: " + e + ")");
                }
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
