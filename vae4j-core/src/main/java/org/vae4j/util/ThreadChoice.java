package org.vae4j.util;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * How many PyTorch intra-op threads a piece of work gets: a number the user fixed, or one chosen by the work
 * ({@code --threads auto}).
 *
 * <p>Why choose: splitting a matrix product between threads pays only when each thread gets enough arithmetic to
 * cover the hand-over, and on a machine whose cores are busy with other processes the extra threads wait for a core
 * and every step waits for the slowest (a 9,000-parameter table model trained 40× slower with all cores than with one
 * on a busy machine). The rule: one thread per 100 MFLOP ({@link #FLOPS_PER_THREAD}) of floating-point work per step, at
 * most the cores that the system load leaves free, at least one. The estimate of the work is
 * {@link #trainingFlops} (about 6 flops per parameter per record: forward, and backward for inputs and weights) or
 * {@link #inferenceFlops} (2).
 *
 * <p>A chosen count depends on the load, so two runs may differ; {@code --threads N} fixes it (1 gives bit-identical
 * runs). Training records the count it used, and a resumed run uses it again.
 *
 * @param threads the intra-op thread count, ≥ 1
 * @param auto whether it was chosen rather than given
 * @param reason why, in a few words (for the output)
 */
public record ThreadChoice(int threads, boolean auto, String reason) {
    /** Work per step that one more thread needs to be worth having. */
    public static final double FLOPS_PER_THREAD = 100e6;

    /** Validates. */
    public ThreadChoice {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("threads must be in 1..1024, got " + threads);
        }
    }

    /** A count the user gave. */
    public static ThreadChoice fixed(int threads) {
        return new ThreadChoice(threads, false, "as given");
    }

    /**
     * Parses {@code auto} or a count 1..1024; {@code 0}, which meant "all cores" before {@code auto} existed, still
     * does (the processors available).
     *
     * @return null for {@code auto}, else the count
     * @throws IllegalArgumentException (one line) otherwise
     */
    public static Integer parse(String value) {
        String s = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            return null;
        }
        if (s.matches("\\d{1,4}")) {
            int n = Integer.parseInt(s);
            if (n == 0) {
                return Math.max(1, Math.min(1024, Runtime.getRuntime().availableProcessors()));
            }
            if (n <= 1024) {
                return n;
            }
        }
        throw new IllegalArgumentException("--threads must be auto, a number in 1..1024 or 0 (all cores), got '" + value + "'");
    }

    /** Floating-point work of one training step: ≈ 6 · parameters · batch (forward 2, backward 4). */
    public static double trainingFlops(long parameters, int batch) {
        return 6.0 * parameters * batch;
    }

    /** Floating-point work of one forward pass: ≈ 2 · parameters · batch. */
    public static double inferenceFlops(long parameters, int batch) {
        return 2.0 * parameters * batch;
    }

    /**
     * The count for {@code flopsPerStep} of work on this machine now: its cores and its system load average.
     *
     * @see #choose(double, int, double)
     */
    public static ThreadChoice auto(double flopsPerStep) {
        return choose(flopsPerStep, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /**
     * The rule: {@code min(cores, free cores, ⌊flops / FLOPS_PER_THREAD⌋)}, at least 1, where the free cores are the
     * cores less the system load average (rounded; other processes' runnable threads), when it is known.
     *
     * @param flopsPerStep estimated floating-point operations per step
     * @param cores processors available
     * @param load the system load average over the last minute, negative when unknown
     */
    public static ThreadChoice choose(double flopsPerStep, int cores, double load) {
        int byWork = (int) Math.min(1024, Math.max(1, Math.floor(flopsPerStep / FLOPS_PER_THREAD)));
        int c = Math.max(1, Math.min(1024, cores));
        int free = load < 0 || Double.isNaN(load) ? c : (int) Math.max(1, c - Math.round(load));
        int n = Math.max(1, Math.min(c, Math.min(free, byWork)));
        String work = String.format(Locale.ROOT, "%s per step", flops(flopsPerStep));
        String reason;
        if (n == c) {
            reason = work + ", " + c + (c == 1 ? " core" : " cores");
        } else if (byWork <= free && byWork < c) {
            reason = work + " is too little to share" + (n == 1 ? "" : " among more threads");
        } else {
            reason = String.format(Locale.ROOT, "%s, but load %.1f leaves %d of %d cores free", work, load, free, c);
        }
        return new ThreadChoice(n, true, reason);
    }

    /** Applies the count to the engine. */
    public void apply() {
        Engines.setThreads(threads);
    }

    /** "1 (auto: 2.6 MFLOP per step is too little to share)", or "4" when given. */
    public String describe() {
        return threads + (auto ? " (auto: " + reason + "; --threads N fixes it)" : "");
    }

    private static String flops(double f) {
        if (f >= 1e9) {
            return String.format(Locale.ROOT, "%.1f GFLOP", f / 1e9);
        }
        if (f >= 1e6) {
            return String.format(Locale.ROOT, "%.1f MFLOP", f / 1e6);
        }
        return String.format(Locale.ROOT, "%.0f kFLOP", f / 1e3);
    }
}
