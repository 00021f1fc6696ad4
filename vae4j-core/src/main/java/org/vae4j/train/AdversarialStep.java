package org.vae4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.model.Batch;
import org.vae4j.model.Noise;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.model.gan.GanVariant;
import org.vae4j.nn.Overwrite;

/**
 * The adversarial step of a GAN ({@link GanVariant}): two Adam optimisers, one over the discriminator D (the
 * {@code encoder} group), one over the generator G (the {@code decoder} group). Per batch:
 *
 * <ol>
 *   <li>z ~ N(0, I) from the engine (re-seeded per epoch by the trainer, so resume replays it), samples G(z) computed
 *       without a graph into G;
 *   <li>D's update on −log D(x) − log(1 − D(G(z))) (plus the R1 penalty (γ/2)‖∇_x D(x)‖² when {@code r1} &gt; 0);
 *   <li>after every {@code d-steps}-th D update, G's update on the same z against the updated D: non-saturating
 *       −log D(G(z)) or the notes' minimax log(1 − D(G(z))); D's weights are frozen meanwhile, so the backward pass
 *       fills G's gradients only.
 * </ol>
 *
 * <p>The batch's values are measured in D's step, before its update: {@code loss} (= {@code d_loss}), {@code d_loss},
 * {@code g_loss}, {@code d_real} = mean D(x), {@code d_fake} = mean D(G(z)). Clipping ({@code --clip-norm}) bounds
 * each network's gradient norm separately; the NaN policy applies to each update (a skipped D update skips the batch,
 * a skipped G update is reported and the batch's values still count). The optimiser state is both optimisers' moments
 * under their parameters' names ({@code adam.m.encoder.*}, {@code adam.m.decoder.*}) and G's update count
 * ({@value #G_STEPS}); {@link #steps()} counts D's updates, so a checkpoint restores both optimisers exactly.
 */
public final class AdversarialStep implements StepStrategy {
    private final VaeModel model;
    private final TrainConfig cfg;
    private final NanPolicy nan;
    private final Position position;
    private final GanVariant.Settings settings;
    private final Map<String, NDArray> dParams = new LinkedHashMap<>();
    private final Map<String, NDArray> gParams = new LinkedHashMap<>();
    private final AdamOptimizer adamD;
    private final AdamOptimizer adamG;
    private final List<String> names;
    /** G's update count as two floats (high and low 20 bits), kept in checkpoints beside the moments. */
    private final NDArray gStepsState;
    /** D's gradients from the R1 penalty's first backward pass, removed after the second (null without R1). */
    private NDArray[] firstPassGradients;

    /** Checkpoint name of G's update count. */
    static final String G_STEPS = "adam.steps.decoder";

    /** Registers this step for the {@code gan} model. */
    public static final class Provider implements StepStrategy.Provider {
        @Override
        public String model() {
            return "gan";
        }

        @Override
        public Factory factory() {
            return AdversarialStep::create;
        }
    }

    /** The factory for {@link StepStrategy.Factory}. */
    public static AdversarialStep create(VaeModel model, TrainConfig cfg, Position position) {
        return new AdversarialStep(model, cfg, position);
    }

    private AdversarialStep(VaeModel model, TrainConfig cfg, Position position) {
        this.model = model;
        this.cfg = cfg;
        this.nan = cfg.nanPolicy();
        this.position = position;
        this.settings = model.config().settings(GanVariant.Settings.class);
        model.parameters().forEach((k, v) -> {
            if (k.startsWith("encoder.")) {
                dParams.put(k, v);
            } else if (k.startsWith("decoder.")) {
                gParams.put(k, v);
            } else {
                throw new IllegalStateException("parameter " + k + " belongs to neither network of the GAN");
            }
        });
        this.adamD = new AdamOptimizer(dParams, model.manager(), cfg.lr(), cfg.beta1(), cfg.beta2(), 1e-8);
        this.adamG = new AdamOptimizer(gParams, model.manager(), cfg.lr(), cfg.beta1(), cfg.beta2(), 1e-8);
        this.gStepsState = model.manager().zeros(new Shape(2));
        List<String> n = new ArrayList<>();
        n.add("loss");
        n.addAll(model.variant().termNames());
        this.names = List.copyOf(n);
    }

