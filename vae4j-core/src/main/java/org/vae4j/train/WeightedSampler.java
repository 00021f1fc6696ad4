package org.vae4j.train;

import java.util.SplittableRandom;

/**
 * Draws record indices with replacement, each with probability proportional to its weight (inverse-CDF sampling by
 * binary search over cumulative weights). Deterministic for a seed, so that a resumed run draws the same batches.
 */
public final class WeightedSampler {
    private final double[] cumulative;

    /**
     * @param weights non-negative, finite, with a positive sum
     * @throws IllegalArgumentException otherwise
     */
    public WeightedSampler(double[] weights) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("no weights");
        }
        cumulative = new double[weights.length];
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("weight " + i + " is not a finite non-negative number: " + weights[i]);
            }
            s += weights[i];
            cumulative[i] = s;
        }
        if (!(s > 0)) {
            throw new IllegalArgumentException("all weights are zero");
        }
    }

    /**
     * {@code n} indices drawn independently with probability ∝ weight.
     *
     * @param n how many
     * @param seed the seed
     * @return the indices, in draw order
     */
    public int[] draw(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double total = cumulative[cumulative.length - 1];
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            double u = r.nextDouble() * total;
            // first index whose cumulative weight exceeds u: zero-weight records are never chosen
            int lo = 0;
            int hi = cumulative.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] > u) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            out[k] = lo;
        }
        return out;
    }
}
