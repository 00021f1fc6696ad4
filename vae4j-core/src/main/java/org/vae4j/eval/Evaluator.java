package org.vae4j.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.IntConsumer;
import org.vae4j.data.BatchReader;
import org.vae4j.data.Dataset;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.model.vae.VaeVariant;
import org.vae4j.nn.InputBuffer;

/** Honest evaluation of a trained model: −ELBO, KL per dimension, active units, importance-weighted NLL. */
public final class Evaluator {
    /** Upper bound on decoder rows per forward pass during importance sampling (memory ∝ rows × D). */
    static final int IW_ROWS = 8192;

    private Evaluator() {}

    /**
     * One pass over the data with one sampled z per record: −ELBO, recon, KL, KL per dimension and active units.
     *
     * @param model model
     * @param data {@code n × featureSize} values (already transformed, e.g. binarised)
     * @param n records
     * @param batchSize records per forward pass
     * @param seed seed for the sampled z
     */
    public static EvaluationResult evaluate(VaeModel model, float[] data, int n, int batchSize, long seed) {
        int d = model.featureSize();
        return evaluate(model, n, batchSize, seed, (start, b) -> data, start -> start * d);
    }

    /**
     * {@link #evaluate(VaeModel, float[], int, int, long)} over a data set read batch by batch (on a background
     * thread), for data sets that are not held in memory.
     *
     * @param model model
     * @param data the records, in order
     * @param transform applied to each record as it is read (e.g. binarisation), or {@code null}
     * @param batchSize records per forward pass
     * @param seed seed for the sampled z
     */
    public static EvaluationResult evaluate(VaeModel model, Dataset data, BatchReader.Transform transform,
            int batchSize, long seed) {
        int n = data.size();
        // one batch ahead: evaluation batches are large (1000 records of 64×64×3 floats are 49 MB each)
        try (BatchReader reader = new BatchReader(data, identity(n), batchSize, 1, transform)) {
            return evaluate(model, n, batchSize, seed, (start, b) -> reader.next(), start -> 0);
        }
    }

    /** The array holding the batch that starts at record {@code start} (its offset comes separately). */
    private interface Batches {
        float[] array(int start, int size);
    }

