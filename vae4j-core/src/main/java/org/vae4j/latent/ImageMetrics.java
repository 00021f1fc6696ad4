package org.vae4j.latent;

/** Error measures between images with values in [0, 1]. */
public final class ImageMetrics {
    private ImageMetrics() {}

    /**
     * Mean squared error over all values of two equally long arrays.
     *
     * @param a first values
     * @param b second values
     * @return the mean of the squared differences
     */
    public static double meanSquaredError(float[] a, float[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("arrays must be non-empty and of equal length: " + a.length + " vs " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double e = (double) a[i] - b[i];
            s += e * e;
        }
        return s / a.length;
    }

    /**
     * Peak signal-to-noise ratio for a peak value of 1: {@code 10·log10(1 / MSE)} in dB, with the mean squared
     * error taken over all values of all records together. Identical inputs give +∞.
     *
     * @param reference the clean images
     * @param test the images to score
     * @return the PSNR in dB
     */
    public static double psnr(float[] reference, float[] test) {
        double mse = meanSquaredError(reference, test);
        return mse == 0 ? Double.POSITIVE_INFINITY : -10 * Math.log10(mse);
    }

    /**
     * Sum of squared differences over the values a mask marks missing, summed over {@code n} records.
     *
     * @param truth {@code n × C·H·W} true values
     * @param filled {@code n × C·H·W} values to score
     * @param n number of records
     * @param channels C
     * @param mask which pixels are missing
     * @return the summed squared error
     */
    public static double maskedSquaredError(float[] truth, float[] filled, int n, int channels, Mask mask) {
        int d = channels * mask.height() * mask.width();
        Mask.checkRecords(truth, n, d);
        Mask.checkRecords(filled, n, d);
        boolean[] missing = mask.values(channels);
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (missing[j]) {
                    double e = (double) truth[i * d + j] - filled[i * d + j];
                    s += e * e;
                }
            }
        }
        return s;
    }
}
