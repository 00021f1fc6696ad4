package org.vae4j.likelihood;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.nn.Activation;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.vae4j.data.TableSchema;
import org.vae4j.nn.Scalars;

/** The built-in decoder likelihoods. */
public enum LikelihoodKind {
    /** Bernoulli with logits; numerically stable binary cross-entropy. */
    BERNOULLI("bernoulli", "Bernoulli (logits); the standard choice for binary or [0,1] pixels") {
        @Override
        public Likelihood create(double sigma) {
            return new Bernoulli();
        }
    },
    /** Gaussian with a learned mean and log-variance per value. */
    GAUSSIAN("gaussian", "Gaussian with a mean and a variance per pixel (decoder outputs both)") {
        @Override
        public Likelihood create(double sigma) {
            return new Gaussian();
        }
    },
    /** Gaussian with fixed sigma. */
    GAUSSIAN_FIXED("gaussian-fixed", "Gaussian with fixed sigma (--sigma)") {
        @Override
        public Likelihood create(double sigma) {
            return new FixedGaussian(sigma);
        }
    },
    /** Sum of squared errors (not a density). */
    MSE("mse", "sum of squared errors; not a density, so its -ELBO is not a likelihood bound") {
        @Override
        public Likelihood create(double sigma) {
            return new SquaredError();
        }
    },
    /** Continuous Bernoulli with its normaliser. */
    CONTINUOUS_BERNOULLI("continuous-bernoulli", "continuous Bernoulli, the proper density for [0,1] values") {
        @Override
        public Likelihood create(double sigma) {
            return new ContinuousBernoulli();
        }
    },
    /** Per column type of a table: Gaussian, Bernoulli or categorical (see {@link CompositeLikelihood}). */
    COMPOSITE("composite", "tables: Gaussian (learned variance) per continuous column, Bernoulli per binary, categorical per one-hot group") {
        @Override
        public Likelihood create(double sigma) {
            throw new IllegalArgumentException("likelihood composite needs the table schema of its data");
        }

        @Override
        public Likelihood create(double sigma, TableSchema table) {
            if (table == null) {
                return create(sigma);
            }
            return new CompositeLikelihood(table);
        }

        @Override
        public boolean needsTable() {
            return true;
        }
    };

    private final String id;
    private final String description;

