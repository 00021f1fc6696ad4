package org.vae4j.train;

import java.util.Locale;

/**
 * How the learning rate changes over a run, epoch by epoch (a function of the epoch only, so resume replays it
 * exactly).
 *
 * <ul>
 *   <li>{@code constant}: the base rate throughout (the default).
 *   <li>{@code burda}: the schedule of Burda, Grosse &amp; Salakhutdinov (IWAE, 2016), fitted to the run's epochs:
 *       eight stages i = 0..7 at base·10^(−i/7), stage i lasting 3^i/3280 of the run (the paper's 3^i passes out of
 *       3,280). With 3,280 epochs it is the paper's schedule; with fewer, the same shape compressed: short stages
 *       at high rates first, two thirds of the run at a tenth of the base rate. Long low-rate stages are what let the
 *       paper's models settle into their final likelihoods.
 *   <li>{@code cosine}: base·(1 + cos(π·(e−1)/E))/2 with a floor of base/100 (a common smooth alternative).
 * </ul>
 */
public enum LearningRateSchedule {
    /** The base rate throughout. */
    CONSTANT("constant"),
    /** The IWAE paper's stages, compressed to the run's epochs. */
    BURDA("burda"),
    /** Half a cosine from the base rate down to a hundredth of it. */
    COSINE("cosine");

    private static final int STAGES = 8;
    private static final double PAPER_EPOCHS = 3280; // Σ 3^i, i = 0..7

    private final String id;

    LearningRateSchedule(String id) {
        this.id = id;
    }

    /** The name {@code --lr-schedule} takes. */
    public String id() {
        return id;
    }

    /**
     * The schedule a name gives ({@code null} or blank: constant).
     *
     * @throws IllegalArgumentException (one line) for an unknown name
     */
    public static LearningRateSchedule of(String name) {
        if (name == null || name.isBlank()) {
            return CONSTANT;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (LearningRateSchedule s : values()) {
            if (s.id.equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("learning-rate schedule must be constant, burda or cosine, got '" + name + "'");
    }

    /**
     * The factor on the base rate in epoch {@code epoch} (1-based) of a run of {@code epochs}.
     */
    public double factor(int epoch, int epochs) {
        if (epoch < 1 || epochs < 1) {
            throw new IllegalArgumentException("epoch and epochs must be >= 1, got " + epoch + " of " + epochs);
        }
        double progress = (epoch - 1) / (double) epochs; // where the epoch starts, in [0, 1)
        return switch (this) {
            case CONSTANT -> 1.0;
            case BURDA -> Math.pow(10, -stage(progress) / 7.0);
            case COSINE -> Math.max(0.01, 0.5 * (1 + Math.cos(Math.PI * progress)));
        };
    }

    /** The paper's stage (0..7) at a point of the run: stage i spans cumulative 3^i fractions. */
    static int stage(double progress) {
        double end = 0;
        double passes = 1;
        for (int i = 0; i < STAGES; i++) {
            end += passes / PAPER_EPOCHS;
            if (progress < end - 1e-12) {
                return i;
            }
            passes *= 3;
        }
        return STAGES - 1;
    }
}
