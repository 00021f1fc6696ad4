package org.vae4j.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.model.Batch;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.Noise;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.train.AdamOptimizer;
import org.vae4j.train.Seeds;
import org.vae4j.train.StepStrategy;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.TrainingException;

/**
 * One worker's training step in a data-parallel run: the model's loss on this worker's batch and one backward pass,
 * then either
 *
 * <ul>
 *   <li>{@link Sync#GRADIENTS}: the gradients (and the batch's loss terms) averaged over all workers, then the same Adam
 *       update everywhere: synchronous SGD with a global batch of {@code workers × local batch}, every worker's weights
 *       identical after every step; or
 *   <li>{@link Sync#PARAMETERS}: a local Adam update, and every {@code every} steps (and at the end of each epoch) the
 *       weights averaged over the workers (local SGD / model averaging: less traffic, each worker's Adam moments its
 *       own).
 * </ul>
 *
 * All workers start from the first worker's initial weights. The loss and gradients come from the same model code as
 * the single-process step ({@code SingleOptimizerStep}); a non-finite value stops every worker (no skip-batch: the
 * workers must take the same steps).
 */
final class DataParallelStep implements StepStrategy {
    /** What the workers average. */
    enum Sync { GRADIENTS, PARAMETERS }

    private final VaeModel model;
    private final TrainConfig cfg;
    private final Position position;
    private final Map<String, NDArray> params;
    private final AdamOptimizer adam;
    private final List<String> terms;
    private final List<String> names = new ArrayList<>();
    private final BarrierGroup group;
    private final Sync sync;
    private final int every;
    private final int batchesPerEpoch;

    DataParallelStep(VaeModel model, TrainConfig cfg, Position position, BarrierGroup group, Sync sync, int every, int batchesPerEpoch) {
        this.model = model;
        this.cfg = cfg;
        this.position = position;
        this.params = model.parameters();
        this.adam = new AdamOptimizer(params, model.manager(), cfg.lr(), cfg.beta1(), cfg.beta2(), 1e-8);
        this.terms = model.variant().termNames();
        this.group = group;
        this.sync = sync;
        this.every = every;
        this.batchesPerEpoch = batchesPerEpoch;
        names.add("loss");
        names.addAll(terms);
        // every worker starts from the first one's weights (a resumed run then loads the checkpoint on all of them).
        // The workers of one JVM built their models at the same time from the engine's one generator, so those weights
        // are not reproducible: once all have built theirs, the first draws its weights again, alone, from the run's
        // seed (the single-process run's initial weights) while the others wait for them.
        group.barrier();
        float[] first = new float[0];
        if (group.rank() == 0) {
            try (VaeModel fresh = VaeModel.create(model.config(), cfg.seed())) {
                first = values(fresh.parameters());
            }
        }
        setParameters(group.fromFirst(first));
    }

    @Override
    public List<String> valueNames() {
        return names;
    }

