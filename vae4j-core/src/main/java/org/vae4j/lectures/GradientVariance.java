package org.vae4j.lectures;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.vae4j.model.Posterior;
import org.vae4j.model.VaeModel;

/**
 * Why the reparameterisation trick: two unbiased Monte Carlo estimators of the gradient ∇_μ E_{q(z)}[f(z)] with
 * q = N(μ, diag σ²), compared by their variance over many samples.
 *
 * <ul>
 *   <li>reparameterised (pathwise): z = μ + σ⊙ε, ε ~ N(0, I), so ∂z/∂μ = I and one sample gives ∇_z f(z);
 *   <li>score function (REINFORCE): f(z)·∇_μ log q(z) = f(z)·ε/σ, which needs no derivative of f, only its value;
 *       also with a leave-one-out mean of f as baseline (still unbiased), the usual variance reduction.
 * </ul>
 *
 * <p>Both use the same ε for every sample, so the difference is the estimator alone. For a VAE, {@link #forRecords}
 * takes f(z) = log p(x|z), the decoder's reconstruction log-likelihood of a record, and μ, σ from the encoder: the
 * gradient that reaches the encoder's mean head.
 */
public final class GradientVariance {
    /** Samples per forward/backward pass. */
    static final int CHUNK = 512;

    private GradientVariance() {}

    /** The function whose expectation is differentiated. */
    public interface Function {
        /**
         * f for a batch of codes, under autograd: combine NDArrays only with NDArrays (long-lived constants), never
         * with Java numbers.
         *
         * @param z codes {@code (S, L)}
         * @return {@code (S)} values
         */
        NDArray value(NDArray z);
    }

    /**
     * Per-parameter statistics of the two estimators for one distribution q.
     *
     * @param samples Monte Carlo samples used
     * @param meanReparam mean of the reparameterised estimator, per latent dimension
     * @param varReparam its variance (one sample per estimate), per dimension
     * @param meanScore mean of the score-function estimator, per dimension
     * @param varScore its variance, per dimension
     * @param varScoreBaseline variance of the score-function estimator with a leave-one-out baseline, per dimension
     * @param meanF mean of f over the samples
     */
    public record Estimate(int samples, double[] meanReparam, double[] varReparam, double[] meanScore, double[] varScore,
                           double[] varScoreBaseline, double meanF) {
        /**
         * Mean over dimensions of the reparameterised variance.
         *
         * @return the mean per-parameter variance
         */
        public double meanVarReparam() {
            return mean(varReparam);
        }

        /**
         * Mean over dimensions of the score-function variance.
         *
         * @return the mean per-parameter variance
         */
        public double meanVarScore() {
            return mean(varScore);
        }

        /**
         * Mean over dimensions of the baseline score-function variance.
         *
         * @return the mean per-parameter variance
         */
        public double meanVarScoreBaseline() {
            return mean(varScoreBaseline);
        }

        /**
         * How many times larger the score-function variance is (mean over dimensions of each).
         *
         * @return {@code meanVarScore / meanVarReparam}
         */
        public double ratio() {
            return meanVarScore() / meanVarReparam();
        }

        /**
         * The largest gap between the two estimators' means in units of the standard error of their difference:
         * both are unbiased, so this should be a few units at most.
         *
         * @return max over dimensions of |mean_rep − mean_sf| / sqrt((var_rep + var_sf) / samples)
         */
        public double maxMeanGapInStandardErrors() {
            double worst = 0;
            for (int j = 0; j < meanReparam.length; j++) {
                double se = Math.sqrt((varReparam[j] + varScore[j]) / samples);
                worst = Math.max(worst, Math.abs(meanReparam[j] - meanScore[j]) / se);
            }
            return worst;
        }
    }

    /**
     * Summary over several records.
     *
     * @param perRecord one estimate per record
     * @param meanVarReparam mean per-parameter variance of the reparameterised estimator over records and dimensions
     * @param meanVarScore same for the score-function estimator
     * @param meanVarScoreBaseline same for the score-function estimator with a baseline
     * @param ratio {@code meanVarScore / meanVarReparam}
     * @param ratioBaseline {@code meanVarScoreBaseline / meanVarReparam}
     * @param medianRatio median over (record, dimension) of the per-parameter ratio var_sf / var_rep
     * @param fractionLower fraction of (record, dimension) pairs where the reparameterised variance is the lower
     * @param maxMeanGapInStandardErrors the largest disagreement of the two estimators' means, in standard errors
     */
    public record Summary(List<Estimate> perRecord, double meanVarReparam, double meanVarScore, double meanVarScoreBaseline,
                          double ratio, double ratioBaseline, double medianRatio, double fractionLower,
                          double maxMeanGapInStandardErrors) {}

