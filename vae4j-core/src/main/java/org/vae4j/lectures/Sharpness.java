package org.vae4j.lectures;

/**
 * How sharp a set of images is, by two classic no-reference measures, averaged over the images: the mean gradient
 * magnitude (forward differences, √(dx² + dy²) per pixel and channel) and the variance of the 4-neighbour Laplacian
 * (the "variance of the Laplacian" focus measure; interior pixels only). Blurry images have weak edges, so both are
 * low; read them against the same figures for the data, since noise raises them too.
 *
 * @param images images measured
 * @param meanGradient mean gradient magnitude per pixel (values in the images' units per pixel)
 * @param laplacianVariance mean over images of the variance of the Laplacian
 */
public record Sharpness(int images, double meanGradient, double laplacianVariance) {

    /**
     * Measures {@code n} images of shape C × H × W stored one after another.
     *
     * @param images {@code n × C × H × W} values
     * @param n images
     * @param shape {@code {C, H, W}}
     * @return the averages
     * @throws IllegalArgumentException when the shape is not C × H × W with H, W ≥ 3 or the length does not match
     */
    public static Sharpness of(float[] images, int n, int[] shape) {
        if (shape.length != 3 || shape[1] < 3 || shape[2] < 3) {
            throw new IllegalArgumentException("sharpness needs images C×H×W with H, W >= 3, got " + java.util.Arrays.toString(shape));
        }
        int c = shape[0];
        int h = shape[1];
        int w = shape[2];
        int size = c * h * w;
        if (n < 1 || images.length < (long) n * size) {
            throw new IllegalArgumentException("expected " + n + " images of " + size + " values, got " + images.length + " values");
        }
        double grad = 0;
        double lapVar = 0;
        for (int i = 0; i < n; i++) {
            double g = 0;
            int gCount = 0;
            double sum = 0;
            double sumSq = 0;
            int lCount = 0;
            for (int ch = 0; ch < c; ch++) {
                int base = i * size + ch * h * w;
                for (int y = 0; y < h - 1; y++) {
                    for (int x = 0; x < w - 1; x++) {
                        double v = images[base + y * w + x];
                        double dx = images[base + y * w + x + 1] - v;
                        double dy = images[base + (y + 1) * w + x] - v;
                        g += Math.sqrt(dx * dx + dy * dy);
                        gCount++;
                    }
                }
                for (int y = 1; y < h - 1; y++) {
                    for (int x = 1; x < w - 1; x++) {
                        int p = base + y * w + x;
                        double lap = images[p - 1] + images[p + 1] + images[p - w] + images[p + w] - 4.0 * images[p];
                        sum += lap;
                        sumSq += lap * lap;
                        lCount++;
                    }
                }
            }
            grad += g / gCount;
            double mean = sum / lCount;
            lapVar += Math.max(0, sumSq / lCount - mean * mean);
        }
        return new Sharpness(n, grad / n, lapVar / n);
    }
}
