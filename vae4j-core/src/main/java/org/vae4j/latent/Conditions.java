package org.vae4j.latent;

import java.util.Arrays;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;

/**
 * Labels for the latent tools. A conditional model (one with {@link Capability#CONDITIONAL}, the cvae) encodes,
 * decodes and samples given a class label, so every entry point of this package takes labels: one per record where
 * records come in, or one class held fixed along a path or traversal ("within a class"). Unconditional models take
 * none: the label-less overloads pass null.
 */
public final class Conditions {
    private Conditions() {}

    /**
     * {@code n} copies of one label: a class held fixed.
     *
     * @param label the class, 0-based
     * @param n how many
     * @return the labels
     */
    public static int[] fixed(int label, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("need a non-negative count, got " + n);
        }
        int[] out = new int[n];
        Arrays.fill(out, label);
        return out;
    }

    /**
     * Checks labels before an operation: a model that cannot condition refuses any (in one line, naming the operation),
     * a conditional model requires one per record, each within its classes.
     *
     * @param model the model
     * @param labels one per record, or null
     * @param n records
     * @param what the operation, for messages ("interpolation")
     * @return {@code labels}
     * @throws IllegalArgumentException (an {@link org.vae4j.model.UnsupportedCapabilityException} for a model that
     *     takes no label)
     */
    static int[] check(VaeModel model, int[] labels, int n, String what) {
        if (labels == null) {
            if (model.can(Capability.CONDITIONAL)) {
                throw new IllegalArgumentException(what + ": a '" + model.config().model() + "' model is conditional: give a label (0.."
                        + (model.classes() - 1) + ")");
            }
            return null;
        }
        model.require(Capability.CONDITIONAL, what);
        if (labels.length != n) {
            throw new IllegalArgumentException(what + ": expected " + n + " labels, got " + labels.length);
        }
        for (int l : labels) {
            checkLabel(model, l, what);
        }
        return labels;
    }

    /**
     * One label held fixed for {@code n} records, checked as {@link #check} does.
     *
     * @param model the model
     * @param label the class
     * @param n records
     * @param what the operation, for messages
     * @return {@code n} copies of the label
     */
    static int[] fixed(VaeModel model, int label, int n, String what) {
        model.require(Capability.CONDITIONAL, what);
        checkLabel(model, label, what);
        return fixed(label, n);
    }

    private static void checkLabel(VaeModel model, int label, String what) {
        if (label < 0 || label >= model.classes()) {
            throw new IllegalArgumentException(what + ": label " + label + " is out of range: this model knows labels 0.."
                    + (model.classes() - 1));
        }
    }


    /** Labels of the records at {@code index}, or null. */
    static int[] select(int[] labels, int... index) {
        if (labels == null) {
            return null;
        }
        int[] out = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            out[i] = labels[index[i]];
        }
        return out;
    }
}
