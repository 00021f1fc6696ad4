package org.vae4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One contiguous float tensor holding every trainable value of a model, handed out as views: each parameter's array
 * is a reshaped slice of {@link #values()}.
 *
 * <p>Why: an optimiser step can then update all weights with one fused native call over one tensor instead of one
 * call (about ten native passes and as many thread-pool rounds) per parameter tensor; for small layers the per-call
 * overhead, not memory traffic, dominated. Writes must go through the flat tensor or a view's indexed
 * {@code set}, never {@code NDArray.set(Buffer)}, which re-points a view at new storage and breaks the sharing.
 */
public final class ParameterArena {
    private final NDArray values;
    private final Map<String, long[]> slots = new LinkedHashMap<>();
    private long next;

    /**
     * @param manager the model's manager, owner of the flat tensor
     * @param size total number of trainable values the model will ask for
     */
    public ParameterArena(NDManager manager, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("a parameter arena needs a positive size, got " + size);
        }
        this.values = manager.zeros(new Shape(size), DataType.FLOAT32);
    }

    /**
     * An initializer that draws values with {@code inner} (so random streams are unchanged) and places them in the
     * next free slice, returning the slice as a view of the parameter's shape.
     *
     * @param name the parameter's name, for {@link #slots()}
     * @param inner the parameter's own initializer
     * @return the placing initializer
     */
    public Initializer placing(String name, Initializer inner) {
        return (manager, shape, dataType) -> {
            if (dataType != DataType.FLOAT32) {
                throw new IllegalArgumentException("parameter " + name + ": only float32 weights are supported, got " + dataType);
            }
            long size = shape.size();
            long start = next;
            if (start + size > values.size()) {
                throw new IllegalStateException("parameter " + name + " of shape " + shape + " does not fit: " + start + " of "
                        + values.size() + " values already used");
            }
            try (NDArray drawn = inner.initialize(manager, shape, dataType)) {
                values.set(range(start, size), drawn.reshape(size));
            }
            next = start + size;
            slots.put(name, new long[] {start, size});
            return values.get(range(start, size)).reshape(shape);
        };
    }

    /** The flat tensor of all values; parameters are views into it. */
    public NDArray values() {
        return values;
    }

    /** Whether every value has been handed out (the analytic size matched the networks). */
    public boolean full() {
        return next == values.size();
    }

    /** Start and length in {@link #values()} of each placed parameter, by name, in placement order. */
    public Map<String, long[]> slots() {
        return slots;
    }

    /** Index of {@code size} values from {@code start} in a 1-D tensor. */
    public static NDIndex range(long start, long size) {
        return new NDIndex("{}:{}", start, start + size);
    }
}