    LikelihoodKind(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** Config/CLI id. */
    public String id() {
        return id;
    }

    /** One-line description. */
    public String description() {
        return description;
    }

    /** A likelihood instance; {@code sigma} is used by {@code gaussian-fixed} only. */
    public abstract Likelihood create(double sigma);

    /**
     * A likelihood instance for a model whose data transform has the given table schema.
     *
     * @param sigma used by {@code gaussian-fixed} only
     * @param table the model's table schema, or {@code null}; used by {@link #COMPOSITE} only
     */
    public Likelihood create(double sigma, TableSchema table) {
        return create(sigma);
    }

    /** Whether this likelihood models tables and needs their schema ({@link #COMPOSITE}). */
    public boolean needsTable() {
        return false;
    }

    /** Looks a likelihood up by id. */
    public static LikelihoodKind byId(String id) {
        if (id != null) {
            String k = id.toLowerCase(Locale.ROOT);
            for (LikelihoodKind l : values()) {
                if (l.id.equals(k)) {
                    return l;
                }
            }
        }
        throw new IllegalArgumentException("unknown likelihood '" + id + "'; choose one of "
                + Arrays.stream(values()).map(LikelihoodKind::id).collect(Collectors.joining(", ")));
    }

    /** Shared parts: the id and the number of parameters per value. */
    private abstract static class Base implements Likelihood {
        private final LikelihoodKind kind;
        private final int params;

        Base(LikelihoodKind kind, int params) {
            this.kind = kind;
            this.params = params;
        }

        @Override
        public String id() {
            return kind.id;
        }

        @Override
        public int paramsPerValue() {
            return params;
        }
    }

    /** Likelihoods whose mean is the sigmoid of the first decoder output (data lie in [0,1]). */
    private abstract static class SigmoidMean extends Base {
        SigmoidMean(LikelihoodKind kind, int params) {
            super(kind, params);
        }

        @Override
        public NDArray mean(NDArray params, Scalars s) {
            return Likelihood.param(params, 0).getNDArrayInternal().sigmoid();
        }
    }

    private static final class Bernoulli extends SigmoidMean {
        Bernoulli() {
            super(BERNOULLI, 1);
        }

        @Override
        public NDArray nll(NDArray params, NDArray x, Scalars s) {
            NDArray logits = Likelihood.param(params, 0);
            // -log p = softplus(l) - x*l, stable for any l
            return Activation.softPlus(logits).sub(x.mul(logits)).sum(new int[] {1});
        }

        @Override
        public NDArray nllRepeated(NDArray params, NDArray x, long r, long k, Scalars s) {
            long d = params.getShape().get(2);
            NDArray logits = Likelihood.param(params, 0); // (R·K, D)
            // Σ_j x_j·l_j over a record's K draws is one matrix-vector product with its x: no (R·K, D) copy of x and
            // two element-wise passes fewer over the largest array of an importance-weighted estimate
            NDArray xl = logits.reshape(r, k, d).matMul(x.reshape(r, d, 1)).reshape(r, k);
            return Activation.softPlus(logits).sum(new int[] {1}).reshape(r, k).sub(xl);
        }
    }

    /** Gaussian with learned per-value variance. Mean is squashed to (0,1) because inputs lie in [0,1]. */
    private static final class Gaussian extends SigmoidMean {
        /** log-variance bounds: exp never overflows and sigma stays above ~0.007. */
        static final float MIN_LOGVAR = -10f;
        static final float MAX_LOGVAR = 10f;

        Gaussian() {
            super(GAUSSIAN, 2);
        }

        @Override
        public NDArray nll(NDArray params, NDArray x, Scalars s) {
            NDArray mu = Likelihood.param(params, 0).getNDArrayInternal().sigmoid();
            NDArray logvar = Likelihood.param(params, 1).clip(MIN_LOGVAR, MAX_LOGVAR);
            NDArray sq = x.sub(mu).square().mul(logvar.neg().exp());
            return sq.add(logvar).add(s.of(Math.log(2 * Math.PI))).mul(s.of(0.5)).sum(new int[] {1});
        }
    }

    private static final class FixedGaussian extends SigmoidMean {
        private final double sigma;

        FixedGaussian(double sigma) {
            super(GAUSSIAN_FIXED, 1);
            this.sigma = sigma;
        }

        @Override
        public NDArray nll(NDArray params, NDArray x, Scalars s) {
            NDArray mu = Likelihood.param(params, 0).getNDArrayInternal().sigmoid();
            long d = x.getShape().get(1);
            double perValue = Math.log(sigma) + 0.5 * Math.log(2 * Math.PI);
            return x.sub(mu).square().sum(new int[] {1}).mul(s.of(1.0 / (2 * sigma * sigma))).add(s.of(d * perValue));
        }
    }

    private static final class SquaredError extends SigmoidMean {
        SquaredError() {
            super(MSE, 1);
        }

        @Override
        public NDArray nll(NDArray params, NDArray x, Scalars s) {
            NDArray mu = Likelihood.param(params, 0).getNDArrayInternal().sigmoid();
            return x.sub(mu).square().sum(new int[] {1});
        }

        @Override
        public boolean isDensity() {
            return false;
        }
    }

    /**
     * Continuous Bernoulli (Loaiza-Ganem &amp; Cunningham 2019) in logits l: log p(x) = x·l − softplus(l) + log C(l)
     * with C(l) = l / tanh(l/2) (even in l, C(0) = 2).
     */
    private static final class ContinuousBernoulli extends Base {
        /** Below this |l| the Taylor expansion log 2 + l²/12 replaces the exact, 0/0-prone formula. */
        private static final double EPS = 1e-2;

        ContinuousBernoulli() {
            super(CONTINUOUS_BERNOULLI, 1);
        }

        @Override
        public NDArray nll(NDArray params, NDArray x, Scalars s) {
            NDArray l = Likelihood.param(params, 0);
            NDArray logC = logNormaliser(l, s);
            NDArray logp = x.mul(l).sub(Activation.softPlus(l)).add(logC);
            return logp.sum(new int[] {1}).neg();
        }

        static NDArray logNormaliser(NDArray l, Scalars s) {
            NDArray a = l.abs();
            // the exact branch is evaluated on a value kept away from 0 so neither branch yields NaN gradients
            NDArray safe = a.maximum(s.of(EPS));
            NDArray exact = safe.log().sub(safe.div(s.of(2)).tanh().log());
            NDArray taylor = a.square().div(s.of(12)).add(s.of(Math.log(2)));
            return NDArrays.where(a.lt(s.of(EPS)), taylor, exact);
        }

        @Override
        public NDArray mean(NDArray params, Scalars s) {
            NDArray l = Likelihood.param(params, 0);
            NDArray a = l.abs();
            NDArray sign = NDArrays.where(l.lt(s.of(0)), s.of(-1).broadcast(l.getShape()), s.of(1).broadcast(l.getShape()));
            NDArray safeL = a.maximum(s.of(EPS)).mul(sign);
            // E[x] = sigmoid(l)/tanh(l/2) - 1/l, which tends to 1/2 + l/12 at 0
            NDArray exact = safeL.getNDArrayInternal().sigmoid().div(safeL.div(s.of(2)).tanh()).sub(s.of(1).div(safeL));
            NDArray taylor = l.div(s.of(12)).add(s.of(0.5));
            return NDArrays.where(a.lt(s.of(EPS)), taylor, exact);
        }
    }
}
