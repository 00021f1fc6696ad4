package org.vae4j.latent;

import java.util.Locale;
import org.vae4j.model.Capability;
import org.vae4j.model.Posterior;
import org.vae4j.model.VaeModel;

/**
 * Paths between two latent codes, decoded paths between two records, and pixel-space cross-fades. Conditional models
 * interpolate within a class: the label is held fixed along the path.
 */
public final class Interpolation {
    private Interpolation() {}

    /** How to move between two codes. */
    public enum Mode {
        /** Straight line (1−t)·a + t·b. */
        LINEAR,
        /** Spherical: along the great circle, keeping norms typical of a Gaussian prior. */
        SLERP;

        /**
         * Parses {@code linear} (or its common name {@code lerp}) or {@code slerp}.
         *
         * @param s the name, any case
         * @return the mode
         */
        public static Mode parse(String s) {
            if (s != null && s.trim().equalsIgnoreCase("lerp")) {
                return LINEAR;
            }
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("interpolation mode must be linear (lerp) or slerp, got '" + s + "'");
            }
        }
    }

    /**
     * {@code steps} codes from {@code a} (t = 0) to {@code b} (t = 1) inclusive, row-major.
     *
     * @param a the code at t = 0
     * @param b the code at t = 1
     * @param steps at least 2
     * @param mode linear or spherical
     * @return {@code steps × a.length} values
     */
    public static float[] path(float[] a, float[] b, int steps, Mode mode) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("codes differ in length: " + a.length + " vs " + b.length);
        }
        if (steps < 2) {
            throw new IllegalArgumentException("need at least 2 steps, got " + steps);
        }
        int l = a.length;
        float[] out = new float[steps * l];
        double na = norm(a);
        double nb = norm(b);
        double cos = na == 0 || nb == 0 ? 1 : dot(a, b) / (na * nb);
        double omega = Math.acos(Math.max(-1, Math.min(1, cos)));
        boolean slerp = mode == Mode.SLERP && Math.sin(omega) > 1e-6;
        for (int s = 0; s < steps; s++) {
            double t = (double) s / (steps - 1);
            double wa;
            double wb;
            if (slerp) {
                wa = Math.sin((1 - t) * omega) / Math.sin(omega);
                wb = Math.sin(t * omega) / Math.sin(omega);
            } else {
                wa = 1 - t;
                wb = t;
            }
            for (int j = 0; j < l; j++) {
                out[s * l + j] = (float) (wa * a[j] + wb * b[j]);
            }
            if (s == 0) {
                System.arraycopy(a, 0, out, 0, l);
            } else if (s == steps - 1) {
                System.arraycopy(b, 0, out, s * l, l);
            }
        }
        return out;
    }

    /**
     * Decodes the path between the posterior means of two records: {@code steps} images from E[x | z = μ(a)]
     * (t = 0) to E[x | z = μ(b)] (t = 1), so the endpoints are the records' reconstructions. For unconditional
     * models; see {@link #decodedPath(VaeModel, float[], float[], int, Mode, int)} for conditional ones.
     *
     * @param model a model that encodes and decodes
     * @param a first record, {@code featureSize} values as the model sees them
     * @param b second record
     * @param steps at least 2
     * @param mode linear or spherical path between the means
     * @return {@code steps × featureSize} values
     */
    public static float[] decodedPath(VaeModel model, float[] a, float[] b, int steps, Mode mode) {
        return decodedPath(model, a, b, steps, mode, null);
    }

    /**
     * Interpolation within a class, for conditional models: both records are encoded given {@code label}, and the
     * path between their posterior means is decoded with the same label held fixed, from E[x | μ(a, y), y] (t = 0) to
     * E[x | μ(b, y), y] (t = 1). The code then carries what the label does not say (style), so the path moves
     * between two styles of one class.
     *
     * @param model a conditional model that encodes and decodes
     * @param a first record, {@code featureSize} values as the model sees them
     * @param b second record
     * @param steps at least 2
     * @param mode linear or spherical path between the means
     * @param label the class held fixed along the path
     * @return {@code steps × featureSize} values
     */
    public static float[] decodedPath(VaeModel model, float[] a, float[] b, int steps, Mode mode, int label) {
        return decodedPath(model, a, b, steps, mode, Integer.valueOf(label));
    }

    private static float[] decodedPath(VaeModel model, float[] a, float[] b, int steps, Mode mode, Integer label) {
        model.require(Capability.ENCODES, "interpolation between records");
        model.require(Capability.DECODES, "interpolation");
        int[] pair = label == null ? Conditions.check(model, null, 2, "interpolation") : Conditions.fixed(model, label, 2, "interpolation");
        int d = model.featureSize();
        if (a.length != d || b.length != d) {
            throw new IllegalArgumentException("records must have " + d + " values, got " + a.length + " and " + b.length);
        }
        float[] both = new float[2 * d];
        System.arraycopy(a, 0, both, 0, d);
        System.arraycopy(b, 0, both, d, d);
        Posterior p = model.encode(both, 2, pair);
        return decodeCodes(model, p.mu(0), p.mu(1), steps, mode, label);
    }

    /**
     * Decodes the path between two codes: {@code steps} decoder means from E[x | z = a] to E[x | z = b]. For
     * unconditional models.
     *
     * @param model a model that decodes
     * @param a the code at t = 0
     * @param b the code at t = 1
     * @param steps at least 2
     * @param mode linear or spherical
     * @return {@code steps × featureSize} values
     */
    public static float[] decodeCodes(VaeModel model, float[] a, float[] b, int steps, Mode mode) {
        return decodeCodes(model, a, b, steps, mode, null);
    }

    /**
     * Decodes the path between two codes with one class held fixed, for conditional models: E[x | z, y] along the
     * path.
     *
     * @param model a conditional model that decodes
     * @param a the code at t = 0
     * @param b the code at t = 1
     * @param steps at least 2
     * @param mode linear or spherical
     * @param label the class held fixed
     * @return {@code steps × featureSize} values
     */
    public static float[] decodeCodes(VaeModel model, float[] a, float[] b, int steps, Mode mode, int label) {
        return decodeCodes(model, a, b, steps, mode, Integer.valueOf(label));
    }

    private static float[] decodeCodes(VaeModel model, float[] a, float[] b, int steps, Mode mode, Integer label) {
        model.require(Capability.DECODES, "interpolation");
        int l = model.latent();
        if (a.length != l || b.length != l) {
            throw new IllegalArgumentException("codes must have " + l + " values (the latent size), got " + a.length + " and " + b.length);
        }
        float[] path = path(a, b, steps, mode);
        int[] labels = label == null ? Conditions.check(model, null, steps, "interpolation")
                : Conditions.fixed(model, label, steps, "interpolation");
        return Encodings.decode(model, path, steps, labels);
    }

    /**
     * The pixel-space cross-fade (1−t)·a + t·b between two images, for contrast with a latent path: it blends
     * the two pictures instead of moving through plausible ones.
     *
     * @param a the image at t = 0
     * @param b the image at t = 1
     * @param steps at least 2
     * @return {@code steps × a.length} values, starting with {@code a} and ending with {@code b} exactly
     */
    public static float[] crossFade(float[] a, float[] b, int steps) {
        return path(a, b, steps, Mode.LINEAR);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
