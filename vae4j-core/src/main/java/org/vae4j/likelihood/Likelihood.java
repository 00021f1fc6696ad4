package org.vae4j.likelihood;

import ai.djl.ndarray.NDArray;
import org.vae4j.nn.Scalars;

/**
 * A decoder likelihood p(x|z). The decoder emits {@link #paramsPerValue()} parameters for every input value,
 * shaped {@code (N, P, D)}; inputs are {@code (N, D)}.
 *
 * <p>Implementations must not combine NDArrays with Java numbers in {@link #nll}: it runs under autograd
 * (see {@link Scalars}).
 */
public interface Likelihood {

    /** The id used in configs and on the command line. */
    String id();

    /** Number of decoder outputs per input value. */
    int paramsPerValue();

    /**
     * Negative log-likelihood per record, summed over values, in nats (for {@code mse}: the sum of squared errors).
     *
     * @param params decoder output {@code (N, P, D)}
     * @param x targets {@code (N, D)}
     * @param s constants
     * @return {@code (N)}
     */
    NDArray nll(NDArray params, NDArray x, Scalars s);

    /**
     * The mean E[x|z] of the decoder distribution, for display and reconstruction.
     *
     * @param params decoder output {@code (N, P, D)}
     * @param s constants
     * @return {@code (N, D)}
     */
    NDArray mean(NDArray params, Scalars s);

    /**
     * The records as the encoder sees them: unchanged, except where a likelihood allows missing values (NaN), which it
     * replaces by neutral values. Must not combine {@code x} with Java numbers (see {@link Scalars}).
     *
     * @param x inputs {@code (N, ...)}
     * @param s constants
     * @return {@code x} or a filled copy of the same shape
     */
    default NDArray encoderInput(NDArray x, Scalars s) {
        return x;
    }

    /** Whether {@link #nll} is a true negative log-density (false for {@code mse}). */
    default boolean isDensity() {
        return true;
    }

    /** Parameter {@code p} of {@code (N, P, D)} as {@code (N, D)}. */
    static NDArray param(NDArray params, int p) {
        long n = params.getShape().get(0);
        long d = params.getShape().get(2);
        if (params.getShape().get(1) == 1) {
            return params.reshape(n, d);
        }
        return params.get(new ai.djl.ndarray.index.NDIndex().addAllDim().addIndices(p));
    }
}