    static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    private static EvaluationResult evaluate(VaeModel model, int n, int batchSize, long seed, Batches batches,
            java.util.function.IntUnaryOperator offset) {
        int d = model.featureSize();
        int l = model.latent();
        Engine.getInstance().setRandomSeed((int) seed);
        double sumRecon = 0;
        double sumKl = 0;
        double[] klDim = new double[l];
        double[] muSum = new double[l];
        double[] muSq = new double[l];
        InputBuffer input = new InputBuffer();
        for (int start = 0; start < n; start += batchSize) {
            int b = Math.min(batchSize, n - start);
            try (NDManager sub = model.manager().newSubManager()) {
                NDArray x = input.wrap(sub, batches.array(start, b), offset.applyAsInt(start), b * d, model.batchShape(b));
                ModelOutput out = model.forward(x, false, Objective.elbo(1));
                sumRecon += sum(out.recon());
                sumKl += sum(out.kl());
                float[] mu = out.mu().toFloatArray();
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < l; j++) {
                        double v = mu[i * l + j];
                        muSum[j] += v;
                        muSq[j] += v * v;
                    }
                }
                if (out.logvar() != null) {
                    float[] kd = VaeVariant.klPerDimension(out.mu(), out.logvar(), model.scalars())
                            .sum(new int[] {0}).toFloatArray();
                    for (int j = 0; j < l; j++) {
                        klDim[j] += kd[j];
                    }
                }
            }
        }
        double[] var = new double[l];
        int active = 0;
        for (int j = 0; j < l; j++) {
            klDim[j] /= n;
            double mean = muSum[j] / n;
            var[j] = Math.max(0, muSq[j] / n - mean * mean);
            if (var[j] > EvaluationResult.ACTIVE_UNIT_THRESHOLD) {
                active++;
            }
        }
        double recon = sumRecon / n;
        double kl = sumKl / n;
        return new EvaluationResult(n, recon + kl, recon, kl, klDim, active, var, Double.NaN, 0, Double.NaN,
                model.likelihood().isDensity());
    }

    private static double sum(NDArray a) {
        double s = 0;
        for (float v : a.toFloatArray()) {
            s += v;
        }
        return s;
    }

    /**
     * Importance-weighted estimate of −log p(x) per record (Burda et al. 2015): for each record
     * {@code −log (1/K) Σ_k p(x|z_k) p(z_k) / q(z_k|x)}, z_k ~ q(z|x), computed as a log-mean-exp.
     * Batched so that K = 5000 over 10,000 records is practical.
     *
     * @param progress receives the number of records done after each group (may be null)
     * @return mean over records of the estimate, in nats
     */
    public static double importanceWeightedNll(VaeModel model, float[] data, int n, int k, long seed, IntConsumer progress) {
        int d = model.featureSize();
        return importanceWeightedNll(model, n, k, seed, progress, (start, r) -> data, start -> start * d);
    }

    /**
     * {@link #importanceWeightedNll(VaeModel, float[], int, int, long, IntConsumer)} over a data set read group by
     * group (on a background thread), for data sets that are not held in memory.
     *
     * @param transform applied to each record as it is read (e.g. binarisation), or {@code null}
     */
    public static double importanceWeightedNll(VaeModel model, Dataset data, BatchReader.Transform transform, int k,
            long seed, IntConsumer progress) {
        checkIw(model, k);
        int n = data.size();
        int group = Math.max(1, IW_ROWS / k);
        try (BatchReader reader = new BatchReader(data, identity(n), group, 2, transform)) {
            return importanceWeightedNll(model, n, k, seed, progress, (start, r) -> reader.next(), start -> 0);
        }
    }

    private static void checkIw(VaeModel model, int k) {
        if (!model.variant().variational()) {
            throw new IllegalArgumentException("importance-weighted NLL needs a variational model; '"
                    + model.config().model() + "' has no posterior distribution");
        }
        if (k < 1) {
            throw new IllegalArgumentException("--iw-samples must be >= 1, got " + k);
        }
    }

    private static double importanceWeightedNll(VaeModel model, int n, int k, long seed, IntConsumer progress,
            Batches batches, java.util.function.IntUnaryOperator offset) {
        checkIw(model, k);
        int d = model.featureSize();
        int l = model.latent();
        int recordsPerGroup = Math.max(1, IW_ROWS / k);
        int samplesPerChunk = Math.min(k, IW_ROWS / recordsPerGroup);
        Engine.getInstance().setRandomSeed((int) seed);
        double total = 0;
        InputBuffer input = new InputBuffer();
        for (int start = 0; start < n; start += recordsPerGroup) {
            int r = Math.min(recordsPerGroup, n - start);
            double[] max = new double[r];
            double[] sumExp = new double[r];
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            try (NDManager group = model.manager().newSubManager()) {
                NDArray x = input.wrap(group, batches.array(start, r), offset.applyAsInt(start), r * d, model.batchShape(r));
                NDArray[] post = model.posterior(x, false);
                NDArray xFlat = x.reshape(r, 1, d);
                NDArray mu = post[0].reshape(r, 1, l);
                NDArray logvar = post[1].reshape(r, 1, l);
                NDArray sigma = logvar.mul(0.5).exp();
                NDArray halfLogvarSum = logvar.sum(new int[] {2}).mul(0.5); // (r,1)
                for (int done = 0; done < k; done += samplesPerChunk) {
                    int s = Math.min(samplesPerChunk, k - done);
                    try (NDManager sub = group.newSubManager()) {
                        NDArray eps = sub.randomNormal(new Shape(r, s, l));
                        NDArray z = mu.add(sigma.mul(eps));
                        NDArray params = model.decoderOutput(z.reshape(r * (long) s, l), false);
                        NDArray xs = xFlat.broadcast(r, s, d).reshape(r * (long) s, d);
                        NDArray nll = model.likelihood().nll(params, xs, model.scalars()).reshape(r, s);
                        // log w = log p(x|z) + log p(z) − log q(z|x); the log 2π terms cancel
                        NDArray logw = nll.neg()
                                .sub(z.square().sum(new int[] {2}).mul(0.5))
                                .add(eps.square().sum(new int[] {2}).mul(0.5))
                                .add(halfLogvarSum);
                        float[] w = logw.toFloatArray();
                        for (int i = 0; i < r; i++) {
                            double m = max[i];
                            for (int j = 0; j < s; j++) {
                                m = Math.max(m, w[i * s + j]);
                            }
                            double acc = sumExp[i] * Math.exp(max[i] - m);
                            for (int j = 0; j < s; j++) {
                                acc += Math.exp(w[i * s + j] - m);
                            }
                            max[i] = m;
                            sumExp[i] = acc;
                        }
                    }
                }
            }
            for (int i = 0; i < r; i++) {
                total += -(max[i] + Math.log(sumExp[i] / k));
            }
            if (progress != null) {
                progress.accept(start + r);
            }
        }
        return total / n;
    }
}
