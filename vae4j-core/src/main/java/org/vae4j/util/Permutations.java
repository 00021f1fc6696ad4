package org.vae4j.util;

import java.util.SplittableRandom;

/** Seeded shuffles, the one source of record orders (training batches, held-out splits), so equal seeds give equal orders. */
public final class Permutations {
    private Permutations() {}

    /**
     * A uniformly random permutation of {@code 0..n-1} (Fisher–Yates), the same for the same seed.
     *
     * @param n length, non-negative
     * @param seed seed of the {@link SplittableRandom} drawing the swaps
     * @return the permutation
     */
    public static int[] shuffled(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
