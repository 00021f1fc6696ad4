package org.vae4j.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;
import org.vae4j.nn.Scalars;

/**
 * Colourises greyscale images with an RGB model: finds the code whose decoded colour image has the given
 * luminance. Adam on z, starting from μ of the grey image replicated to three channels, minimises
 * {@code Σ (Y(E[x|z]) − y)² / (2σ²) + ½‖z‖²} with luminance Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601) and
 * σ = {@value #LUMINANCE_SIGMA}; the result is E[x|z] in colour. A conditional model colourises given each
 * record's label.
 */
public final class Colorization {
    /** Luminance weights of R, G and B. */
    public static final double[] LUMA = {0.299, 0.587, 0.114};
    /** Tolerated luminance deviation: the weight of the matching term relative to the prior. */
    public static final double LUMINANCE_SIGMA = 0.05;
    /** Default Adam steps. */
    public static final int DEFAULT_ITERATIONS = 300;
    /** Default Adam step size. */
    public static final double DEFAULT_LR = 0.05;

    private Colorization() {}

    /**
     * What colourisation produced.
     *
     * @param grey the input luminance replicated to three channels, {@code n × 3·H·W} (for display)
     * @param colour the colourised images E[x|z], {@code n × 3·H·W}
     * @param initialLuminanceError per record, Σ (Y − y)² of the starting code's decoded image
     * @param luminanceError per record, Σ (Y − y)² of the colourised image
     */
    public record Result(float[] grey, float[] colour, double[] initialLuminanceError, double[] luminanceError) {}

    /**
     * Luminance of {@code n} RGB records.
     *
     * @param rgb {@code n × 3·P} values (R plane, G plane, B plane per record)
     * @param n number of records
     * @return {@code n × P} values
     */
    public static float[] luminance(float[] rgb, int n) {
        if (n < 1 || rgb.length % (3 * n) != 0) {
            throw new IllegalArgumentException("expected " + n + " RGB records, got " + rgb.length + " values");
        }
        int plane = rgb.length / (3 * n);
        float[] out = new float[n * plane];
        for (int i = 0; i < n; i++) {
            int base = i * 3 * plane;
            for (int p = 0; p < plane; p++) {
                out[i * plane + p] = (float) (LUMA[0] * rgb[base + p] + LUMA[1] * rgb[base + plane + p]
                        + LUMA[2] * rgb[base + 2 * plane + p]);
            }
        }
        return out;
    }