    @Override
    public List<String> valueNames() {
        return names;
    }

    @Override
    public Result step(Batch batch, Objective objective, NDManager sub) {
        long n = batch.x().getShape().get(0);
        NDArray z = Noise.engine().normal(sub, new Shape(n, model.latent()));
        NDArray[] d = discriminatorBackward(batch, z, sub);
        float[] stats = NDArrays.stack(new NDList(d[0].mean(), d[1].mean(), d[2].getNDArrayInternal().sigmoid().mean(),
                d[3].getNDArrayInternal().sigmoid().mean())).toFloatArray();
        if (!update(adamD, dParams, Float.isFinite(stats[0]) && Float.isFinite(stats[1]), "discriminator", sub)) {
            return Result.SKIPPED;
        }
        if (adamD.steps() % settings.dSteps() == 0) {
            NDArray gl;
            try (FrozenGroup ignored = new FrozenGroup(dParams.values());
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray f = GanVariant.generate(model, z, true);
                gl = GanVariant.generatorLoss(GanVariant.discriminator(model, f, true), settings.nonSaturating()).mean();
                gc.backward(gl);
            }
            update(adamG, gParams, Float.isFinite(gl.getFloat()), "generator", sub);
        }
        return new Result(false, new double[] {stats[0], stats[0], stats[1], stats[2], stats[3]});
    }

