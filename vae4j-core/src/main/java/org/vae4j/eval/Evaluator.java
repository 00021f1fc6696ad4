package org.vae4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.vae4j.data.BatchReader;
import org.vae4j.data.Dataset;
import org.vae4j.model.Batch;
import org.vae4j.model.Capability;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.Noise;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.model.vae.VaeVariant;
import org.vae4j.nn.InputBuffer;

/**
 * Honest evaluation of a trained model: −ELBO, the model's named terms, KL per dimension, active units,
 * importance-weighted NLL. In-memory and streamed data go through one loop. Every sampled z comes from the record's
 * own stream ({@link Noise#perRecord}), so a record's figures do not depend on the batch size or on its neighbours.
 */
public final class Evaluator {
    /** Upper bound on decoder rows per forward pass during importance sampling (memory ∝ rows × D). */
    static final int IW_ROWS = 8192;

    /**
     * Most importance samples per record. Memory does not grow with K (samples are processed in chunks of at most
     * {@value #IW_ROWS} decoder rows), but time does: K decoder passes per record. A million is 200 times the 5000
     * Burda et al. used; beyond it a typo such as 2147483647 would run for days, so it is refused.
     */
    public static final int MAX_IW_SAMPLES = 1_000_000;

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
        return evaluate(model, data, null, n, batchSize, seed);
    }

    /**
     * {@link #evaluate(VaeModel, float[], int, int, long)} with the records' labels, which conditional models need.
     *
     * @param labels one label per record, or null (unconditional models)
     */
    public static EvaluationResult evaluate(VaeModel model, float[] data, int[] labels, int n, int batchSize, long seed) {
        int d = model.featureSize();
        return evaluate(model, n, evalBatch(model, batchSize), seed, (start, b) -> data, start -> start * d, labels);
    }

    /**
     * {@link #evaluate(VaeModel, float[], int, int, long)} over a data set read batch by batch (on a background
     * thread), for data sets that are not held in memory; conditional models get the data set's labels.
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
        int bs = evalBatch(model, batchSize);
        // one batch ahead: evaluation batches are large (1000 records of 64×64×3 floats are 49 MB each)
        try (BatchReader reader = new BatchReader(data, identity(n), bs, 1, transform)) {
            return evaluate(model, n, bs, seed, (start, b) -> reader.next(), start -> 0, labelsFor(model, data));
        }
    }

    /**
     * The batch size for a model with K decoder passes per record (the IWAE): at most {@value #IW_ROWS} / K records,
     * so memory stays bounded whatever K.
     */
    static int evalBatch(VaeModel model, int batchSize) {
        int k = Math.max(1, model.variant().samplesPerRecord(model.config().settings()));
        return Math.max(1, Math.min(batchSize, IW_ROWS / k));
    }

    /** The data set's labels when the model is conditional (then they are required), else null. */
    public static int[] labelsFor(VaeModel model, Dataset data) {
        if (!model.conditional()) {
            return null;
        }
        if (!data.hasLabels()) {
            throw new IllegalArgumentException(data.name() + ": a conditional model ('" + model.config().model()
                    + "') needs labelled records");
        }
        return data.labels();
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
            java.util.function.IntUnaryOperator offset, int[] labels) {
        if (labels != null && labels.length < n) {
            throw new IllegalArgumentException("expected " + n + " labels, got " + labels.length);
        }
        int d = model.featureSize();
        int l = model.latent();
        List<String> names = model.variant().termNames();
        double[] termSums = new double[names.size()];
        double sumRecon = 0;
        double sumKl = 0;
        double[] klDim = new double[l];
        double[] muSum = new double[l];
        double[] muSq = new double[l];
        // per label: count, recon and KL sums (labels are given for conditional models)
        java.util.TreeMap<Integer, double[]> byClass = new java.util.TreeMap<>();
        InputBuffer input = new InputBuffer();
        for (int start = 0; start < n; start += batchSize) {
            int b = Math.min(batchSize, n - start);
            try (NDManager sub = model.manager().newSubManager()) {
                float[] array = batches.array(start, b);
                int off = offset.applyAsInt(start);
                NDArray x = input.wrap(sub, array, off, b * d, model.batchShape(b));
                Batch batch = model.batch(x, Batch.labels(labels, start, b));
                ModelOutput out = model.forward(batch, false, Objective.elbo(1), Noise.perRecord(seed, array, off, b, d));
                float[] reconRows = out.recon().toFloatArray();
                float[] klRows = out.kl().toFloatArray();
                sumRecon += sum(reconRows);
                sumKl += sum(klRows);
                for (int i = 0; labels != null && i < b; i++) {
                    double[] c = byClass.computeIfAbsent(labels[start + i], k -> new double[3]);
                    c[0]++;
                    c[1] += reconRows[i];
                    c[2] += klRows[i];
                }
                for (int t = 0; t < names.size(); t++) {
                    termSums[t] += sum(out.terms().get(names.get(t)));
                }
                // a model without an encoder (a GAN) has no codes of records, so no active units
                float[] mu = model.can(Capability.ENCODES) ? out.mu().toFloatArray() : new float[0];
                for (int i = 0; i < b && mu.length > 0; i++) {
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
        Map<String, Double> terms = new LinkedHashMap<>();
        for (int t = 0; t < names.size(); t++) {
            terms.put(names.get(t), termSums[t] / n);
        }
        List<EvaluationResult.ClassFigures> perClass = new java.util.ArrayList<>();
        byClass.forEach((label, c) -> perClass.add(new EvaluationResult.ClassFigures(label, (long) c[0], (c[1] + c[2]) / c[0],
                c[1] / c[0], c[2] / c[0])));
        return new EvaluationResult(n, recon + kl, recon, kl, klDim, active, var, Double.NaN, 0, Double.NaN,
                model.likelihood().isDensity(), terms, perClass);
    }

    private static double sum(NDArray a) {
        return sum(a.toFloatArray());
    }

    private static double sum(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }

    /**
     * Importance-weighted estimate of −log p(x) per record (Burda et al. 2015): for each record
     * {@code −log (1/K) Σ_k p(x, z_k) / q(z_k|x)}, z_k ~ q(z|x), computed as a log-mean-exp with the model's own
     * proposal and joint ({@link org.vae4j.model.ModelVariant#logWeights}). Processed in groups of at most
     * {@value #IW_ROWS} decoder rows, so memory does not grow with K.
     *
     * @param progress receives the number of records done after each group (may be null)
     * @return mean over records of the estimate, in nats
     */
    public static double importanceWeightedNll(VaeModel model, float[] data, int n, int k, long seed, IntConsumer progress) {
        return mean(importanceWeightedNllPerRecord(model, data, null, n, k, seed, progress));
    }

    /**
     * The importance-weighted estimate of −log p(x) of every record (the per-record values whose mean
     * {@link #importanceWeightedNll(VaeModel, float[], int, int, long, IntConsumer)} reports), for anomaly scores.
     * A record's estimate depends only on the record, K and the seed.
     *
     * @param data {@code n × featureSize} values (already transformed)
     * @param progress receives the number of records done after each group (may be null)
     * @return {@code n} estimates in nats, in record order
     */
    public static double[] importanceWeightedNllPerRecord(VaeModel model, float[] data, int n, int k, long seed,
            IntConsumer progress) {
        return importanceWeightedNllPerRecord(model, data, null, n, k, seed, progress);
    }

    /**
     * {@link #importanceWeightedNllPerRecord(VaeModel, float[], int, int, long, IntConsumer)} with labels: for a
     * conditional model the estimate of −log p(x | y).
     *
     * @param labels one label per record, or null for unconditional models
     */
    public static double[] importanceWeightedNllPerRecord(VaeModel model, float[] data, int[] labels, int n, int k, long seed,
            IntConsumer progress) {
        return importanceWeightedNllPerRecord(model, data, labels, n, k, seed, progress, 1);
    }

    /**
     * {@link #importanceWeightedNllPerRecord(VaeModel, float[], int[], int, int, long, IntConsumer)} with records
     * estimated {@code workers} at a time, each on its own thread with one engine thread.
     * The estimates are those of one worker: a record's draws come from its own stream.
     *
     * @param workers records estimated at once (1: one after another, on the engine's threads)
     */
    public static double[] importanceWeightedNllPerRecord(VaeModel model, float[] data, int[] labels, int n, int k, long seed,
            IntConsumer progress, int workers) {
        int d = model.featureSize();
        return importanceWeightedNll(model, n, k, seed, progress, (start, r) -> data, start -> start * d, labels, workers);
    }

    /** A copy of {@code a} owned by {@code manager} (null stays null). */
    public static NDArray local(NDArray a, NDManager manager) {
        if (a == null) {
            return null;
        }
        NDArray c = a.duplicate();
        c.attach(manager);
        return c;
    }

    /** Copies of the arrays owned by {@code manager}. */
    public static NDArray[] local(NDArray[] a, NDManager manager) {
        NDArray[] out = new NDArray[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = local(a[i], manager);
        }
        return out;
    }

    /** A copy of the batch owned by {@code manager}. */
    public static Batch local(Batch b, NDManager manager) {
        return new Batch(local(b.x(), manager), local(b.condition(), manager));
    }

    private static double mean(double[] v) {
        double total = 0;
        for (double x : v) {
            total += x;
        }
        return total / v.length;
    }

    /**
     * {@link #importanceWeightedNll(VaeModel, float[], int, int, long, IntConsumer)} over a data set read group by
     * group (on a background thread), for data sets that are not held in memory.
     *
     * @param transform applied to each record as it is read (e.g. binarisation), or {@code null}
     */
    public static double importanceWeightedNll(VaeModel model, Dataset data, BatchReader.Transform transform, int k,
            long seed, IntConsumer progress) {
        return importanceWeightedNll(model, data, transform, k, seed, progress, 1);
    }

    /**
     * {@link #importanceWeightedNll(VaeModel, Dataset, BatchReader.Transform, int, long, IntConsumer)} with records
     * estimated {@code workers} at a time.
     */
    public static double importanceWeightedNll(VaeModel model, Dataset data, BatchReader.Transform transform, int k,
            long seed, IntConsumer progress, int workers) {
        checkIw(model, k);
        int n = data.size();
        int group = Math.max(1, IW_ROWS / k);
        int d = model.featureSize();
        try (BatchReader reader = new BatchReader(data, identity(n), group, 2, transform)) {
            // the groups are claimed in order under a lock, so the reader is read in order; its arrays are recycled
            // at the next call, so a worker that keeps one while others read on gets its own copy
            Batches groups = workers > 1
                    ? (start, r) -> java.util.Arrays.copyOf(reader.next(), r * d)
                    : (start, r) -> reader.next();
            return mean(importanceWeightedNll(model, n, k, seed, progress, groups, start -> 0, labelsFor(model, data), workers));
        }
    }

    private static void checkIw(VaeModel model, int k) {
        model.require(Capability.IMPORTANCE_WEIGHTED, "importance-weighted NLL");
        if (k < 1) {
            throw new IllegalArgumentException("--iw-samples must be >= 1, got " + k);
        }
        if (k > MAX_IW_SAMPLES) {
            throw new IllegalArgumentException("--iw-samples must be at most " + MAX_IW_SAMPLES
                    + " (importance samples per record; each costs a decoder pass), got " + k);
        }
    }

    /*
     * Workers: an estimate is a chain of operators per record (the encoder, its draws, one decoder pass over K rows, a
     * log-mean-exp) with Java work between them (the record's noise, the sums), so a record spread over the engine's
     * threads leaves cores idle between operators. With workers > 1 each worker estimates whole records on its own
     * thread, and the engine's intra-op thread count is one for the duration (restored afterwards): W workers keep W
     * cores busy. A record's estimate depends only on the record, K and the seed, whichever worker makes it.
     */
    private static double[] importanceWeightedNll(VaeModel model, int n, int k, long seed, IntConsumer progress,
            Batches batches, java.util.function.IntUnaryOperator offset, int[] labels, int workers) {
        checkIw(model, k);
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        int recordsPerGroup = Math.max(1, IW_ROWS / k);
        int samplesPerChunk = Math.min(k, IW_ROWS / recordsPerGroup);
        double[] out = new double[n];
        // groups are claimed in order (a streamed data set is read in order); each worker estimates its own
        Object lock = new Object();
        int[] next = {0};
        int[] done = {0};
        Runnable loop = () -> {
            InputBuffer input = new InputBuffer();
            while (true) {
                int start;
                int r;
                float[] array;
                int off;
                synchronized (lock) {
                    if (next[0] >= n) {
                        return;
                    }
                    start = next[0];
                    r = Math.min(recordsPerGroup, n - start);
                    next[0] += r;
                    array = batches.array(start, r);
                    off = offset.applyAsInt(start);
                }
                estimateGroup(model, k, samplesPerChunk, seed, input, array, off, r, Batch.labels(labels, start, r), out, start);
                if (progress != null) {
                    synchronized (lock) {
                        done[0] += r;
                        progress.accept(done[0]);
                    }
                }
            }
        };
        Runnable work = () -> {
            try {
                loop.run();
            } catch (RuntimeException | Error e) {
                synchronized (lock) {
                    next[0] = n; // the other workers stop after their current group
                }
                throw e;
            }
        };
        int w = Math.min(workers, (n + recordsPerGroup - 1) / recordsPerGroup);
        if (w <= 1) {
            work.run();
            return out;
        }
        int engineThreads = org.vae4j.util.Engines.threads();
        org.vae4j.util.Engines.setThreads(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(w - 1, r -> {
            Thread t = new Thread(r, "vae4j-iw-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<?>> others = new java.util.ArrayList<>();
            for (int i = 0; i < w - 1; i++) {
                others.add(pool.submit(work));
            }
            RuntimeException failure = null;
            try {
                work.run(); // this thread is a worker too
            } catch (RuntimeException e) {
                failure = e;
            }
            for (java.util.concurrent.Future<?> f : others) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return out;
        } finally {
            pool.shutdownNow();
            org.vae4j.util.Engines.setThreads(engineThreads);
        }
    }

    /**
     * The estimates of the {@code r} records at {@code array[off..]} (labels {@code y}), written to {@code out[start..]},
     * their K draws decoded {@code samplesPerChunk} at a time.
     */
    private static void estimateGroup(VaeModel model, int k, int samplesPerChunk, long seed, InputBuffer input, float[] array,
            int off, int r, int[] y, double[] out, int start) {
        int d = model.featureSize();
        int l = model.variant().noiseWidth(model.config());
        double[] max = new double[r];
        double[] sumExp = new double[r];
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        try (NDManager group = model.manager().newSubManager()) {
            NDArray x = input.wrap(group, array, off, r * d, model.batchShape(r));
            Batch batch = model.batch(x, y);
            NDArray[] post = model.posterior(batch, false);
            // each record's draws continue its own stream across chunks: the estimate does not depend on chunking
            Noise noise = Noise.perRecord(seed, array, off, r, d);
            for (int done = 0; done < k; done += samplesPerChunk) {
                int s = Math.min(samplesPerChunk, k - done);
                try (NDManager sub = group.newSubManager()) {
                    NDArray eps = noise.normal(sub, new Shape(r, s, l));
                    // an engine op's result belongs to its first operand's manager: with the group's arrays as
                    // operands every chunk's intermediates would live until the group ends (memory ∝ K), so the
                    // chunk computes from its own copies and frees everything when it closes
                    float[] w = model.variant().logWeights(model, local(batch, sub), local(post, sub), eps).toFloatArray();
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
            out[start + i] = -(max[i] + Math.log(sumExp[i] / k));
        }
    }
}
