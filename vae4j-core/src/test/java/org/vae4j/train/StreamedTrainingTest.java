package org.vae4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.data.LoadContext;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.data.MappedImageDataset;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;

/** Training on an image folder streams batches from the mapped cache, and learns exactly what in-memory training does. */
class StreamedTrainingTest {

    @Test
    void streamedTrainingIsBitIdenticalToInMemoryTraining(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("imgs");
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 60; i++) {
            BufferedImage img = new BufferedImage(6, 6, BufferedImage.TYPE_INT_RGB);
            int cx = r.nextInt(6);
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) {
                    int v = Math.abs(x - cx) <= 1 ? 230 : 20 + r.nextInt(20);
                    img.setRGB(x, y, (v << 16) | (v << 8) | v);
                }
            }
            Path f = dir.resolve((i % 2 == 0 ? "even/" : "odd/") + i + ".png");
            Files.createDirectories(f.getParent());
            ImageIO.write(img, "png", f.toFile());
        }
        String spec = "images:" + dir + ",val=0.2,cache-dir=" + tmp.resolve("cache");
        DataSplits streamed = DataSources.load(spec, LoadContext.defaults());
        assertThat(streamed.train()).isInstanceOf(MappedImageDataset.class);
        DataSplits inMemory = new DataSplits(streamed.train().materialize(), streamed.test().materialize());
        assertThat(inMemory.train().contentHash()).isNotEqualTo(streamed.train().contentHash());

        ModelConfig mc = ModelConfig.vae(List.of(1, 6, 6), 3, ArchConfig.mlp(16), "bernoulli", 1.0);
        TrainConfig tc = TrainConfig.defaults().withEpochs(2).withBatchSize(16).withThreads(1).withSeed(9);
        List<EpochMetrics> a = new ArrayList<>();
        List<EpochMetrics> b = new ArrayList<>();
        Map<String, float[]> wa;
        Map<String, float[]> wb;
        Training ta = Training.of(mc, tc).data(streamed, spec).runDirectory(tmp.resolve("run"));
        TrainingTest.collect(ta, a);
        try (VaeModel m = ta.fit()) {
            wa = TrainingTest.weights(m);
        }
        Training tb = Training.of(mc, tc).data(inMemory, spec);
        TrainingTest.collect(tb, b);
        try (VaeModel m = tb.fit()) {
            wb = TrainingTest.weights(m);
        }
        assertThat(a).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(a.get(i).trainLoss()).isEqualTo(b.get(i).trainLoss());
            assertThat(a.get(i).testNegElbo()).isEqualTo(b.get(i).testNegElbo()).isFinite();
        }
        assertThat(a.get(1).trainLoss()).isLessThan(a.get(0).trainLoss());
        wa.forEach((k, v) -> assertThat(wb.get(k)).as(k).containsExactly(v));

        // resume checks the streamed data's hash and continues
        try (VaeModel m = Training.resume(tmp.resolve("run"), DataSources.load(spec, LoadContext.defaults()), 3, null)) {
            assertThat(EpochMetrics.readCsv(tmp.resolve("run").resolve(Training.METRICS))).hasSize(3);
        }
    }
}