    /**
     * Grey values replicated to RGB records.
     *
     * @param grey {@code n × P} values
     * @param n number of records
     * @return {@code n × 3·P} values
     */
    public static float[] toRgb(float[] grey, int n) {
        if (n < 1 || grey.length % n != 0) {
            throw new IllegalArgumentException("expected " + n + " grey records, got " + grey.length + " values");
        }
        int plane = grey.length / n;
        float[] out = new float[grey.length * 3];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(grey, i * plane, out, (i * 3 + c) * plane, plane);
            }
        }
        return out;
    }

    /**
     * Colourises {@code n} RGB records from their luminance alone (the colour is discarded first).
     *
     * @param model a model of 3-channel images
     * @param rgb {@code n × 3·H·W} values
     * @param n number of records
     * @param iterations Adam steps, at least 1
     * @param lr Adam step size
     * @return the grey inputs, the colourised images and the luminance errors
     * @throws IllegalArgumentException if the model is not an RGB image model
     */
    public static Result colorize(VaeModel model, float[] rgb, int n, int iterations, double lr) {
        return colorize(model, rgb, n, null, iterations, lr);
    }

    /**
     * Colourises {@code n} RGB records from their luminance alone, given their labels (conditional models).
     *
     * @param model a model of 3-channel images
     * @param rgb {@code n × 3·H·W} values
     * @param n number of records
     * @param labels one per record for a conditional model, null for an unconditional one
     * @param iterations Adam steps, at least 1
     * @param lr Adam step size
     * @return the grey inputs, the colourised images and the luminance errors
     * @throws IllegalArgumentException if the model is not an RGB image model
     */
    public static Result colorize(VaeModel model, float[] rgb, int n, int[] labels, int iterations, double lr) {
        requireCapabilities(model);
        Encodings.imageSize(model, "colorize");
        int channels = Encodings.channels(model);
        if (channels != 3) {
            throw new IllegalArgumentException("colorize needs an RGB model; this one has " + channels
                    + (channels == 1 ? " channel" : " channels"));
        }
        Mask.checkRecords(rgb, n, model.featureSize());
        return colorizeLuminance(model, luminance(rgb, n), n, labels, iterations, lr);
    }

    /**
     * Colourises {@code n} greyscale images.
     *
     * @param model a model of 3-channel images
     * @param grey {@code n × H·W} luminance values
     * @param n number of records
     * @param iterations Adam steps, at least 1
     * @param lr Adam step size
     * @return the grey inputs, the colourised images and the luminance errors
     * @throws IllegalArgumentException if the model is not an RGB image model
     */
    public static Result colorizeLuminance(VaeModel model, float[] grey, int n, int iterations, double lr) {
        return colorizeLuminance(model, grey, n, null, iterations, lr);
    }

    /**
     * Colourises {@code n} greyscale images given their labels (conditional models).
     *
     * @param model a model of 3-channel images that encodes and decodes
     * @param grey {@code n × H·W} luminance values
     * @param n number of records
     * @param labels one per record for a conditional model, null for an unconditional one
     * @param iterations Adam steps, at least 1
     * @param lr Adam step size
     * @return the grey inputs, the colourised images and the luminance errors
     * @throws IllegalArgumentException if the model is not an RGB image model
     */
    public static Result colorizeLuminance(VaeModel model, float[] grey, int n, int[] labels, int iterations, double lr) {
        requireCapabilities(model);
        Conditions.check(model, labels, n, "colorize");
        Encodings.imageSize(model, "colorize");
        int channels = Encodings.channels(model);
        if (channels != 3) {
            throw new IllegalArgumentException("colorize needs an RGB model; this one has " + channels
                    + (channels == 1 ? " channel" : " channels"));
        }
        int plane = model.featureSize() / 3;
        Mask.checkRecords(grey, n, plane);
        float[] greyRgb = toRgb(grey, n);
        float[] start = Encodings.encode(model, greyRgb, n, labels).mu();
        Scalars s = model.scalars();
        double weight = 1 / (2 * LUMINANCE_SIGMA * LUMINANCE_SIGMA);
        float[] codes;
        try (NDManager constants = model.manager().newSubManager()) {
            NDArray target = constants.create(grey, new Shape(n, plane));
            NDArray luma = constants.create(new float[] {(float) LUMA[0], (float) LUMA[1], (float) LUMA[2]}, new Shape(1, 3, 1));
            NDArray condition = model.condition(constants, labels);
            codes = LatentOptimizer.minimize(model, constants, start, n, iterations, lr, z -> {
                NDArray mean = model.decodeMean(z, condition).reshape(new Shape(n, 3, plane));
                NDArray y = mean.mul(luma).sum(new int[] {1});
                NDArray match = y.sub(target).square().sum(new int[] {1}).mul(s.of(weight));
                return match.add(z.square().sum(new int[] {1}).mul(s.of(0.5)));
            }).codes();
        }
        float[] colour = Encodings.decode(model, codes, n, labels);
        float[] before = Encodings.decode(model, start, n, labels);
        return new Result(greyRgb, colour, errors(luminance(before, n), grey, n), errors(luminance(colour, n), grey, n));
    }

    private static void requireCapabilities(VaeModel model) {
        model.require(Capability.ENCODES, "colorize");
        model.require(Capability.DECODES, "colorize");
        // the objective includes the prior log p(z) = log N(z; 0, I)
        model.require(Capability.SAMPLES, "colorize");
    }

    private static double[] errors(float[] y, float[] target, int n) {
        int plane = y.length / n;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double e = 0;
            for (int p = 0; p < plane; p++) {
                double diff = (double) y[i * plane + p] - target[i * plane + p];
                e += diff * diff;
            }
            out[i] = e;
        }
        return out;
    }
}
