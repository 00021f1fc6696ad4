package org.vae4j.cli;

import org.vae4j.model.VaeModel;
import org.vae4j.util.ThreadChoice;
import picocli.CommandLine.Option;

/** {@code --threads auto|N}. */
final class ThreadOptions {
    @Option(names = "--threads", paramLabel = "auto|N", defaultValue = "auto",
            description = {"PyTorch intra-op threads: auto (default) chooses by the work per step and the free cores "
                    + "(one thread for small models); N fixes the count (1 gives bit-identical runs; 0: all cores)."})
    String threads;

    /** The count given, or null for {@code auto}; invalid values are refused (exit 2). */
    Integer given() {
        return ThreadChoice.parse(threads);
    }

    /**
     * Applies a count before the work is known: the one given, or for {@code auto} as many as the free cores allow
     * (the commands that know their model refine it with {@link #apply(VaeModel, int)}).
     */
    ThreadChoice apply() {
        Integer n = given();
        ThreadChoice c = n != null ? ThreadChoice.fixed(n) : ThreadChoice.auto(Double.MAX_VALUE);
        c.apply();
        return c;
    }

    /** Applies the count given, or for {@code auto} the one that suits forward passes of {@code batch} records of {@code m}. */
    ThreadChoice apply(VaeModel m, int batch) {
        Integer n = given();
        ThreadChoice c = n != null ? ThreadChoice.fixed(n) : ThreadChoice.auto(ThreadChoice.inferenceFlops(m.parameterCount(), batch));
        c.apply();
        return c;
    }

    /** The count for training {@code parameters} weights on batches of {@code batch} records (not yet applied). */
    ThreadChoice forTraining(long parameters, int batch) {
        Integer n = given();
        return n != null ? ThreadChoice.fixed(n) : ThreadChoice.auto(ThreadChoice.trainingFlops(parameters, batch));
    }
}
