package org.vae4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.nn.ParameterArena;

/**
 * Adam over a model's parameters, using the engine's fused native update but owning its moment buffers, so the
 * optimiser state can be checkpointed and restored exactly (DJL's own Adam keeps them private).
 *
 * <p>The parameters are views of one flat tensor ({@link ParameterArena}); the moments are flat too, so a step is
 * one gather of the gradients and one native update over all values rather than one update per parameter tensor.
 * Element by element the arithmetic is the same, so results do not depend on the layout.
 */
public final class AdamOptimizer {
    private final NDArray values;
    private final Map<String, NDArray> params;
    private final Map<String, long[]> slots;
    private final NDArray m;
    private final NDArray v;
    private final Map<String, NDArray> state = new LinkedHashMap<>();
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private long step;

    /**
     * @param values the flat tensor of all parameter values (updated in place)
     * @param params named parameters, each a view of {@code values}
     * @param slots start and length of each parameter in {@code values}, in increasing order of start, covering it
     * @param manager manager owning the moment buffers (the model's)
     */
    public AdamOptimizer(NDArray values, Map<String, NDArray> params, Map<String, long[]> slots, NDManager manager,
                         double lr, double beta1, double beta2, double eps) {
        long covered = 0;
        for (Map.Entry<String, long[]> e : slots.entrySet()) {
            NDArray p = params.get(e.getKey());
            if (p == null || e.getValue()[0] != covered || p.size() != e.getValue()[1]) {
                throw new IllegalArgumentException("parameter slots do not tile the flat tensor at " + e.getKey());
            }
            covered += e.getValue()[1];
        }
        if (covered != values.size() || slots.size() != params.size()) {
            throw new IllegalArgumentException("parameter slots cover " + covered + " of " + values.size() + " values");
        }
        this.values = values;
        this.params = params;
        this.slots = slots;
        this.lr = (float) lr;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
        this.m = manager.zeros(values.getShape());
        this.v = manager.zeros(values.getShape());
        for (Map.Entry<String, long[]> e : slots.entrySet()) {
            long[] s = e.getValue();
            state.put("adam.m." + e.getKey(), m.get(ParameterArena.range(s[0], s[1])).reshape(params.get(e.getKey()).getShape()));
        }
        for (Map.Entry<String, long[]> e : slots.entrySet()) {
            long[] s = e.getValue();
            state.put("adam.v." + e.getKey(), v.get(ParameterArena.range(s[0], s[1])).reshape(params.get(e.getKey()).getShape()));
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
        NDList grads = new NDList(slots.size());
        for (String name : slots.keySet()) {
            NDArray g = params.get(name).getGradient();
            g.attach(stepManager);
            grads.add(g.reshape(-1));
        }
        NDArray flat = grads.size() == 1 ? grads.head() : NDArrays.concat(grads);
        JniUtils.adamUpdate((PtNDArray) values, (PtNDArray) flat, (PtNDArray) m, (PtNDArray) v, lr, corrected, 0f,
                gradScale, -1f, beta1, beta2, eps, false);
        for (NDArray p : params.values()) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }

    /** Updates taken so far. */
    public long steps() {
        return step;
    }

    /** Moment buffers by name ({@code adam.m.NAME}, {@code adam.v.NAME}) for checkpoints. */
    public Map<String, NDArray> state() {
        return java.util.Collections.unmodifiableMap(state);
    }

    /** Restores moment buffers and the step count. */
    public void restore(Map<String, float[]> saved, long steps) {
        for (Map.Entry<String, NDArray> e : state.entrySet()) {
            float[] values = saved.get(e.getKey());
            if (values == null || values.length != e.getValue().size()) {
                throw new IllegalArgumentException("checkpoint lacks optimiser state " + e.getKey() + " of the right size");
            }
        }
        for (Map.Entry<String, long[]> e : slots.entrySet()) {
            long[] s = e.getValue();
            // indexed writes into the flat buffers: set(Buffer) on a view would detach it
            try (NDArray src = m.getManager().create(saved.get("adam.m." + e.getKey()))) {
                m.set(ParameterArena.range(s[0], s[1]), src);
            }
            try (NDArray src = v.getManager().create(saved.get("adam.v." + e.getKey()))) {
                v.set(ParameterArena.range(s[0], s[1]), src);
            }
        }
        this.step = steps;
    }
}
