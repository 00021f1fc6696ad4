package org.vae4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.vae4j.model.VaeModel;
import org.vae4j.nn.LayerStack;

/**
 * Where a training step's time goes: every layer of every network timed on its own (forward, and forward plus
 * backward) for one batch, and one Adam update of all parameters. Used by {@code vae4j diagnose --profile} and the
 * README's speed table. Timings are the best of several runs; on a shared machine compare rows of one profile.
 *
 * @param layers per network, its steps in order
 * @param adamMs one Adam update of every parameter (PyTorch's fused kernel when it loads)
 * @param adamFused whether that update ran in the fused kernel
 * @param batch records per batch
 */
public record StepProfile(Map<String, List<LayerStack.StepTiming>> layers, double adamMs, boolean adamFused, int batch) {

    /**
     * Profiles a model's networks and its optimiser update.
     *
     * @param model the model (its weights are left as they are: the Adam update runs on copies)
     * @param batch records per batch
     * @param repeats timed runs per row (best kept)
     */
    public static StepProfile of(VaeModel model, int batch, int repeats) {
        if (batch < 1 || repeats < 1) {
            throw new IllegalArgumentException("batch and repeats must be at least 1, got " + batch + " and " + repeats);
        }
        try (NDManager m = model.manager().newSubManager()) {
            Map<String, List<LayerStack.StepTiming>> layers = model.profile(m, batch, repeats);
            // Adam on copies of the weights with gradients of the same shapes, so the model is not changed
            Map<String, NDArray> copies = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                NDArray c = e.getValue().duplicate();
                c.attach(m);
                c.setRequiresGradient(true);
                copies.put(e.getKey(), c);
            }
            // gradients of the copies' shapes: backward of their sum gives each a gradient of ones
            try (NDManager g = m.newSubManager(); ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray total = null;
                for (NDArray c : copies.values()) {
                    NDArray s = c.sum();
                    total = total == null ? s : total.add(s);
                }
                if (total != null) {
                    total.attach(g);
                    gc.backward(total);
                }
            }
            double best;
            boolean fused;
            try (AdamOptimizer adam = new AdamOptimizer(copies, m, 1e-3, 0.9, 0.999, 1e-8)) {
                fused = adam.fused();
                best = org.vae4j.util.Diagnostics.bestMillis(repeats, () -> {
                    try (NDManager step = m.newSubManager()) {
                        long t0 = System.nanoTime();
                        adam.step(step, 1f);
                        return System.nanoTime() - t0;
                    }
                });
            }
            return new StepProfile(layers, best, fused, batch);
        }
    }

    /** Sum of the forward-plus-backward times of every layer, plus the Adam update: a training step's lower bound. */
    public double stepMs() {
        double t = adamMs;
        for (List<LayerStack.StepTiming> rows : layers.values()) {
            for (LayerStack.StepTiming r : rows) {
                t += r.forwardBackwardMs();
            }
        }
        return t;
    }
}