    /**
     * Estimates both gradients {@code samples} times for q = N(μ, diag σ²).
     *
     * @param manager where temporary arrays live (sub-managers are made per chunk)
     * @param mu means, one per dimension
     * @param sigma standard deviations (&gt; 0), one per dimension
     * @param samples Monte Carlo samples, at least 2
     * @param seed seed for ε
     * @param f the function
     * @return per-dimension means and variances of both estimators
     */
    public static Estimate estimate(NDManager manager, float[] mu, float[] sigma, int samples, long seed, Function f) {
        int l = mu.length;
        if (sigma.length != l) {
            throw new IllegalArgumentException("mu and sigma differ in length: " + l + " vs " + sigma.length);
        }
        if (samples < 2) {
            throw new IllegalArgumentException("need at least 2 samples, got " + samples);
        }
        for (float s : sigma) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("sigma must be positive and finite, got " + s);
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        double[] eps = new double[samples * l];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = VaeModel.Gaussian.next(r);
        }
        double[] fv = new double[samples];
        double[] grad = new double[samples * l];
        for (int start = 0; start < samples; start += CHUNK) {
            int s = Math.min(CHUNK, samples - start);
            float[] z = new float[s * l];
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < l; j++) {
                    z[i * l + j] = (float) (mu[j] + sigma[j] * eps[(start + i) * l + j]);
                }
            }
            try (NDManager sub = manager.newSubManager()) {
                NDArray zArr = sub.create(z, new Shape(s, l));
                zArr.setRequiresGradient(true);
                NDArray values;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    values = f.value(zArr);
                    gc.backward(values.sum());
                }
                float[] v = values.toFloatArray();
                float[] g = zArr.getGradient().toFloatArray();
                for (int i = 0; i < s; i++) {
                    fv[start + i] = v[i];
                }
                for (int k = 0; k < s * l; k++) {
                    grad[start * l + k] = g[k];
                }
            }
        }
        double fSum = 0;
        for (double v : fv) {
            fSum += v;
        }
        double[] meanRep = new double[l];
        double[] varRep = new double[l];
        double[] meanSf = new double[l];
        double[] varSf = new double[l];
        double[] varSfb = new double[l];
        for (int j = 0; j < l; j++) {
            double[] rep = new double[samples];
            double[] sf = new double[samples];
            double[] sfb = new double[samples];
            for (int i = 0; i < samples; i++) {
                double e = eps[i * l + j] / sigma[j];
                double baseline = (fSum - fv[i]) / (samples - 1);
                rep[i] = grad[i * l + j];
                sf[i] = fv[i] * e;
                sfb[i] = (fv[i] - baseline) * e;
            }
            meanRep[j] = mean(rep);
            varRep[j] = variance(rep, meanRep[j]);
            meanSf[j] = mean(sf);
            varSf[j] = variance(sf, meanSf[j]);
            varSfb[j] = variance(sfb, mean(sfb));
        }
        return new Estimate(samples, meanRep, varRep, meanSf, varSf, varSfb, fSum / samples);
    }

    /**
     * Both estimators for each of {@code n} records of a VAE, with f(z) = log p(x|z) (the decoder's reconstruction
     * log-likelihood of the record) and q = the encoder's posterior N(μ(x), σ²(x)).
     *
     * @param model a variational model
     * @param records {@code n × featureSize} values as the model sees them
     * @param n number of records
     * @param samples Monte Carlo samples per record, at least 2
     * @param seed seed for ε
     * @return per-record estimates and pooled figures
     */
    public static Summary forRecords(VaeModel model, float[] records, int n, int samples, long seed) {
        if (!model.variant().variational()) {
            throw new IllegalArgumentException("gradient estimators need a variational model; '" + model.config().model()
                    + "' has no posterior distribution");
        }
        int d = model.featureSize();
        int l = model.latent();
        Posterior post = model.encode(records, n);
        List<Estimate> out = new ArrayList<>();
        try (VaeModel.FrozenWeights frozen = model.freezeWeights(); NDManager m = model.manager().newSubManager()) {
            for (int i = 0; i < n; i++) {
                float[] mu = post.mu(i);
                float[] sigma = new float[l];
                for (int j = 0; j < l; j++) {
                    sigma[j] = (float) Math.exp(0.5 * post.logvar()[i * l + j]);
                }
                float[] x = java.util.Arrays.copyOfRange(records, i * d, (i + 1) * d);
                try (NDManager rec = m.newSubManager()) {
                    NDArray xRow = rec.create(x, new Shape(1, d));
                    out.add(estimate(rec, mu, sigma, samples, seed + i, z -> {
                        long s = z.getShape().get(0);
                        NDArray xs = xRow.broadcast(s, d);
                        return model.likelihood().nll(model.decoderOutput(z, false), xs, model.scalars()).neg();
                    }));
                }
            }
        }
        return summarize(out);
    }

    /**
     * Pools per-record estimates.
     *
     * @param estimates at least one
     * @return the summary
     */
    public static Summary summarize(List<Estimate> estimates) {
        if (estimates.isEmpty()) {
            throw new IllegalArgumentException("no estimates to summarise");
        }
        double rep = 0;
        double sf = 0;
        double sfb = 0;
        double gap = 0;
        List<Double> ratios = new ArrayList<>();
        int lower = 0;
        int count = 0;
        for (Estimate e : estimates) {
            rep += e.meanVarReparam();
            sf += e.meanVarScore();
            sfb += e.meanVarScoreBaseline();
            gap = Math.max(gap, e.maxMeanGapInStandardErrors());
            for (int j = 0; j < e.varReparam().length; j++) {
                ratios.add(e.varScore()[j] / e.varReparam()[j]);
                if (e.varReparam()[j] < e.varScore()[j]) {
                    lower++;
                }
                count++;
            }
        }
        int k = estimates.size();
        java.util.Collections.sort(ratios);
        double median = ratios.size() % 2 == 1 ? ratios.get(ratios.size() / 2)
                : 0.5 * (ratios.get(ratios.size() / 2 - 1) + ratios.get(ratios.size() / 2));
        return new Summary(List.copyOf(estimates), rep / k, sf / k, sfb / k, sf / rep, sfb / rep, median,
                (double) lower / count, gap);
    }


    static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }

    static double variance(double[] a, double mean) {
        double s = 0;
        for (double v : a) {
            double e = v - mean;
            s += e * e;
        }
        return s / (a.length - 1);
    }
}
