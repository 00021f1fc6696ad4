package org.vae4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Where a model's stochastic draws (ε in z = μ + σ⊙ε) come from. Randomness is always explicit: a caller passes
 * the noise, seeded, into every stochastic call.
 *
 * <ul>
 *   <li>{@link #perRecord}: every record has its own stream, seeded from (seed, the record's values), so a record's
 *       score, sampled code or importance estimate does not depend on the batch size, on the other records in its
 *       batch, on their order, or on anything else running in the same JVM (a server, a Spark executor).
 *   <li>{@link #engine}: the engine's generator, which the trainer re-seeds from (run seed, epoch) every epoch so that
 *       a resumed run replays exactly; fast, but shared by everything in the JVM, so only training uses it.
 * </ul>
 */
public interface Noise {

    /**
     * Standard normal draws.
     *
     * @param manager owner of the result
     * @param shape {@code (N, ...)}: N records, each getting {@code shape.size() / N} draws
     */
    NDArray normal(NDManager manager, Shape shape);

    /** The engine's global generator (training only: seeded by the trainer per epoch). */
    static Noise engine() {
        return NDManager::randomNormal;
    }

    /**
     * One stream per record, seeded from {@code seed} and the record's values: the draws of a record depend on
     * nothing else. Successive calls continue each record's stream.
     *
     * @param seed the caller's seed
     * @param data the records as the model sees them, row-major
     * @param offset index of the first record's first value in {@code data}
     * @param n records
     * @param width values per record
     */
    static Noise perRecord(long seed, float[] data, int offset, int n, int width) {
        long[] seeds = new long[n];
        for (int i = 0; i < n; i++) {
            seeds[i] = recordSeed(seed, data, offset + i * width, width);
        }
        return new PerRecord(seeds);
    }

    /**
     * The seed of one record's stream: SplitMix64 over the caller's seed and the record's float bits. Equal records
     * get equal streams (they are the same input), different records independent ones.
     */
    static long recordSeed(long seed, float[] data, int offset, int width) {
        long h = mix(seed ^ 0x6A09E667F3BCC909L);
        for (int j = 0; j < width; j++) {
            h = mix(h ^ (Float.floatToIntBits(data[offset + j]) & 0xffffffffL) * 0x9E3779B97F4A7C15L + j);
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Per-record streams. A record's stream is {@link SplittableRandom}'s sequence from the record's seed, turned into
     * normals by Box–Muller (two uniforms give a pair of values). That generator is counter-based: its n-th value is
     * a function of (seed + n·γ) alone, so any stretch of a stream can be drawn without drawing what precedes it,
     * and a large draw is split over the processors with exactly the values drawing it in one sequence gives. (An
     * importance-weighted estimate draws 100,000 values per record at K = 5,000 for 20 latents, about 2 ms on one
     * core: the one part of the estimate that did not use every core.)
     */
    final class PerRecord implements Noise {
        /** SplittableRandom's increment: a generator made with seed s + n·γ continues the one made with s after n longs. */
        private static final long GAMMA = 0x9e3779b97f4a7c15L;
        /** Whether this JDK's SplittableRandom is that sequence (checked once; otherwise streams are skipped ahead). */
        private static final boolean JUMPS = jumps();
        /** Values per task of a split draw, and the draws below which splitting costs more than it saves. */
        static final int SEGMENT = 8_192;
        static final int PARALLEL_MIN = 4 * SEGMENT;

        private final long[] seeds;
        /** Values each record's stream has given so far: the next draw continues there, so chunking never matters. */
        private final long[] positions;

        private PerRecord(long[] seeds) {
            this.seeds = seeds;
            this.positions = new long[seeds.length];
        }

        @Override
        public NDArray normal(NDManager manager, Shape shape) {
            long n = shape.get(0);
            if (n != seeds.length) {
                throw new IllegalArgumentException("noise for " + seeds.length + " records asked for shape " + shape);
            }
            if (shape.size() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("too many draws at once: " + shape);
            }
            int per = (int) (shape.size() / Math.max(1, n));
            float[] v = new float[(int) shape.size()];
            // tasks: (record, first value) stretches of at most SEGMENT values
            int perRecord = (per + SEGMENT - 1) / SEGMENT;
            int tasks = seeds.length * Math.max(1, perRecord);
            java.util.function.IntConsumer task = t -> {
                int i = t / Math.max(1, perRecord);
                int from = (t % Math.max(1, perRecord)) * SEGMENT;
                int count = Math.min(SEGMENT, per - from);
                if (count > 0) {
                    fill(seeds[i], positions[i] + from, v, i * per + from, count);
                }
            };
            if (v.length >= PARALLEL_MIN) {
                java.util.stream.IntStream.range(0, tasks).parallel().forEach(task);
            } else {
                for (int t = 0; t < tasks; t++) {
                    task.accept(t);
                }
            }
            for (int i = 0; i < seeds.length; i++) {
                positions[i] += per;
            }
            return manager.create(v, shape);
        }

        /** Writes the stream's values at positions [q, q + count) to {@code dst[off..]}. */
        static void fill(long seed, long q, float[] dst, int off, int count) {
            int k = off;
            int end = off + count;
            // value q is half of the pair drawn from the stream's longs q − q mod 2 and the one after
            SplittableRandom r = at(seed, q - (q & 1));
            boolean secondOnly = (q & 1) == 1;
            while (k < end) {
                // Box–Muller: a pair of values from two uniforms
                double u1 = r.nextDouble();
                double u2 = r.nextDouble();
                double rad = Math.sqrt(-2 * Math.log(1 - u1));
                double a = 2 * Math.PI * u2;
                if (secondOnly) {
                    secondOnly = false;
                } else {
                    dst[k++] = (float) (rad * Math.cos(a));
                    if (k == end) {
                        break;
                    }
                }
                dst[k++] = (float) (rad * Math.sin(a));
            }
        }

        /** The stream from {@code seed} after {@code longs} values. */
        static SplittableRandom at(long seed, long longs) {
            if (JUMPS) {
                return new SplittableRandom(seed + longs * GAMMA);
            }
            SplittableRandom r = new SplittableRandom(seed);
            for (long j = 0; j < longs; j++) {
                r.nextLong();
            }
            return r;
        }

        private static boolean jumps() {
            SplittableRandom r = new SplittableRandom(0x5DEECE66DL);
            for (int j = 0; j < 37; j++) {
                r.nextLong();
            }
            SplittableRandom jumped = new SplittableRandom(0x5DEECE66DL + 37 * GAMMA);
            return r.nextLong() == jumped.nextLong() && r.nextDouble() == jumped.nextDouble();
        }
    }
}
