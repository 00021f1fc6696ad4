package org.vae4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.TestData;
import org.vae4j.data.DataSplits;
import org.vae4j.io.SafeTensors;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.DataTransform;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelStore;
import org.vae4j.model.VaeModel;

/**
 * Same seed and one intra-op thread: bit-identical weights.safetensors (every tensor, every bit) and metrics; another
 * seed: different weights. Covers an MLP VAE and a conv VAE with dropout and dynamic binarisation (the paths that
 * draw random numbers during training besides z).
 */
class ReproducibilityTest {
    static final DataSplits DATA = TestData.splits(256, 64, 1, 12);

    static ModelConfig mlp() {
        return ModelConfig.vae(List.of(1, 12, 12), 4, ArchConfig.mlp(48), "bernoulli", 1.0);
    }

    static ModelConfig convWithDropoutAndDynamicBinarization() {
        return ModelConfig.vae(List.of(1, 12, 12), 3, ArchConfig.conv(List.of(4, 8), 24).withDropout(0.2),
                "bernoulli", 1.0).withTransform(new DataTransform("dynamic"));
    }

    static Map<String, SafeTensors.Tensor> train(ModelConfig mc, long seed, Path run) {
        TrainConfig tc = TrainConfig.defaults().withEpochs(2).withBatchSize(32).withThreads(1).withSeed(seed);
        try (VaeModel m = Training.of(mc, tc).data(DATA, "blobs").runDirectory(run).fit()) {
            assertThat(m.parameterCount()).isPositive();
        }
        return SafeTensors.read(run.resolve(ModelStore.WEIGHTS)).tensors();
    }

    /** metrics.csv without the timing columns (seconds, eval_seconds, images_per_s). */
    static List<String> deterministicMetrics(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(Training.METRICS))) {
            String[] f = line.split(",");
            out.add(String.join(",", f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[10], f[11]));
        }
        return out;
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsAndAnotherSeedDifferentOnes(@TempDir Path tmp) throws Exception {
        for (ModelConfig mc : List.of(mlp(), convWithDropoutAndDynamicBinarization())) {
            String name = mc.arch().type();
            Map<String, SafeTensors.Tensor> a = train(mc, 5, tmp.resolve(name + "-a"));
            Map<String, SafeTensors.Tensor> b = train(mc, 5, tmp.resolve(name + "-b"));
            Map<String, SafeTensors.Tensor> c = train(mc, 6, tmp.resolve(name + "-c"));

            assertThat(b.keySet()).as(name).containsExactlyElementsOf(a.keySet());
            for (String k : a.keySet()) {
                // Tensor.equals compares dtype, shape and the data bytes, so this is bit-for-bit
                assertThat(b.get(k)).as("%s %s, same seed", name, k).isEqualTo(a.get(k));
                assertThat(c.get(k)).as("%s %s, other seed", name, k).isNotEqualTo(a.get(k));
            }
            assertThat(Files.readAllBytes(tmp.resolve(name + "-b").resolve(ModelStore.WEIGHTS)))
                    .as("%s weights file bytes", name)
                    .isEqualTo(Files.readAllBytes(tmp.resolve(name + "-a").resolve(ModelStore.WEIGHTS)));
            assertThat(deterministicMetrics(tmp.resolve(name + "-b")))
                    .isEqualTo(deterministicMetrics(tmp.resolve(name + "-a"))).hasSize(3);
            assertThat(deterministicMetrics(tmp.resolve(name + "-c")))
                    .isNotEqualTo(deterministicMetrics(tmp.resolve(name + "-a")));
        }
    }
}
