package org.vae4j.spark;

/**
 * A failure of a vae4j job on Spark with a one-line message meant for the user (which host, which file or column,
 * what is wrong). Spark wraps what a task throws; {@link #rootMessage} digs it out again on the driver.
 */
public class VaeSparkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line */
    public VaeSparkException(String message) {
        super(message);
    }

    /** @param message one line */
    public VaeSparkException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first line of a throwable's message (its class name when it has none). */
    static String firstLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        int i = m.indexOf('\n');
        return i < 0 ? m : m.substring(0, i);
    }

    /** What a job on a Spark application that was stopped under it comes to (see {@link #stoppedContext}). */
    static final String STOPPED = "the Spark application was stopped before the job could finish: the master removed it"
            + " (on a standalone cluster: its executors failed to launch or kept exiting; the workers' logs and the"
            + " executors' stderr in their work directories say why) or it was killed";

    /**
     * Whether a throwable (or its cause chain) says the SparkContext was stopped: Spark's own "Cannot call methods on a
     * stopped SparkContext" (an {@link IllegalStateException}) or a job "cancelled because SparkContext was shut down".
     * A standalone master removes an application whose executors fail to launch, and the application's context stops;
     * those texts are all the driver is then left with.
     */
    public static boolean stoppedContext(Throwable t) {
        for (Throwable c = t; c != null && c != c.getCause(); c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.startsWith("Cannot call methods on a stopped SparkContext")
                    || m.contains("because SparkContext was shut down"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The one line to show for a failed Spark job: the message of the innermost vae4j or data error in the cause chain
     * (Spark repeats a task's exception in its own "Job aborted due to stage failure: ..." text), else Spark's own first
     * line, with a lost executor said plainly.
     */
    public static String rootMessage(Throwable t) {
        Throwable best = null;
        for (Throwable c = t; c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof VaeSparkException || c instanceof org.vae4j.data.DataException
                    || c instanceof org.vae4j.io.ModelFormatException || c instanceof IllegalArgumentException) {
                best = c;
            }
        }
        if (best != null) {
            return firstLine(best);
        }
        if (stoppedContext(t)) {
            return STOPPED;
        }
        String m = firstLine(t);
        if (m.contains("ExecutorLostFailure") || m.contains("lost executor") || m.contains("Executor heartbeat timed out")
                || m.contains("executor lost")) {
            return "an executor was lost and the job could not finish (" + m + ")";
        }
        return m;
    }
}
