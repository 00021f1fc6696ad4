package org.vae4j.model.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.nn.Scalars;
import org.vae4j.train.Inputs;
import org.vae4j.train.TrainConfig;

class VaeVariantTest {
    /** Closed-form KL(N(μ,σ²) ‖ N(0,1)) against a Monte Carlo estimate of E_q[log q − log p]. */
    @Test
    void closedFormKlMatchesMonteCarlo() {
        try (NDManager m = NDManager.newBaseManager()) {
            Scalars s = new Scalars(m);
            double mu = 0.7;
            double logvar = -0.9;
            float kl = VaeVariant.klPerDimension(m.create(new float[] {(float) mu}), m.create(new float[] {(float) logvar}), s).getFloat(0);
            SplittableRandom r = new SplittableRandom(3);
            double sigma = Math.exp(0.5 * logvar);
            double acc = 0;
            int n = 400_000;
            for (int i = 0; i < n; i++) {
                double eps = VaeModel.Gaussian.next(r);
                double z = mu + sigma * eps;
                acc += (-0.5 * eps * eps - Math.log(sigma)) - (-0.5 * z * z);
            }
            assertThat((double) kl).isCloseTo(acc / n, within(0.01));
            assertThat((double) kl).isCloseTo(0.5 * (mu * mu + Math.exp(logvar) - logvar - 1), within(1e-6));
        }
    }

    /** With free bits λ above every dimension's KL, the penalty is β·L·λ whatever the KL. */
    @Test
    void freeBitsFloorThePenaltyPerDimension() {
        ModelConfig mc = ModelConfig.vae(List.of(4), 3, ArchConfig.mlp(8), "bernoulli", 2.0);
        try (VaeModel model = VaeModel.create(mc, 1); NDManager sub = model.manager().newSubManager()) {
            NDArray x = sub.create(new float[] {0, 1, 1, 0, 1, 0, 0, 1}, new Shape(2, 4));
            ai.djl.engine.Engine.getInstance().setRandomSeed(9);
            ModelOutput plain = model.forward(x, false, new Objective(2.0, 0));
            ai.djl.engine.Engine.getInstance().setRandomSeed(9);
            ModelOutput floored = model.forward(x, false, new Objective(2.0, 50.0));
            double recon = plain.recon().mean().getFloat();
            double kl = plain.kl().mean().getFloat();
            assertThat((double) plain.loss().getFloat()).isCloseTo(recon + 2.0 * kl, within(1e-3));
            assertThat((double) floored.loss().getFloat()).isCloseTo(recon + 2.0 * 3 * 50.0, within(1e-2));
        }
    }

    @Test
    void warmupRisesLinearlyToOne() {
        TrainConfig c = TrainConfig.defaults().withRegularisation(4, 0, 0);
        assertThat(c.warmupFactor(1)).isEqualTo(0.25);
        assertThat(c.warmupFactor(2)).isEqualTo(0.5);
        assertThat(c.warmupFactor(4)).isEqualTo(1.0);
        assertThat(c.warmupFactor(9)).isEqualTo(1.0);
        assertThat(TrainConfig.defaults().warmupFactor(1)).isEqualTo(1.0);
    }

    @Test
    void binarisationIsBernoulliAndTheTestSplitIsFixed() {
        float[] v = new float[100_000];
        java.util.Arrays.fill(v, 0.3f);
        float[] b = Inputs.bernoulli(v, 1);
        double mean = 0;
        for (float f : b) {
            assertThat(f == 0f || f == 1f).isTrue();
            mean += f / b.length;
        }
        assertThat(mean).isCloseTo(0.3, within(0.01));
        org.vae4j.model.DataTransform dyn = new org.vae4j.model.DataTransform("dynamic");
        assertThat(Inputs.forEvaluation(v, dyn)).containsExactly(Inputs.forEvaluation(v, dyn));
        assertThat(Inputs.forEvaluation(v, org.vae4j.model.DataTransform.NONE)).isSameAs(v);
    }
}
