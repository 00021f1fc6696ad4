package org.vae4j.latent;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.vae4j.model.VaeModel;

/**
 * Adam on latent codes with the model's weights held fixed: minimises a per-record objective f(z) by gradient
 * descent on z alone. Each step runs in its own {@link NDManager} sub-manager; the weights' {@code requiresGradient}
 * flags are switched off for the duration (so no gradient flows into them) and restored afterwards.
 */
final class LatentOptimizer {
    /** Adam's default moment decay rates and ε (Kingma &amp; Ba 2015). */
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    /**
     * Test hook: force a garbage collection between forward and backward in every step, so a test can show that
     * the objectives hold no Java-memory temporaries that backward would read after they are freed.
     */
    static volatile boolean gcBetweenForwardAndBackward;

    /** A per-record objective. */
    interface Objective {
        /**
         * Losses for codes {@code z}. Runs under a {@link GradientCollector}: combine NDArrays only with NDArrays
         * (constants from {@link VaeModel#scalars()} or created up front), never with Java numbers.
         *
         * @param z codes {@code (n, L)}
         * @return per-record losses {@code (n)}
         */
        NDArray loss(NDArray z);
    }

    /**
     * Result of a minimisation.
     *
     * @param codes the best code seen for each record, {@code n × L}
     * @param initialLoss each record's objective at the start
     * @param bestLoss each record's objective at the returned code
     */
    record Result(float[] codes, float[] initialLoss, float[] bestLoss) {}

    private LatentOptimizer() {}

    /**
     * Minimises {@code objective} over {@code n} codes, starting from {@code start}, keeping for each record the
     * code with the lowest objective seen (so the result is never worse than the start).
     *
     * @param constants manager whose sub-managers hold each step's arrays (a sub-manager of the model's)
     * @param start {@code n × latent} starting codes
     * @param iterations Adam steps, at least 1
     * @param lr Adam step size
     */
    static Result minimize(VaeModel model, NDManager constants, float[] start, int n, int iterations, double lr,
                           Objective objective) {
        int l = model.latent();
        Mask.checkRecords(start, n, l);
        if (iterations < 1) {
            throw new IllegalArgumentException("--iterations must be at least 1, got " + iterations);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("the step size must be positive, got " + lr);
        }
        float[] z = start.clone();
        float[] best = start.clone();
        float[] bestLoss = new float[n];
        float[] initialLoss = null;
        java.util.Arrays.fill(bestLoss, Float.POSITIVE_INFINITY);
        double[] m = new double[z.length];
        double[] v = new double[z.length];
        try (VaeModel.FrozenWeights frozen = model.freezeWeights()) {
            // iterations + 1 evaluations: the last one only scores the final code
            for (int step = 0; step <= iterations; step++) {
                float[] loss;
                float[] grad;
                try (NDManager sub = constants.newSubManager()) {
                    NDArray zArr = sub.create(z, new Shape(n, l));
                    zArr.setRequiresGradient(true);
                    NDArray perRecord;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        perRecord = objective.loss(zArr);
                        if (gcBetweenForwardAndBackward) {
                            System.gc();
                        }
                        gc.backward(perRecord.sum());
                    }
                    loss = perRecord.toFloatArray();
                    grad = zArr.getGradient().toFloatArray();
                }
                if (initialLoss == null) {
                    initialLoss = loss.clone();
                }
                for (int i = 0; i < n; i++) {
                    if (loss[i] < bestLoss[i]) {
                        bestLoss[i] = loss[i];
                        System.arraycopy(z, i * l, best, i * l, l);
                    }
                }
                if (step == iterations) {
                    break;
                }
                int t = step + 1;
                double c1 = 1 - Math.pow(BETA1, t);
                double c2 = 1 - Math.pow(BETA2, t);
                for (int j = 0; j < z.length; j++) {
                    double g = grad[j];
                    if (!Double.isFinite(g)) {
                        g = 0;
                    }
                    m[j] = BETA1 * m[j] + (1 - BETA1) * g;
                    v[j] = BETA2 * v[j] + (1 - BETA2) * g * g;
                    z[j] -= (float) (lr * (m[j] / c1) / (Math.sqrt(v[j] / c2) + EPS));
                }
            }
        }
        return new Result(best, initialLoss, bestLoss);
    }

}
