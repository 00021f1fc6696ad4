package org.vae4j.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Machine facts that bound training speed. */
public final class Diagnostics {
    private Diagnostics() {}

    /**
     * Float matmul throughput for an {@code m×k · k×n} product, in GFLOP/s (best of several timed repeats).
     *
     * @param seconds rough time budget
     */
    public static double matmulGflops(int m, int k, int n, double seconds) {
        try (NDManager mgr = NDManager.newBaseManager()) {
            NDArray a = mgr.randomUniform(0, 1, new Shape(m, k));
            NDArray b = mgr.randomUniform(0, 1, new Shape(k, n));
            for (int i = 0; i < 20; i++) {
                a.matMul(b).close();
            }
            double flops = 2.0 * m * k * n;
            double best = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                int reps = 50;
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    a.matMul(b).close();
                }
                double dt = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, reps * flops / dt / 1e9);
            }
            return best;
        }
    }

    /**
     * Best of {@code repeats} timed runs after one warm-up run, in milliseconds. Each run times what it measures
     * itself and returns the nanoseconds, so that its set-up stays outside the figure.
     */
    public static double bestMillis(int repeats, java.util.function.LongSupplier timedRun) {
        timedRun.getAsLong(); // warm-up
        double best = Double.MAX_VALUE;
        for (int i = 0; i < Math.max(1, repeats); i++) {
            best = Math.min(best, timedRun.getAsLong() / 1e6);
        }
        return best;
    }
}
