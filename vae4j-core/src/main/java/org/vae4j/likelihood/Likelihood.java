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
     * {@link #nll} of K decoder outputs per record, each scored against its own record: the importance-weighted
     * estimators' shape, where every record has K draws of z. The default repeats each record K times; a likelihood
     * may do better (Bernoulli: one matrix-vector product per record instead of a {@code (R·K, D)} copy of x).
     *
     * @param params decoder output {@code (R·K, P, D)}, the K rows of a record consecutive
     * @param x the records {@code (R, ...)}, D values each
     * @param r records
     * @param k draws per record
     * @param s constants
     * @return {@code (R, K)}
     */
    default NDArray nllRepeated(NDArray params, NDArray x, long r, long k, Scalars s) {
        return nllOfCopies(this, params, x, r, k, s);
    }

    /**
     * {@link #nllRepeated} computed by repeating each record K times and calling {@link #nll}: the arithmetic the
     * training objectives have always used. They keep it so that a run started by an earlier release resumes to the
     * same bits; {@link #nllRepeated} may sum in another order (differences of about 1e-7 relative).
     */
    static NDArray nllOfCopies(Likelihood l, NDArray params, NDArray x, long r, long k, Scalars s) {
        long d = params.getShape().get(2);
        NDArray xs = x.reshape(r, 1, d).broadcast(r, k, d).reshape(r * k, d);
        return l.nll(params, xs, s).reshape(r, k);
    }

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
