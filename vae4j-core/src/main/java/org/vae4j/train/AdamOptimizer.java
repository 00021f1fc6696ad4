package org.vae4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam over a model's parameters, using the engine's fused native update but owning its moment buffers, so the
 * optimiser state can be checkpointed and restored exactly (DJL's own Adam keeps them private).
 */
public final class AdamOptimizer {
    private final Map<String, NDArray> params;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private long step;

    /**
     * @param params named parameters (updated in place)
     * @param manager manager owning the moment buffers (the model's)
     */
    public AdamOptimizer(Map<String, NDArray> params, NDManager manager, double lr, double beta1, double beta2, double eps) {
        this.params = params;
        this.lr = (float) lr;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            m.put(e.getKey(), manager.zeros(e.getValue().getShape()));
            v.put(e.getKey(), manager.zeros(e.getValue().getShape()));
        }
    }

    /**
     * One update from the gradients accumulated in the parameters; also zeroes them.
     *
     * @param stepManager the step's manager (gradient handles are attached to it and freed with it)
     * @param gradScale factor applied to every gradient first (for norm clipping; 1 = none)
     */
    public void step(NDManager stepManager, float gradScale) {
        step++;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        float corrected = (float) (lr * Math.sqrt(c2) / c1);
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray w = e.getValue();
            NDArray g = w.getGradient();
            g.attach(stepManager);
            NDArray mean = m.get(e.getKey());
            NDArray var = v.get(e.getKey());
            w.getNDArrayInternal().adamUpdate(new NDList(w, g, mean, var), new NDList(w), lr, corrected, 0f,
                    gradScale, -1f, beta1, beta2, eps, true, false);
        }
    }

    /** Updates taken so far. */
    public long steps() {
        return step;
    }

    /** Moment buffers by name ({@code adam.m.NAME}, {@code adam.v.NAME}) for checkpoints. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> s = new LinkedHashMap<>();
        m.forEach((k, a) -> s.put("adam.m." + k, a));
        v.forEach((k, a) -> s.put("adam.v." + k, a));
        return s;
    }

    /** Restores moment buffers and the step count. */
    public void restore(Map<String, float[]> state, long steps) {
        for (Map.Entry<String, NDArray> e : state().entrySet()) {
            float[] values = state.get(e.getKey());
            if (values == null || values.length != e.getValue().size()) {
                throw new IllegalArgumentException("checkpoint lacks optimiser state " + e.getKey() + " of the right size");
            }
            NDArray target = e.getValue();
            try (NDArray src = target.getManager().create(values, target.getShape())) {
                target.set(src.toByteBuffer());
            }
        }
        this.step = steps;
    }
}
