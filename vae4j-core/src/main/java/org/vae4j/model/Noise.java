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
        SplittableRandom[] streams = new SplittableRandom[n];
        for (int i = 0; i < n; i++) {
            streams[i] = new SplittableRandom(recordSeed(seed, data, offset + i * width, width));
        }
        return new PerRecord(streams);
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

    /** Per-record streams; {@link #normal} draws record by record. */
    final class PerRecord implements Noise {
        private final SplittableRandom[] streams;
        /** Box–Muller gives pairs; a record's unused second value is kept for its next draw, so chunking never matters. */
        private final float[] spare;
        private final boolean[] hasSpare;

        private PerRecord(SplittableRandom[] streams) {
            this.streams = streams;
            this.spare = new float[streams.length];
            this.hasSpare = new boolean[streams.length];
        }

        @Override
        public NDArray normal(NDManager manager, Shape shape) {
            long n = shape.get(0);
            if (n != streams.length) {
                throw new IllegalArgumentException("noise for " + streams.length + " records asked for shape " + shape);
            }
            long per = shape.size() / Math.max(1, n);
            if (shape.size() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("too many draws at once: " + shape);
            }
            float[] v = new float[(int) shape.size()];
            int k = 0;
            for (int i = 0; i < streams.length; i++) {
                SplittableRandom r = streams[i];
                long j = 0;
                if (per > 0 && hasSpare[i]) {
                    v[k++] = spare[i];
                    hasSpare[i] = false;
                    j = 1;
                }
                for (; j < per; j += 2) {
                    // Box–Muller: both values of a pair, so one pair of uniforms per two draws
                    double u1 = r.nextDouble();
                    double u2 = r.nextDouble();
                    double rad = Math.sqrt(-2 * Math.log(1 - u1));
                    double a = 2 * Math.PI * u2;
                    v[k++] = (float) (rad * Math.cos(a));
                    float second = (float) (rad * Math.sin(a));
                    if (j + 1 < per) {
                        v[k++] = second;
                    } else {
                        spare[i] = second;
                        hasSpare[i] = true;
                    }
                }
            }
            return manager.create(v, shape);
        }
    }
}
