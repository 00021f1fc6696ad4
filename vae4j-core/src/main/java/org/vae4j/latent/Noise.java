package org.vae4j.latent;

import java.util.Locale;
import java.util.SplittableRandom;
import org.vae4j.model.VaeModel;

/**
 * Corruption applied to images with values in [0, 1], reproducible for a seed.
 *
 * @param kind {@code gaussian} (add N(0, level²) to every value, then clamp to [0, 1]) or {@code salt-pepper}
 *     (each pixel, all its channels together, is set to 0 or 1 with equal chance, with probability level)
 * @param level σ for gaussian (> 0), the corrupted fraction for salt-pepper (in (0, 1])
 */
public record Noise(String kind, double level) {
    /** Gaussian noise. */
    public static final String GAUSSIAN = "gaussian";
    /** Salt-and-pepper noise. */
    public static final String SALT_PEPPER = "salt-pepper";

    /**
     * Validates.
     *
     * @param kind {@code gaussian} or {@code salt-pepper}
     * @param level σ, or the corrupted fraction
     */
    public Noise {
        if (GAUSSIAN.equals(kind)) {
            if (!(level > 0) || Double.isInfinite(level)) {
                throw new IllegalArgumentException("noise gaussian:" + level + ": σ must be a positive number");
            }
        } else if (SALT_PEPPER.equals(kind)) {
            if (!(level > 0 && level <= 1)) {
                throw new IllegalArgumentException("noise salt-pepper:" + level + ": the fraction must be in (0, 1]");
            }
        } else {
            throw new IllegalArgumentException("unknown noise '" + kind + "'; use gaussian:SIGMA or salt-pepper:FRACTION");
        }
    }

    /**
     * Parses {@code gaussian:0.3} or {@code salt-pepper:0.2}.
     *
     * @param spec the specification
     * @return the noise
     * @throws IllegalArgumentException naming the problem
     */
    public static Noise parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("--noise is required: gaussian:SIGMA or salt-pepper:FRACTION");
        }
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("noise '" + spec + "' needs a level, e.g. gaussian:0.3 or salt-pepper:0.2");
        }
        String kind = spec.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String level = spec.substring(colon + 1).trim();
        double v;
        try {
            v = Double.parseDouble(level);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("noise '" + spec + "': '" + level + "' is not a number");
        }
        return new Noise(kind, v);
    }

    /**
     * A corrupted copy of {@code n} records.
     *
     * @param records {@code n × channels·pixels} values, channel-major per record
     * @param n number of records
     * @param channels channels per record (pixels = values / channels)
     * @param seed seed; the same seed gives the same corruption
     * @return the corrupted copy, values in [0, 1]
     */
    public float[] apply(float[] records, int n, int channels, long seed) {
        if (n < 1 || channels < 1 || records.length % n != 0 || (records.length / n) % channels != 0) {
            throw new IllegalArgumentException("cannot split " + records.length + " values into " + n + " records of "
                    + channels + " channels");
        }
        int d = records.length / n;
        int plane = d / channels;
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = records.clone();
        if (kind.equals(GAUSSIAN)) {
            for (int i = 0; i < out.length; i++) {
                double v = out[i] + level * VaeModel.Gaussian.next(r);
                out[i] = (float) Math.max(0, Math.min(1, v));
            }
        } else {
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    if (r.nextDouble() < level) {
                        float v = r.nextBoolean() ? 1f : 0f;
                        for (int c = 0; c < channels; c++) {
                            out[i * d + c * plane + p] = v;
                        }
                    }
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return kind + ":" + level;
    }
}
