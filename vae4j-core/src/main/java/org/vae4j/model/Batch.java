package org.vae4j.model;

import ai.djl.ndarray.NDArray;

/**
 * What a model's forward pass receives: the inputs and, where the data are labelled and the model is conditional,
 * the condition (DJL's {@code Batch} carries data and labels the same way).
 *
 * @param x inputs {@code (N, inputShape...)}
 * @param condition one-hot labels {@code (N, classes)}, or null for unconditional models
 */
public record Batch(NDArray x, NDArray condition) {
    /** Validates. */
    public Batch {
        if (x == null) {
            throw new IllegalArgumentException("a batch needs inputs");
        }
        if (condition != null && condition.getShape().get(0) != x.getShape().get(0)) {
            throw new IllegalArgumentException("condition has " + condition.getShape().get(0) + " rows for "
                    + x.getShape().get(0) + " records");
        }
    }

    /** An unconditional batch. */
    public static Batch of(NDArray x) {
        return new Batch(x, null);
    }

    /**
     * The labels of records {@code [start, start + n)}, for the batch holding them, or null when there are none (an
     * unconditional model's data).
     */
    public static int[] labels(int[] labels, int start, int n) {
        return labels == null ? null : java.util.Arrays.copyOfRange(labels, start, start + n);
    }

    /** Records in the batch. */
    public long size() {
        return x.getShape().get(0);
    }
}
