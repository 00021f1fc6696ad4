package org.vae4j.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** A simple in-place progress line on stderr for long evaluations. */
final class ProgressLine {
    private final PrintWriter err;
    private final String task;
    private final int total;
    private final boolean silent;
    private final long start = System.nanoTime();
    private long last;

    ProgressLine(PrintWriter err, String task, int total, boolean silent) {
        this.err = err;
        this.task = task;
        this.total = total;
        this.silent = silent || System.console() == null;
    }

    void update(int done) {
        long now = System.nanoTime();
        if (silent || now - last < 500_000_000L) {
            return;
        }
        last = now;
        double secs = (now - start) / 1e9;
        double eta = done == 0 ? 0 : secs * (total - done) / done;
        err.printf(Locale.ROOT, "\r%s: %d/%d records, %.0f s elapsed, ETA %.0f s   ", task, done, total, secs, eta);
        err.flush();
    }

    void done() {
        if (!silent) {
            err.println();
        }
    }
}
