package org.vae4j.lectures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.model.Capability;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelVariant;

/** The two lecture models come from the registry with the capabilities the measurements use, and differ only in the KL term. */
class LectureModelsTest {

    @Test
    void theModelWithAPosteriorAndTheBaselineAreRegisteredWithWhatTheLecturesUse() {
        ModelVariant vae = LectureModels.withPosterior();
        ModelVariant ae = LectureModels.plainAutoencoder();
        assertThat(vae.name()).isEqualTo(LectureModels.WITH_POSTERIOR);
        assertThat(ae.name()).isEqualTo(LectureModels.PLAIN_AUTOENCODER);
        assertThat(vae.capabilities()).containsAll(LectureModels.POSTERIOR_NEEDS).doesNotContain(Capability.CONDITIONAL);
        assertThat(ae.capabilities()).containsAll(LectureModels.BASELINE_NEEDS).doesNotContain(Capability.POSTERIOR);
    }

    @Test
    void theTwoDModelsShareNetworksAndLikelihoodAndTheSweepVariesOnlyBeta() {
        List<Integer> shape = List.of(1, 16, 16);
        ModelConfig ae = LectureModels.autoencoder2d(shape, List.of(32, 16));
        ModelConfig vae = LectureModels.vae2d(shape, List.of(32, 16));
        assertThat(ae.variant().variational()).isFalse();
        assertThat(vae.variant().variational()).isTrue();
        assertThat(ae.withModel(vae.model(), null)).isEqualTo(vae);
        assertThat(vae.latent()).isEqualTo(2);
        assertThat(vae.likelihood()).isEqualTo(LectureModels.LIKELIHOOD);
        ModelConfig b = LectureModels.betaVae(shape, 10, List.of(32), 4);
        assertThat(b.model()).isEqualTo(LectureModels.WITH_POSTERIOR);
        assertThat(b.beta()).isEqualTo(4);
        assertThat(b.latent()).isEqualTo(10);
        // the same configurations as before the lecture models were named in one place
        assertThat(vae).isEqualTo(ModelConfig.vae(shape, 2, org.vae4j.model.ArchConfig.mlp(32, 16), "bernoulli", 1.0));
        assertThat(ae).isEqualTo(ModelConfig.autoencoder(shape, 2, org.vae4j.model.ArchConfig.mlp(32, 16), "bernoulli"));
    }
}
