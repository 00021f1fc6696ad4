package org.vae4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Scalar constants as long-lived NDArrays.
 *
 * <p>Why: in DJL 0.35.1's PyTorch engine, {@code NDArray.mul(Number)} and friends wrap the number in a temporary
 * tensor over Java memory and close it right after the op, while autograd may keep it for the backward pass.
 * After a garbage collection backward then reads freed memory and training silently degrades. Every constant that
 * enters a differentiated expression therefore comes from here and lives as long as the model.
 */
public final class Scalars {
    private final NDManager manager;
    private final ConcurrentMap<Float, NDArray> cache = new ConcurrentHashMap<>();
    /** Keyed by array identity (arrays do not override equals). */
    private final ConcurrentMap<float[], NDArray> arrays = new ConcurrentHashMap<>();

    /**
     * @param manager long-lived manager that owns the constants (the model's)
     */
    public Scalars(NDManager manager) {
        this.manager = manager;
    }

    /** The constant {@code v} as a 0-d float32 array owned by this holder's manager. */
    public NDArray of(double v) {
        return cache.computeIfAbsent((float) v, k -> {
            NDArray a = manager.create(k.floatValue());
            a.setName("const");
            return a;
        });
    }

    /**
     * The values as a float32 array of the given shape owned by this holder's manager, created once per Java array
     * (cached by identity: the caller must not modify {@code values} afterwards).
     *
     * @param values the constant's values, row-major
     * @param shape its shape; its size must equal {@code values.length}
     */
    public NDArray array(float[] values, Shape shape) {
        return arrays.computeIfAbsent(values, k -> {
            NDArray a = manager.create(k, shape);
            a.setName("const");
            return a;
        });
    }
}
