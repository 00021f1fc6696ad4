package org.vae4j.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The built-in synthetic data set: dSprites-like images of a single shape on a black background,
 * generated procedurally and deterministically from a seed, with known generative factors.
 *
 * <p>Factors, each an index into a small set of values:
 *
 * <ul>
 *   <li>{@code shape} (3): 0 square, 1 ellipse, 2 heart; also the class label;
 *   <li>{@code scale} (6): the diameter of the shape's circumscribed circle, from 0.3 to 0.6 of the
 *       image side in equal steps;
 *   <li>{@code rotation} (8): {@code k * 45} degrees, {@code k = 0..7} (the square repeats every 90
 *       and the ellipse every 180 degrees, as in dSprites);
 *   <li>{@code x}, {@code y} (8 each): the centre, from 0.3 to 0.7 of the image side in equal
 *       steps, so that even the largest shape stays inside the image;
 *   <li>{@code color} (6, RGB only): red, green, blue, yellow, magenta, cyan. Grey images are white.
 * </ul>
 *
 * <p>Pixels are the fraction of 4x4 sub-pixel samples that fall inside the analytic shape (after
 * undoing rotation and scale), which anti-aliases the edges; values are in [0,1].
 */
public final class ShapesDataset {

    /** Factor name: the shape (square, ellipse, heart). */
    public static final String SHAPE = "shape";
    /** Factor name: the size. */
    public static final String SCALE = "scale";
    /** Factor name: the rotation angle. */
    public static final String ROTATION = "rotation";
    /** Factor name: the horizontal position. */
    public static final String X = "x";
    /** Factor name: the vertical position. */
    public static final String Y = "y";
    /** Factor name: the colour (RGB images only). */
    public static final String COLOR = "color";

    /** Shape names, indexed by the {@code shape} factor (and label). */
    public static final List<String> SHAPE_NAMES = List.of("square", "ellipse", "heart");

    private static final int SCALES = 6;
    private static final int ROTATIONS = 8;
    private static final int POSITIONS = 8;
    private static final double MIN_SCALE = 0.3;
    private static final double MAX_SCALE = 0.6;
    /** Centres span [MAX_SCALE/2, 1 - MAX_SCALE/2] so the largest circumscribed circle fits. */
    private static final double MIN_POS = MAX_SCALE / 2;
    private static final double MAX_POS = 1 - MAX_SCALE / 2;
    private static final float[][] COLORS = {
        {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}, {1, 0, 1}, {0, 1, 1},
    };

    private static final int SUB = 4;
    private static final float SUB_AREA = 1f / (SUB * SUB);

    /** Square half-side, so that its circumscribed circle has diameter 1. */
    private static final double SQUARE_HALF = 0.5 / Math.sqrt(2);
    private static final double ELLIPSE_A = 0.5;
    private static final double ELLIPSE_B = 0.3;
    /**
     * The heart (x^2+y^2-1)^3 - x^2 y^3 <= 0 fits in a circle of radius 1.25 around (0, 0.25),
     * so 2.5 heart units per unit of diameter.
     */
    private static final double HEART_PER_UNIT = 2.5;
    private static final double HEART_CY = 0.25;

    private ShapesDataset() {}