    /**
     * D's backward pass for a batch against samples G(z) (with R1 when set), leaving D's gradients in its weights and
     * none in G's; no update is taken.
     *
     * @return per record: D's loss, G's loss (as D judges the samples now), D's logits of the real records and of the
     *     samples
     */
    NDArray[] discriminatorBackward(Batch batch, NDArray z, NDManager sub) {
        NDArray x = batch.x();
        long n = x.getShape().get(0);
        // G(z) outside the collector, so without a graph into G: D's loss must not reach G's weights
        NDArray fake = GanVariant.generate(model, z, true);
        NDArray dLoss;
        NDArray gLoss;
        NDArray realLogits;
        NDArray fakeLogits;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray real = x;
            if (settings.r1() > 0) {
                real = x.duplicate();
                real.setRequiresGradient(true);
            }
            NDArray logits = GanVariant.discriminator(model, NDArrays.concat(new NDList(real, fake)), true);
            realLogits = logits.get("0:" + n);
            fakeLogits = logits.get(n + ":");
            dLoss = GanVariant.discriminatorLoss(realLogits, fakeLogits);
            gLoss = GanVariant.generatorLoss(fakeLogits, settings.nonSaturating());
            NDArray objectiveD = dLoss.mean();
            if (settings.r1() > 0) {
                objectiveD = objectiveD.add(r1Penalty(real, realLogits, sub));
            }
            gc.backward(objectiveD);
        }
        if (settings.r1() > 0) {
            subtractFirstPass(sub);
        }
        return new NDArray[] {dLoss, gLoss, realLogits, fakeLogits};
    }

    /**
     * (γ/2) mean_i ‖∇_x D(x_i)‖²: the first backward pass (with a graph) of Σ_i D's logit gives each record's input
     * gradient; the penalty on it then backpropagates into D's weights. The first pass also adds ∇_θ Σ_i D(x_i) to
     * D's gradients, which {@link #subtractFirstPass} removes after the second.
     */
    private NDArray r1Penalty(NDArray real, NDArray realLogits, NDManager sub) {
        NDArray sum = realLogits.sum();
        JniUtils.backward((PtNDArray) sum, (PtNDArray) sum.onesLike(), true, true);
        firstPassGradients = new NDArray[dParams.size()];
        int i = 0;
        for (NDArray w : dParams.values()) {
            NDArray g = w.getGradient();
            g.attach(sub);
            firstPassGradients[i++] = g.stopGradient().duplicate();
        }
        NDArray gx = real.getGradient();
        gx.attach(sub);
        long n = real.getShape().get(0);
        NDArray perRecord = gx.square().reshape(n, -1).sum(new int[] {1});
        return perRecord.mean().mul(model.scalars().of(settings.r1() / 2));
    }

    private void subtractFirstPass(NDManager sub) {
        int i = 0;
        for (NDArray w : dParams.values()) {
            NDArray g = w.getGradient();
            g.attach(sub);
            g.subi(firstPassGradients[i++]); // outside the collector: no graph, a Java-free in-place update
        }
        firstPassGradients = null;
    }

    /**
     * Clipping, the NaN policy and one optimiser's update.
     *
     * @return false when the update was skipped
     */
    private boolean update(AdamOptimizer adam, Map<String, NDArray> params, boolean lossFinite, String who, NDManager sub) {
        double gradNorm = cfg.clipNorm() > 0 || nan == NanPolicy.SKIP_BATCH ? gradientNorm(params, sub) : 0;
        if (!lossFinite || !Double.isFinite(gradNorm)) {
            String what = lossFinite ? "gradient" : "loss";
            if (nan == NanPolicy.SKIP_BATCH) {
                Overwrite.zeroGradients(params.values(), sub);
                position.listener().warning("epoch " + position.epoch() + ", batch " + position.batch() + ": non-finite " + who
                        + " " + what + "; " + (who.equals("generator") ? "generator update" : "batch") + " skipped");
                return false;
            }
            throw new TrainingException("non-finite " + who + " " + what + " at epoch " + position.epoch() + ", batch "
                    + position.batch() + position.checkpointHint() + " (try a lower --lr, --clip-norm, or --on-nan skip-batch)");
        }
        float scale = 1f;
        if (cfg.clipNorm() > 0 && gradNorm > cfg.clipNorm()) {
            scale = (float) (cfg.clipNorm() / gradNorm);
        }
        adam.step(sub, scale);
        return true;
    }

    private static double gradientNorm(Map<String, NDArray> params, NDManager sub) {
        NDList squares = new NDList(params.size());
        for (NDArray w : params.values()) {
            NDArray g = w.getGradient();
            g.attach(sub);
            squares.add(g.square().sum());
        }
        return Math.sqrt(NDArrays.stack(squares).sum().getFloat());
    }

    /** Switches off gradients of one network while the other trains (closing switches them back on). */
    private static final class FrozenGroup implements AutoCloseable {
        private final java.util.Collection<NDArray> params;

        FrozenGroup(java.util.Collection<NDArray> params) {
            this.params = params;
            params.forEach(p -> p.setRequiresGradient(false));
        }

        @Override
        public void close() {
            params.forEach(p -> p.setRequiresGradient(true));
        }
    }

    @Override
    public Map<String, NDArray> state() {
        Map<String, NDArray> s = new LinkedHashMap<>(adamD.state());
        s.putAll(adamG.state());
        long g = adamG.steps();
        // the project's in-place writer: set(Buffer) prints libtorch's AutoNonVariableTypeMode warning
        Overwrite.withValues(gStepsState, new float[] {g >>> 20, g & 0xFFFFF});
        s.put(G_STEPS, gStepsState);
        return s;
    }

    /** Both optimisers share the base rate, so a schedule sets both to {@code lr}. */
    @Override
    public void learningRate(double lr) {
        adamD.setLearningRate(lr);
        adamG.setLearningRate(lr);
    }

    /** Discriminator updates so far (the generator's are kept beside them in the checkpoint). */
    @Override
    public long steps() {
        return adamD.steps();
    }

    /** Generator updates so far. */
    public long generatorSteps() {
        return adamG.steps();
    }

    @Override
    public void restore(Map<String, float[]> state, long steps) {
        Map<String, float[]> d = new LinkedHashMap<>();
        Map<String, float[]> g = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (!k.equals(G_STEPS)) {
                (k.startsWith("adam.m.decoder.") || k.startsWith("adam.v.decoder.") ? g : d).put(k, v);
            }
        });
        float[] gs = state.get(G_STEPS);
        if (gs == null || gs.length != 2) {
            throw new IllegalArgumentException("checkpoint lacks the generator's update count (" + G_STEPS + ")");
        }
        adamD.restore(d, steps);
        adamG.restore(g, ((long) gs[0] << 20) | (long) gs[1]);
    }

    @Override
    public void close() {
        adamD.close();
        adamG.close();
    }
}
