package org.vae4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Overwrites engine arrays in place without {@code NDArray.set(Buffer)}: DJL's PyTorch engine implements that with a
 * deprecated {@code AutoNonVariableTypeMode} guard, and libtorch prints a multi-line warning about it to the process's
 * native stderr the first time (issue 15: every {@code evaluate}, {@code sample} and {@code serve}, and every error
 * after a model was loaded, carried it). These helpers write through a full slice ({@code index_put_}) instead, which
 * changes the array's own storage, so views of it and native lists holding it (the fused Adam kernel's) see the new
 * values.
 */
public final class Overwrite {
    private static final NDIndex ALL = new NDIndex(":");

    private Overwrite() {}

    /**
     * Replaces the values of {@code target} (a float32 array, e.g. a parameter or an optimiser moment) with
     * {@code values}, in row-major order, keeping its shape, its storage and whether it requires a gradient.
     *
     * @throws IllegalArgumentException if the number of values differs from the array's size
     */
    public static void withValues(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException("expected " + target.size() + " values for " + target.getShape() + ", got "
                    + values.length);
        }
        // a leaf that requires a gradient cannot be written in place: switch it off for the write
        boolean grad = target.hasGradient();
        if (grad) {
            target.setRequiresGradient(false);
        }
        try (NDArray src = target.getManager().create(values, target.getShape())) {
            if (target.getShape().dimension() == 0) {
                try (NDArray one = target.reshape(1); NDArray s = src.reshape(1)) {
                    one.set(ALL, s);
                }
            } else {
                target.set(ALL, src);
            }
        } finally {
            if (grad) {
                target.setRequiresGradient(true);
            }
        }
    }

    /**
     * Sets the gradient of every array in {@code params} to zero in place (NaN × 0 is NaN, so scaling would not do).
     *
     * @param params arrays that have gradients
     * @param sub the step's manager, which takes the gradient handles
     */
    public static void zeroGradients(Iterable<NDArray> params, NDManager sub) {
        for (NDArray w : params) {
            NDArray g = w.getGradient();
            g.attach(sub);
            zero(g);
        }
    }

    /** Sets every element of {@code a} to zero in place (also NaN and infinite ones, which {@code a × 0} would keep). */
    public static void zero(NDArray a) {
        if (a.getShape().dimension() == 0) {
            try (NDArray one = a.reshape(1)) {
                one.set(ALL, 0f);
            }
            return;
        }
        a.set(ALL, 0f);
    }
}