    /**
     * Generation settings.
     *
     * @param size the image side in pixels, 8..1024 (default 32)
     * @param channels 1 for grey or 3 for RGB (default 1)
     * @param trainCount the number of training images, at least 1 (default 20000)
     * @param testCount the number of test images, at least 1 (default 2000)
     * @param seed the random seed; the same config always yields the same images
     * @param factorWeights optional relative sampling weights per factor name, each array as long
     *     as that factor has values, non-negative with a positive sum; factors not listed (or an
     *     empty/null map) are sampled uniformly
     */
    public record Config(int size, int channels, int trainCount, int testCount, long seed,
                         Map<String, double[]> factorWeights) {

        /**
         * Validates the settings and copies the weights.
         *
         * @param size the image side, 8..1024
         * @param channels 1 or 3
         * @param trainCount the number of training images, at least 1
         * @param testCount the number of test images, at least 1
         * @param seed the random seed
         * @param factorWeights sampling weights per factor, or {@code null}/empty for uniform
         * @throws IllegalArgumentException if a value is out of range, the images would not fit
         *     in a Java array, or a weight entry names an unknown factor or is malformed
         */
        public Config {
            if (size < 8 || size > 1024) {
                throw new IllegalArgumentException("shapes: size must be 8..1024 but is " + size);
            }
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("shapes: channels must be 1 (grey) or 3 (RGB) but is " + channels);
            }
            if (trainCount < 1 || testCount < 1) {
                throw new IllegalArgumentException(
                        "shapes: train and test counts must be at least 1 but are " + trainCount + " and " + testCount);
            }
            long perImage = (long) size * size * channels;
            if (perImage * Math.max(trainCount, testCount) > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shapes: " + Math.max(trainCount, testCount) + " images of "
                        + channels + "x" + size + "x" + size + " do not fit in one Java array");
            }
            Map<String, Integer> sizes = factorSizes(channels);
            Map<String, double[]> w = new LinkedHashMap<>();
            if (factorWeights != null) {
                for (Map.Entry<String, double[]> e : factorWeights.entrySet()) {
                    String k = e.getKey();
                    double[] v = e.getValue();
                    if (!sizes.containsKey(k)) {
                        throw new IllegalArgumentException("shapes: unknown factor '" + k + "' in weights; factors are "
                                + String.join(", ", sizes.keySet()));
                    }
                    if (v == null || v.length != sizes.get(k)) {
                        throw new IllegalArgumentException("shapes: factor '" + k + "' needs " + sizes.get(k)
                                + " weights but has " + (v == null ? "none" : v.length));
                    }
                    double sum = 0;
                    for (double x : v) {
                        if (!(x >= 0) || Double.isInfinite(x)) {
                            throw new IllegalArgumentException("shapes: weights of factor '" + k
                                    + "' must be finite and non-negative: " + Arrays.toString(v));
                        }
                        sum += x;
                    }
                    if (sum <= 0) {
                        throw new IllegalArgumentException("shapes: weights of factor '" + k + "' sum to zero");
                    }
                    w.put(k, v.clone());
                }
            }
            factorWeights = Collections.unmodifiableMap(w);
        }

        /**
         * Returns the defaults: 32x32 grey, 20000 train and 2000 test images, seed 0, uniform factors.
         *
         * @return the default configuration
         */
        public static Config defaults() {
            return new Config(32, 1, 20_000, 2_000, 0L, Map.of());
        }

        /**
         * Returns a copy with another image side.
         *
         * @param size the image side, 8..1024
         * @return the new configuration
         */
        public Config withSize(int size) {
            return new Config(size, channels, trainCount, testCount, seed, factorWeights);
        }

        /**
         * Returns a copy with another number of channels.
         *
         * @param channels 1 (grey) or 3 (RGB)
         * @return the new configuration
         */
        public Config withChannels(int channels) {
            return new Config(size, channels, trainCount, testCount, seed, factorWeights);
        }

        /**
         * Returns a copy with another training-set size.
         *
         * @param trainCount at least 1
         * @return the new configuration
         */
        public Config withTrainCount(int trainCount) {
            return new Config(size, channels, trainCount, testCount, seed, factorWeights);
        }

        /**
         * Returns a copy with another test-set size.
         *
         * @param testCount at least 1
         * @return the new configuration
         */
        public Config withTestCount(int testCount) {
            return new Config(size, channels, trainCount, testCount, seed, factorWeights);
        }

        /**
         * Returns a copy with another seed.
         *
         * @param seed the random seed
         * @return the new configuration
         */
        public Config withSeed(long seed) {
            return new Config(size, channels, trainCount, testCount, seed, factorWeights);
        }

        /**
         * Returns a copy with other factor weights.
         *
         * @param factorWeights weights per factor name (see the record description)
         * @return the new configuration
         */
        public Config withFactorWeights(Map<String, double[]> factorWeights) {
            return new Config(size, channels, trainCount, testCount, seed, factorWeights);
        }

        /**
         * Returns the factor weights; the arrays are copies, so changing them has no effect.
         *
         * @return an unmodifiable map of weight arrays, empty for uniform sampling
         */
        @Override
        public Map<String, double[]> factorWeights() {
            Map<String, double[]> copy = new LinkedHashMap<>();
            factorWeights.forEach((k, v) -> copy.put(k, v.clone()));
            return Collections.unmodifiableMap(copy);
        }

        /**
         * Compares all settings, weights by content.
         *
         * @param o the other object
         * @return whether {@code o} is an equal configuration
         */
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Config c)) {
                return false;
            }
            if (size != c.size || channels != c.channels || trainCount != c.trainCount
                    || testCount != c.testCount || seed != c.seed
                    || !factorWeights.keySet().equals(c.factorWeights.keySet())) {
                return false;
            }
            for (Map.Entry<String, double[]> e : factorWeights.entrySet()) {
                if (!Arrays.equals(e.getValue(), c.factorWeights.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Hashes all settings, weights by content.
         *
         * @return the hash code
         */
        @Override
        public int hashCode() {
            int h = Objects.hash(size, channels, trainCount, testCount, seed);
            for (Map.Entry<String, double[]> e : factorWeights.entrySet()) {
                h = 31 * h + e.getKey().hashCode() * 17 + Arrays.hashCode(e.getValue());
            }
            return h;
        }

        /**
         * Describes the settings.
         *
         * @return a readable summary including weights
         */
        @Override
        public String toString() {
            StringBuilder w = new StringBuilder();
            factorWeights.forEach((k, v) -> w.append(w.length() == 0 ? "" : ", ").append(k).append('=').append(Arrays.toString(v)));
            return String.format(Locale.ROOT, "Config[size=%d, channels=%d, trainCount=%d, testCount=%d, seed=%d, factorWeights={%s}]",
                    size, channels, trainCount, testCount, seed, w);
        }
    }

    /**
     * Returns the factors and their number of values, in the order used by
     * {@link ArrayDataset#factors()}.
     *
     * @param channels 1 or 3; {@code color} is a factor only for 3
     * @return an unmodifiable ordered map from factor name to number of values
     */
    public static Map<String, Integer> factorSizes(int channels) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(SHAPE, SHAPE_NAMES.size());
        m.put(SCALE, SCALES);
        m.put(ROTATION, ROTATIONS);
        m.put(X, POSITIONS);
        m.put(Y, POSITIONS);
        if (channels == 3) {
            m.put(COLOR, COLORS.length);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Generates training and test images. The test set is drawn independently of the training
     * set from a seed derived from {@code c.seed()}. Both data sets are named {@code shapes} (grey)
     * or {@code shapes-rgb}, have shape {@code {channels, size, size}}, the shape factor as label
     * with names {@link #SHAPE_NAMES}, and all factors in {@link ArrayDataset#factors()}.
     *
     * @param c the settings
     * @return the generated splits
     */
    public static DataSplits generate(Config c) {
        Objects.requireNonNull(c, "config");
        SplittableRandom root = new SplittableRandom(c.seed());
        SplittableRandom trainRng = root.split();
        SplittableRandom testRng = root.split();
        return new DataSplits(generate(c, c.trainCount(), trainRng), generate(c, c.testCount(), testRng));
    }

    private static ArrayDataset generate(Config c, int n, SplittableRandom rng) {
        Map<String, Integer> sizes = factorSizes(c.channels());
        Map<String, double[]> weights = c.factorWeights;
        String[] names = sizes.keySet().toArray(new String[0]);
        double[][] cdf = new double[names.length][];
        for (int f = 0; f < names.length; f++) {
            cdf[f] = cumulative(weights.get(names[f]), sizes.get(names[f]));
        }
        int[][] values = new int[names.length][n];
        // sampled sequentially so the result does not depend on how rendering is parallelised
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < names.length; f++) {
                values[f][i] = sample(cdf[f], rng.nextDouble());
            }
        }
        int s = c.size();
        int ch = c.channels();
        int perImage = s * s * ch;
        float[] data = new float[n * perImage];
        IntStream.range(0, n).parallel().forEach(i -> render(data, i * perImage, s, ch,
                values[0][i], values[1][i], values[2][i], values[3][i], values[4][i],
                ch == 3 ? values[5][i] : 0));
        Map<String, int[]> factors = new LinkedHashMap<>();
        for (int f = 0; f < names.length; f++) {
            factors.put(names[f], values[f]);
        }
        return new ArrayDataset(ch == 3 ? "shapes-rgb" : "shapes", data, new int[] {ch, s, s},
                values[0].clone(), SHAPE_NAMES, factors);
    }

    private static double[] cumulative(double[] w, int k) {
        double[] cdf = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += w == null ? 1 : w[i];
            cdf[i] = sum;
        }
        for (int i = 0; i < k; i++) {
            cdf[i] /= sum;
        }
        cdf[k - 1] = 1; // guard against rounding leaving u just above the last bound
        return cdf;
    }

    private static int sample(double[] cdf, double u) {
        for (int i = 0; i < cdf.length; i++) {
            // strict: a zero-weight value has an empty interval and is never chosen
            if (u < cdf[i]) {
                return i;
            }
        }
        return cdf.length - 1;
    }

    /**
     * Renders one image for a combination of factor values.
     *
     * @param size the image side, 8..1024
     * @param channels 1 (grey, white shape) or 3 (RGB, coloured shape)
     * @param shape 0 square, 1 ellipse, 2 heart
     * @param scale 0..5
     * @param rotation 0..7 (multiples of 45 degrees)
     * @param x horizontal position 0..7 (left to right)
     * @param y vertical position 0..7 (top to bottom)
     * @param color 0..5 (red, green, blue, yellow, magenta, cyan); ignored for grey images
     * @return a new {@code channels*size*size} image, channel-major, values in [0,1]
     * @throws IllegalArgumentException if a value is out of range
     */
    public static float[] render(int size, int channels, int shape, int scale, int rotation, int x, int y, int color) {
        if (size < 8 || size > 1024 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("size must be 8..1024 and channels 1 or 3");
        }
        check("shape", shape, SHAPE_NAMES.size());
        check("scale", scale, SCALES);
        check("rotation", rotation, ROTATIONS);
        check("x", x, POSITIONS);
        check("y", y, POSITIONS);
        if (channels == 3) {
            check("color", color, COLORS.length);
        }
        float[] img = new float[channels * size * size];
        render(img, 0, size, channels, shape, scale, rotation, x, y, color);
        return img;
    }

    private static void check(String name, int v, int n) {
        if (v < 0 || v >= n) {
            throw new IllegalArgumentException(name + " must be 0.." + (n - 1) + " but is " + v);
        }
    }

    private static void render(float[] dst, int off, int s, int channels,
                               int shape, int scale, int rotation, int xi, int yi, int color) {
        double d = s * (MIN_SCALE + (MAX_SCALE - MIN_SCALE) * scale / (SCALES - 1));
        double cx = s * (MIN_POS + (MAX_POS - MIN_POS) * xi / (POSITIONS - 1));
        double cy = s * (MIN_POS + (MAX_POS - MIN_POS) * yi / (POSITIONS - 1));
        double theta = 2 * Math.PI * rotation / ROTATIONS;
        // inverse rotation and scaling, folded into one 2x2 matrix from pixel offsets to unit coords
        double cos = Math.cos(theta) / d;
        double sin = Math.sin(theta) / d;
        double r = d / 2;
        int x0 = Math.max(0, (int) Math.floor(cx - r) - 1);
        int x1 = Math.min(s - 1, (int) Math.ceil(cx + r) + 1);
        int y0 = Math.max(0, (int) Math.floor(cy - r) - 1);
        int y1 = Math.min(s - 1, (int) Math.ceil(cy + r) + 1);
        int plane = s * s;
        float[] rgb = channels == 3 ? COLORS[color] : null;
        for (int py = y0; py <= y1; py++) {
            for (int px = x0; px <= x1; px++) {
                int hits = 0;
                for (int sy = 0; sy < SUB; sy++) {
                    double dy = py + (sy + 0.5) / SUB - cy;
                    for (int sx = 0; sx < SUB; sx++) {
                        double dx = px + (sx + 0.5) / SUB - cx;
                        double u = dx * cos + dy * sin;
                        double v = -dx * sin + dy * cos;
                        if (inside(shape, u, v)) {
                            hits++;
                        }
                    }
                }
                if (hits == 0) {
                    continue;
                }
                float cover = hits * SUB_AREA;
                int p = off + py * s + px;
                if (rgb == null) {
                    dst[p] = cover;
                } else {
                    dst[p] = cover * rgb[0];
                    dst[p + plane] = cover * rgb[1];
                    dst[p + 2 * plane] = cover * rgb[2];
                }
            }
        }
    }

    /** Tests a point in unit coordinates: the shape's circumscribed circle has diameter 1. */
    private static boolean inside(int shape, double u, double v) {
        switch (shape) {
            case 0:
                return Math.abs(u) <= SQUARE_HALF && Math.abs(v) <= SQUARE_HALF;
            case 1: {
                double a = u / ELLIPSE_A;
                double b = v / ELLIPSE_B;
                return a * a + b * b <= 1;
            }
            default: {
                double hx = u * HEART_PER_UNIT;
                // image rows grow downwards, the heart's y axis upwards
                double hy = HEART_CY - v * HEART_PER_UNIT;
                double q = hx * hx + hy * hy - 1;
                return q * q * q - hx * hx * hy * hy * hy <= 0;
            }
        }
    }
}
