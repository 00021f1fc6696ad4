package org.vae4j;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.DataSplits;

/** Small deterministic image data for tests: soft blobs at random positions on C×S×S. */
public final class TestData {
    private TestData() {}

    /** {@code n} records of soft blobs; label = quadrant of the blob. */
    public static ArrayDataset blobs(String name, int n, int channels, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = channels * size * size;
        float[] data = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double cx = 2 + r.nextDouble() * (size - 4);
            double cy = 2 + r.nextDouble() * (size - 4);
            double rad = 1.5 + r.nextDouble() * size / 6.0;
            labels[i] = (cx < size / 2.0 ? 0 : 1) + (cy < size / 2.0 ? 0 : 2);
            for (int c = 0; c < channels; c++) {
                double tint = channels == 1 ? 1 : 0.3 + 0.7 * ((c + i) % channels) / (double) channels;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double dist = Math.hypot(x - cx, y - cy);
                        double v = 1 / (1 + Math.exp((dist - rad) * 2));
                        data[i * d + c * size * size + y * size + x] = (float) (v * tint);
                    }
                }
            }
        }
        return new ArrayDataset(name, data, new int[] {channels, size, size}, labels, List.of("tl", "tr", "bl", "br"), Map.of());
    }

    /** Train/test splits of blobs. */
    public static DataSplits splits(int train, int test, int channels, int size) {
        return new DataSplits(blobs("blobs", train, channels, size, 1), blobs("blobs", test, channels, size, 2));
    }
}
