package org.vae4j.train;

import java.util.Locale;

/** What a training step does when its loss or gradient is not finite ({@code --on-nan}). */
public enum NanPolicy {
    /**
     * Stop training with a one-line error; nothing of the failing epoch is saved, the last good checkpoint is kept. (A
     * non-finite gradient makes the weights, and so the next batch's loss, non-finite; the stop then comes one batch
     * later, still before anything is written.)
     */
    STOP("stop"),
    /** Zero the batch's gradients, warn, and go on with the next batch (the batch counts as skipped in the metrics). */
    SKIP_BATCH("skip-batch");

    private final String id;

    NanPolicy(String id) {
        this.id = id;
    }

    /** The option value ({@code stop}, {@code skip-batch}). */
    public String id() {
        return id;
    }

    /** The policy for an option value; throws naming the valid ones otherwise. */
    public static NanPolicy of(String id) {
        String s = id == null ? "stop" : id.toLowerCase(Locale.ROOT);
        for (NanPolicy p : values()) {
            if (p.id.equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("on-nan must be 'stop' or 'skip-batch', got '" + id + "'");
    }
}
