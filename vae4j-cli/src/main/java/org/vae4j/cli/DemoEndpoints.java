package org.vae4j.cli;

import java.util.Map;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.ShapesDataset;

/**
 * The two test records an interpolation picture runs between. On data with known shape factors (the built-in
 * {@code shapes}) these are two different shapes, both as large as the split has them, at (nearly) the same place and
 * rotation, so the path shows one shape turning into another (the lectures' claim that a VAE's latent space lets one
 * interpolate between classes) rather than a small blob sliding across the image through faint in-between frames. On
 * other labelled data: record 0 and the first record with another label; unlabelled: records 0 and 1.
 */
final class DemoEndpoints {
    private DemoEndpoints() {}

    /**
     * Picks the endpoints.
     *
     * @param ds the test split (at least one record)
     * @return two record indices (the same one twice when the split has a single record)
     */
    static int[] pick(ArrayDataset ds) {
        return pick(ds, null, 0);
    }

    /**
     * Picks the endpoints; among the equally good pairs of shapes, the one whose posterior means lie farthest apart,
     * the pair the model tells apart best, so the strip shows as much change as the model has learned.
     *
     * @param ds the test split (at least one record)
     * @param mu the posterior means of all its records ({@code size × latent}), or null to take the first good pair
     * @param latent the code length
     * @return two record indices
     */
    static int[] pick(ArrayDataset ds, float[] mu, int latent) {
        Map<String, int[]> f = ds.factors();
        if (f != null && f.containsKey(ShapesDataset.SHAPE) && f.containsKey(ShapesDataset.SCALE) && f.containsKey(ShapesDataset.X)
                && f.containsKey(ShapesDataset.Y)) {
            java.util.List<int[]> pairs = contrastingShapes(f, ds.size());
            if (!pairs.isEmpty()) {
                int[] best = pairs.get(0);
                double far = -1;
                for (int[] p : mu == null ? java.util.List.of(best) : pairs) {
                    double d = 0;
                    for (int j = 0; mu != null && j < latent; j++) {
                        double e = mu[p[0] * latent + j] - mu[p[1] * latent + j];
                        d += e * e;
                    }
                    if (d > far) {
                        far = d;
                        best = p;
                    }
                }
                return best;
            }
        }
        return new int[] {0, firstWithOtherLabel(ds)};
    }

    /**
     * The pairs of records of different shapes that cost least: each step of scale below the largest, of distance
     * between the two centres (in grid steps) and of rotation (in 45° steps, at most 2) costs 1; in index order.
     * Empty when the split has one shape only.
     */
    static java.util.List<int[]> contrastingShapes(Map<String, int[]> f, int n) {
        int[] shape = f.get(ShapesDataset.SHAPE);
        int[] scale = f.get(ShapesDataset.SCALE);
        int[] x = f.get(ShapesDataset.X);
        int[] y = f.get(ShapesDataset.Y);
        int[] rot = f.get(ShapesDataset.ROTATION);
        int maxScale = java.util.Arrays.stream(scale, 0, n).max().orElse(0);
        // only the largest few sizes are candidates: the pair must be big, and n² over all records would be slow
        int[] candidates = java.util.stream.IntStream.range(0, n).filter(i -> scale[i] >= maxScale - 1)
                .toArray();
        int best = Integer.MAX_VALUE;
        java.util.List<int[]> pairs = new java.util.ArrayList<>();
        for (int ai = 0; ai < candidates.length; ai++) {
            int a = candidates[ai];
            for (int bi = ai + 1; bi < candidates.length; bi++) {
                int b = candidates[bi];
                if (shape[a] == shape[b]) {
                    continue;
                }
                int rd = 0;
                if (rot != null) {
                    int d = Math.floorMod(rot[a] - rot[b], 8);
                    rd = Math.min(2, Math.min(d, 8 - d));
                }
                int cost = (maxScale - scale[a]) + (maxScale - scale[b]) + Math.abs(x[a] - x[b]) + Math.abs(y[a] - y[b]) + rd;
                if (cost < best) {
                    best = cost;
                    pairs.clear();
                }
                if (cost == best) {
                    pairs.add(new int[] {a, b});
                }
            }
        }
        return pairs;
    }

    /** The first record whose label differs from record 0's; record 1 (or 0) for unlabelled data. */
    static int firstWithOtherLabel(ArrayDataset ds) {
        if (!ds.hasLabels()) {
            return Math.min(1, ds.size() - 1);
        }
        int[] labels = ds.labels();
        for (int i = 1; i < labels.length; i++) {
            if (labels[i] != labels[0]) {
                return i;
            }
        }
        return Math.min(1, ds.size() - 1);
    }
}
