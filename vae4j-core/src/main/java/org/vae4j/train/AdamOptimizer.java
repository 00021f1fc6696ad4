package org.vae4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam over a model's parameters, owning its moment buffers so the optimiser state can be checkpointed and restored
 * exactly (DJL's own Adam keeps them private). Updates run in PyTorch's fused multi-tensor kernel
 * ({@link FusedAdamKernel}, about three times faster) when it loads, else in DJL's per-tensor update. Both follow the
 * textbook rule; DJL's adds ε before the bias correction of v, a difference of order ε.
 */
public final class AdamOptimizer implements AutoCloseable {
    private final Map<String, NDArray> params;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private long step;
    /**
     * Fused path only (else null / empty): the number of updates so far as a float scalar, which the kernel module
     * increments, the persistent tensor lists and the hyperparameters as IValues.
     */
    private final NDArray stepValue;
    private final List<IValue> lists = new ArrayList<>();

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
        if (FusedAdamKernel.available() && !params.isEmpty()) {
            stepValue = manager.zeros(new Shape(), DataType.FLOAT32);
            lists.add(IValue.listFrom(pt(params.values())));
            lists.add(IValue.listFrom(pt(m.values())));
            lists.add(IValue.listFrom(pt(v.values())));
            lists.add(IValue.listFrom(pt(Collections.nCopies(params.size(), stepValue))));
            for (double h : new double[] {this.lr, this.beta1, this.beta2, this.eps}) {
                lists.add(IValue.from(h));
            }
        } else {
            stepValue = null;
        }
    }

    private static PtNDArray[] pt(Collection<NDArray> arrays) {
        return arrays.stream().map(a -> (PtNDArray) a).toArray(PtNDArray[]::new);
    }

    /** Whether updates run in PyTorch's fused kernel. */
    public boolean fused() {
        return stepValue != null;
    }

    /**
     * One update from the gradients accumulated in the parameters; also zeroes them.
     *
     * @param stepManager the step's manager (gradient handles are attached to it and freed with it)
     * @param gradScale factor applied to every gradient first (for norm clipping; 1 = none)
     */
    public void step(NDManager stepManager, float gradScale) {
        step++;
        if (stepValue != null) {
            List<PtNDArray> grads = new ArrayList<>(params.size());
            for (NDArray w : params.values()) {
                NDArray g = w.getGradient();
                g.attach(stepManager);
                if (gradScale != 1f) {
                    g.muli(gradScale); // outside any gradient collector, so a Java number is safe here
                }
                grads.add((PtNDArray) g);
            }
            FusedAdamKernel.step(lists.get(0), grads, lists.get(1), lists.get(2), lists.get(3), lists.subList(4, 8));
            return;
        }
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

    /** The learning rate of the next updates. */
    public double learningRate() {
        return lr;
    }

    /**
     * Changes the learning rate of the next updates (a schedule sets it at the start of each epoch); the moments and
     * the step count are kept.
     */
    public void setLearningRate(double newLr) {
        if (!(newLr > 0) || !Double.isFinite(newLr)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + newLr);
        }
        float f = (float) newLr;
        if (f == lr) {
            return;
        }
        lr = f;
        if (stepValue != null) {
            // the kernel takes the hyperparameters as IValues, the learning rate first (index 4 after the tensor lists)
            IValue old = lists.set(4, IValue.from((double) f));
            old.close();
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
            org.vae4j.nn.Overwrite.withValues(e.getValue(), values);
        }
        this.step = steps;
        if (stepValue != null) {
            stepValue.muli(0).addi(steps); // (NDArray.set would print a PyTorch deprecation warning)
        }
    }

    /** Frees the native IValues of the fused path (the tensors themselves belong to their managers). */
    @Override
    public void close() {
        lists.forEach(IValue::close);
        lists.clear();
    }
}
