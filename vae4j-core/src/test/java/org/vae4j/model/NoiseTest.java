package org.vae4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-record noise is each record's SplittableRandom sequence through Box–Muller, drawn one pair after another. Drawing
 * it in stretches (chunks of any size, one value left of a pair, large draws split over the processors) must give
 * exactly those values, bit for bit: saved estimates and scores depend on them.
 */
class NoiseTest {
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** The sequence as drawn one pair at a time from the record's stream. */
    static float[] reference(long recordSeed, int count) {
        SplittableRandom r = new SplittableRandom(recordSeed);
        float[] v = new float[count];
        for (int k = 0; k < count; k += 2) {
            double u1 = r.nextDouble();
            double u2 = r.nextDouble();
            double rad = Math.sqrt(-2 * Math.log(1 - u1));
            double a = 2 * Math.PI * u2;
            v[k] = (float) (rad * Math.cos(a));
            if (k + 1 < count) {
                v[k + 1] = (float) (rad * Math.sin(a));
            }
        }
        return v;
    }

    @Test
    void chunkedAndSplitDrawsGiveEachRecordsSequenceBitForBit() {
        int n = 3;
        int width = 5;
        float[] data = new float[n * width];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.25f;
        }
        // odd chunks (a pair split across draws), then one draw large enough to be split over the processors
        int big = Noise.PerRecord.PARALLEL_MIN / n + Noise.PerRecord.SEGMENT / 3 + 1;
        int[] chunks = {1, 3, 2, 7, big, 1, 5};
        int total = 0;
        for (int c : chunks) {
            total += c;
        }
        Noise noise = Noise.perRecord(42, data, 0, n, width);
        float[][] got = new float[n][total];
        int at = 0;
        for (int c : chunks) {
            float[] v = noise.normal(manager, new Shape(n, c)).toFloatArray();
            for (int i = 0; i < n; i++) {
                System.arraycopy(v, i * c, got[i], at, c);
            }
            at += c;
        }
        for (int i = 0; i < n; i++) {
            float[] want = reference(Noise.recordSeed(42, data, i * width, width), total);
            assertThat(got[i]).as("record " + i).containsExactly(want);
        }
        // and the same records drawn in one go, as one of a batch of one: the same values again
        float[] alone = Noise.perRecord(42, data, width, 1, width).normal(manager, new Shape(1, total)).toFloatArray();
        assertThat(alone).containsExactly(got[1]);
    }

    @Test
    void aStretchOfTheStreamStartsWhereTheSequenceIsThere() {
        long seed = 0x0123456789ABCDEFL;
        float[] want = reference(seed, 1001);
        for (int from : new int[] {0, 1, 2, 499, 998}) {
            float[] part = new float[1001 - from];
            Noise.PerRecord.fill(seed, from, part, 0, part.length);
            for (int k = 0; k < part.length; k++) {
                assertThat(part[k]).as("from " + from + ", value " + k).isEqualTo(want[from + k]);
            }
        }
    }
}
