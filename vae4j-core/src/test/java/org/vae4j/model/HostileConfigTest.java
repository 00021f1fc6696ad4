package org.vae4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.io.ModelFormatException;

/** A config describing an enormous network is refused before anything is allocated for it. */
class HostileConfigTest {
    static final Path FIXTURE = Path.of("src/test/resources/models/v1-mlp-bernoulli");

    @Test
    void hugeConfigBesideSmallWeightsIsRefusedWithoutBuilding(@TempDir Path tmp) throws Exception {
        Files.copy(FIXTURE.resolve("weights.safetensors"), tmp.resolve("weights.safetensors"));
        String json = Files.readString(FIXTURE.resolve("config.json"))
                .replaceFirst("\"inputShape\": \\[\\s*1,\\s*8,\\s*8\\s*\\]", "\"inputShape\": [1, 4096, 4096]")
                .replaceFirst("\"hidden\": \\[\\s*16\\s*\\]", "\"hidden\": [65536]");
        assertThat(json).contains("4096").contains("65536");
        Files.writeString(tmp.resolve("config.json"), json);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> VaeModel.load(tmp)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("weights.safetensors: holds 2294 weights but config.json describes a network of 2199040753670");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5);
    }

    @Test
    void parameterCountMatchesTheBuiltNetworks() {
        for (ModelConfig c : List.of(
                ModelConfig.vae(List.of(1, 28, 28), 20, ArchConfig.mlp(400), "bernoulli", 1),
                ModelConfig.vae(List.of(3, 16, 16), 5, ArchConfig.conv(List.of(4, 8), 32), "gaussian", 1),
                ModelConfig.autoencoder(List.of(12), 2, ArchConfig.mlp(8, 6), "mse"))) {
            try (VaeModel m = VaeModel.create(c, 1)) {
                assertThat(VaeModel.parameterCount(c)).as(c.toString()).isEqualTo(m.parameterCount());
            }
        }
        assertThat(VaeModel.parameterCount(ModelConfig.vae(List.of(1, 28, 28), 20, ArchConfig.mlp(400), "bernoulli", 1))).isEqualTo(652_824);
    }

    @Test
    void creatingAnAbsurdModelIsRefused() {
        ModelConfig huge = ModelConfig.vae(List.of(1, 4096, 4096), 8, ArchConfig.mlp(65536), "bernoulli", 1);
        assertThatThrownBy(() -> VaeModel.create(huge, 1)).hasMessageStartingWith("model too large");
    }
}
