package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Reads the real MNIST files when a copy is available; skipped otherwise. */
class MnistFilesTest {

    private static Path findMnist() {
        return Stream.of(System.getenv("VAE4J_MNIST_DIR"), "/work/shared/data/mnist", "../../shared/data/mnist")
                .filter(p -> p != null && !p.isBlank())
                .map(Path::of)
                .filter(p -> Files.isRegularFile(p.resolve(IdxDataset.TRAIN_IMAGES + ".gz")))
                .findFirst()
                .orElse(null);
    }

    @Test
    void loadsRealMnist() {
        Path dir = findMnist();
        assumeTrue(dir != null, "no MNIST copy found (set VAE4J_MNIST_DIR)");
        DataSplits s = IdxDataset.load(dir, "mnist");
        assertThat(s.train().size()).isEqualTo(60_000);
        assertThat(s.test().size()).isEqualTo(10_000);
        assertThat(s.train().shape()).containsExactly(1, 28, 28);
        assertThat(s.train().labels()[0]).isEqualTo(5);
        assertThat(s.test().labels()[0]).isEqualTo(7);
        assertThat(s.train().labelNames()).hasSize(10).startsWith("0").endsWith("9");
        float min = 1;
        float max = 0;
        for (float v : s.train().materialize().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
    }
}
