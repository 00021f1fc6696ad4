package org.vae4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vae4j.model.Batch;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.Noise;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;

/**
 * The default step: the model's loss, one backward pass and one Adam update of all its parameters, with optional
 * global-norm clipping and the NaN policy. Its values are the loss and the model's named terms.
 */
public final class SingleOptimizerStep implements StepStrategy {
    /**
     * Test hook: force a garbage collection between forward and backward in every step. With DJL's temporary
     * scalar tensors (see {@link org.vae4j.nn.Scalars}) this makes backward read freed memory, so a test can
     * prove that losses do not depend on GC timing.
     */
    static volatile boolean gcBetweenForwardAndBackward;

    private final VaeModel model;
    private final TrainConfig cfg;
    private final NanPolicy nan;
    private final Position position;
    private final Map<String, NDArray> params;
    private final AdamOptimizer adam;
    private final List<String> terms;
    private final List<String> names = new ArrayList<>();

    /** The factory for {@link StepStrategy.Factory}. */
    public static SingleOptimizerStep create(VaeModel model, TrainConfig cfg, Position position) {
        return new SingleOptimizerStep(model, cfg, position);
    }

    private SingleOptimizerStep(VaeModel model, TrainConfig cfg, Position position) {
        this.model = model;
        this.cfg = cfg;
        this.nan = cfg.nanPolicy();
        this.position = position;
        this.params = model.parameters();
        this.adam = new AdamOptimizer(params, model.manager(), cfg.lr(), cfg.beta1(), cfg.beta2(), 1e-8);
        this.terms = model.variant().termNames();
        names.add("loss");
        names.addAll(terms);
    }

    @Override
    public List<String> valueNames() {
        return names;
    }

    @Override
    public Result step(Batch batch, Objective objective, NDManager sub) {
        ModelOutput out;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            out = model.forward(batch, true, objective, Noise.engine());
            if (gcBetweenForwardAndBackward) {
                System.gc();
            }
            gc.backward(out.loss());
        }
        NDList parts = new NDList(out.loss());
        for (String t : terms) {
            parts.add(out.terms().get(t).mean());
        }
        float[] stats = NDArrays.stack(parts).toFloatArray();
        // The norm costs two passes over all gradients per step (~10% of an MLP epoch), so it is only computed when
        // clipping or skipping needs it.
        double gradNorm = cfg.clipNorm() > 0 || nan == NanPolicy.SKIP_BATCH ? gradientNorm(sub) : 0;
        if (!Float.isFinite(stats[0]) || !Double.isFinite(gradNorm)) {
            String what = Float.isFinite(stats[0]) ? "gradient" : "loss";
            if (nan == NanPolicy.SKIP_BATCH) {
                org.vae4j.nn.Overwrite.zeroGradients(params.values(), sub);
                position.listener().warning("epoch " + position.epoch() + ", batch " + position.batch() + ": non-finite " + what
                        + "; batch skipped");
                return Result.SKIPPED;
            }
            throw new TrainingException("non-finite " + what + " at epoch " + position.epoch() + ", batch " + position.batch()
                    + position.checkpointHint() + " (try a lower --lr, --clip-norm, or --on-nan skip-batch)");
        }
        float gradScale = 1f;
        if (cfg.clipNorm() > 0 && gradNorm > cfg.clipNorm()) {
            gradScale = (float) (cfg.clipNorm() / gradNorm);
        }
        adam.step(sub, gradScale);
        double[] values = new double[stats.length];
        for (int i = 0; i < stats.length; i++) {
            values[i] = stats[i];
        }
        return new Result(false, values);
    }

    /** Global L2 norm of all gradients (also the finiteness check). */
    private double gradientNorm(NDManager sub) {
        NDList squares = new NDList(params.size());
        for (NDArray w : params.values()) {
            NDArray g = w.getGradient();
            g.attach(sub);
            squares.add(g.square().sum());
        }
        return Math.sqrt(NDArrays.stack(squares).sum().getFloat());
    }

    @Override
    public Map<String, NDArray> state() {
        return adam.state();
    }

    @Override
    public void learningRate(double lr) {
        adam.setLearningRate(lr);
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