    @Override
    public Result step(Batch batch, Objective objective, NDManager sub) {
        // DJL's GradientCollector allows one per JVM, but an executor runs several workers' tasks at once; PyTorch's
        // grad mode is per thread, so each worker records its own graph here. The sampled z come from per-record
        // streams seeded by (worker seed, step), not from the engine's one generator that the workers in a JVM share:
        // a run is reproducible however its tasks interleave.
        float[] xs = batch.x().toFloatArray();
        int b = (int) batch.x().getShape().get(0);
        Noise noise = Noise.perRecord(Seeds.derive(cfg.seed(), adam.steps(), 0x5a13), xs, 0, b, xs.length / b);
        ModelOutput out;
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            out = model.forward(batch, true, objective, noise);
            NDArray seed = sub.ones(out.loss().getShape(), out.loss().getDataType());
            JniUtils.backward((PtNDArray) out.loss(), (PtNDArray) seed, false, false);
        } finally {
            if (!was) {
                JniUtils.setGradMode(false);
            }
        }
        NDList parts = new NDList(out.loss());
        for (String t : terms) {
            parts.add(out.terms().get(t).mean());
        }
        float[] stats = NDArrays.stack(parts).toFloatArray();
        float gradScale = 1f;
        if (sync == Sync.GRADIENTS) {
            float[] local = flatten(true, sub);
            float[] msg = new float[stats.length + local.length];
            System.arraycopy(stats, 0, msg, 0, stats.length);
            System.arraycopy(local, 0, msg, stats.length, local.length);
            float[] avg = group.average(msg);
            stats = Arrays.copyOf(avg, stats.length);
            double sq = 0;
            for (int i = stats.length; i < avg.length; i++) {
                sq += (double) avg[i] * avg[i];
            }
            checkFinite(stats[0], Math.sqrt(sq));
            setGradients(avg, stats.length, sub);
            if (cfg.clipNorm() > 0 && Math.sqrt(sq) > cfg.clipNorm()) {
                gradScale = (float) (cfg.clipNorm() / Math.sqrt(sq));
            }
            adam.step(sub, gradScale);
        } else {
            double norm = cfg.clipNorm() > 0 ? norm(flatten(true, sub)) : 0;
            checkFinite(stats[0], norm);
            if (cfg.clipNorm() > 0 && norm > cfg.clipNorm()) {
                gradScale = (float) (cfg.clipNorm() / norm);
            }
            adam.step(sub, gradScale);
            if (adam.steps() % every == 0 || position.batch() == batchesPerEpoch) {
                setParameters(group.average(flatten(false, null)));
            }
        }
        double[] values = new double[stats.length];
        for (int i = 0; i < stats.length; i++) {
            values[i] = stats[i];
        }
        return new Result(false, values);
    }

    private void checkFinite(float loss, double gradNorm) {
        if (!Float.isFinite(loss) || !Double.isFinite(gradNorm)) {
            throw new TrainingException("non-finite " + (Float.isFinite(loss) ? "gradient" : "loss") + " at epoch " + position.epoch()
                    + ", batch " + position.batch() + position.checkpointHint() + " (try a lower --lr or --clip-norm)");
        }
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    /** The arrays' values as one array, in map order. */
    private static float[] values(Map<String, NDArray> ps) {
        return concat(ps.values().stream().map(NDArray::toFloatArray).toList());
    }

    /** All parameters' gradients (or values) as one array, in the model's parameter order. */
    private float[] flatten(boolean gradients, NDManager sub) {
        if (!gradients) {
            return values(params);
        }
        List<float[]> parts = new ArrayList<>(params.size());
        for (NDArray w : params.values()) {
            NDArray g = w.getGradient();
            g.attach(sub);
            parts.add(g.toFloatArray());
        }
        return concat(parts);
    }

    private static float[] concat(List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private void setGradients(float[] values, int offset, NDManager sub) {
        int o = offset;
        for (NDArray w : params.values()) {
            NDArray g = w.getGradient();
            g.attach(sub);
            int len = (int) g.size();
            org.vae4j.nn.Overwrite.withValues(g, Arrays.copyOfRange(values, o, o + len));
            o += len;
        }
    }

    private void setParameters(float[] values) {
        Map<String, float[]> byName = new LinkedHashMap<>();
        int o = 0;
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            int len = (int) e.getValue().size();
            byName.put(e.getKey(), Arrays.copyOfRange(values, o, o + len));
            o += len;
        }
        if (o != values.length) {
            throw new VaeSparkException("data-parallel workers disagree on the model's size (" + values.length + " vs " + o + " values)");
        }
        model.setParametersFrom(byName);
    }

    @Override
    public Map<String, NDArray> state() {
        return adam.state();
    }

    @Override
    public long steps() {
        return adam.steps();
    }

    @Override
    public void restore(Map<String, float[]> state, long steps) {
        adam.restore(state, steps);
    }

    @Override
    public void close() {
        adam.close();
    }
}
