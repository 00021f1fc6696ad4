package org.vae4j.train;


/**
 * Training settings.
 *
 * @param epochs epochs to train (total, counting resumed ones)
 * @param batchSize records per step
 * @param lr Adam learning rate
 * @param beta1 Adam β1
 * @param beta2 Adam β2
 * @param seed seed for initialisation, shuffling, sampling and dropout
 * @param threads PyTorch intra-op threads (0 = leave the engine's default, all cores)
 * @param klWarmupEpochs epochs over which β rises linearly from 0 to its value (0 = off)
 * @param freeBits nats per latent dimension not penalised (0 = off)
 * @param clipNorm global gradient-norm clip (0 = off)
 * @param onNan {@code stop} (default) or {@code skip-batch} when a loss or gradient is not finite
 * @param evalBatchSize records per evaluation batch
 * @param lrSchedule how the learning rate changes over the epochs ({@link LearningRateSchedule}); null for constant
 *     (left out of train.json then, so runs without a schedule write the same file as before)
 */
public record TrainConfig(
        int epochs,
        int batchSize,
        double lr,
        double beta1,
        double beta2,
        long seed,
        int threads,
        int klWarmupEpochs,
        double freeBits,
        double clipNorm,
        String onNan,
        int evalBatchSize,
        @org.vae4j.util.Json.Optional String lrSchedule) {

    /** Validates. */
    public TrainConfig {
        if (epochs < 1 || epochs > 1_000_000) {
            throw new IllegalArgumentException("epochs must be in 1..1000000, got " + epochs);
        }
        if (batchSize < 1 || batchSize > 1 << 20) {
            throw new IllegalArgumentException("batch size must be in 1..1048576, got " + batchSize);
        }
        if (!(lr > 0) || lr > 10) {
            throw new IllegalArgumentException("learning rate must be in (0, 10], got " + lr);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (threads < 0 || threads > 1024) {
            throw new IllegalArgumentException("threads must be in 0..1024, got " + threads);
        }
        if (klWarmupEpochs < 0) {
            throw new IllegalArgumentException("KL warm-up epochs must be >= 0, got " + klWarmupEpochs);
        }
        if (!(freeBits >= 0) || Double.isInfinite(freeBits)) {
            throw new IllegalArgumentException("free bits must be >= 0, got " + freeBits);
        }
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("gradient clip norm must be >= 0, got " + clipNorm);
        }
        onNan = NanPolicy.of(onNan).id();
        if (evalBatchSize < 1) {
            throw new IllegalArgumentException("eval batch size must be >= 1, got " + evalBatchSize);
        }
        LearningRateSchedule schedule = LearningRateSchedule.of(lrSchedule);
        lrSchedule = schedule == LearningRateSchedule.CONSTANT ? null : schedule.id();
    }

    /** Settings with a constant learning rate (see the canonical constructor). */
    public TrainConfig(int epochs, int batchSize, double lr, double beta1, double beta2, long seed, int threads,
            int klWarmupEpochs, double freeBits, double clipNorm, String onNan, int evalBatchSize) {
        this(epochs, batchSize, lr, beta1, beta2, seed, threads, klWarmupEpochs, freeBits, clipNorm, onNan, evalBatchSize, null);
    }

    /** The schedule {@link #lrSchedule()} names. */
    public LearningRateSchedule schedule() {
        return LearningRateSchedule.of(lrSchedule);
    }

    /** The learning rate of a 1-based epoch under the schedule. */
    public double learningRate(int epoch) {
        return lr * schedule().factor(epoch, epochs);
    }

    /** Copy with another learning-rate schedule. */
    public TrainConfig withLrSchedule(String schedule) {
        return new TrainConfig(epochs, batchSize, lr, beta1, beta2, seed, threads, klWarmupEpochs, freeBits, clipNorm, onNan, evalBatchSize,
                schedule);
    }

    /** The NaN policy {@link #onNan()} names. */
    public NanPolicy nanPolicy() {
        return NanPolicy.of(onNan);
    }

    /** Defaults: 10 epochs, batch 128, Adam(1e-3, 0.9, 0.999), seed 1, all cores. */
    public static TrainConfig defaults() {
        return new TrainConfig(10, 128, 1e-3, 0.9, 0.999, 1, 0, 0, 0, 0, "stop", 1000);
    }

    /** Copy with another epoch count. */
    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batchSize, lr, beta1, beta2, seed, threads, klWarmupEpochs, freeBits, clipNorm, onNan, evalBatchSize, lrSchedule);
    }

    /** Copy with another batch size. */
    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(epochs, b, lr, beta1, beta2, seed, threads, klWarmupEpochs, freeBits, clipNorm, onNan, evalBatchSize, lrSchedule);
    }

    /** Copy with another learning rate. */
    public TrainConfig withLr(double l) {
        return new TrainConfig(epochs, batchSize, l, beta1, beta2, seed, threads, klWarmupEpochs, freeBits, clipNorm, onNan, evalBatchSize, lrSchedule);
    }

    /** Copy with another seed. */
    public TrainConfig withSeed(long s) {
        return new TrainConfig(epochs, batchSize, lr, beta1, beta2, s, threads, klWarmupEpochs, freeBits, clipNorm, onNan, evalBatchSize, lrSchedule);
    }

    /** Copy with another thread count. */
    public TrainConfig withThreads(int t) {
        return new TrainConfig(epochs, batchSize, lr, beta1, beta2, seed, t, klWarmupEpochs, freeBits, clipNorm, onNan, evalBatchSize, lrSchedule);
    }

    /** Copy with KL warm-up, free bits and clipping. */
    public TrainConfig withRegularisation(int warmup, double fb, double clip) {
        return new TrainConfig(epochs, batchSize, lr, beta1, beta2, seed, threads, warmup, fb, clip, onNan, evalBatchSize, lrSchedule);
    }

    /** Copy with another non-finite policy. */
    public TrainConfig withOnNan(String policy) {
        return new TrainConfig(epochs, batchSize, lr, beta1, beta2, seed, threads, klWarmupEpochs, freeBits, clipNorm, policy, evalBatchSize, lrSchedule);
    }

    /** β multiplier for a 1-based epoch under linear warm-up. */
    public double warmupFactor(int epoch) {
        return klWarmupEpochs == 0 ? 1.0 : Math.min(1.0, (double) epoch / klWarmupEpochs);
    }
}
