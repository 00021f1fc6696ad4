package org.vae4j.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.TestData;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.DataSplits;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.ModelFormatException;
import org.vae4j.io.Npy;
import org.vae4j.model.ArchConfig;
import org.vae4j.util.Engines;

class DigitClassifierTest {
    /** Blobs labelled by their quadrant: 12×12, 600 training and 200 test records. */
    static final DataSplits DATA = TestData.splits(600, 200, 1, 12);
    static final DigitClassifier.Settings SMALL = new DigitClassifier.Settings(ArchConfig.mlp(32), 4, 32, 3e-3);

    @Test
    void learnsTheLabelsDeterministicallyAndSavesAndLoadsExactly(@TempDir Path tmp) throws Exception {
        Engines.setThreads(1);
        ArrayDataset test = DATA.test().materialize();
        int[] steps = new int[1];
        try (DigitClassifier c = DigitClassifier.train(DATA.train(), SMALL, 5, s -> steps[0] = s);
                DigitClassifier again = DigitClassifier.train(DATA.train(), SMALL, 5, null);
                DigitClassifier other = DigitClassifier.train(DATA.train(), SMALL, 6, null)) {
            assertThat(steps[0]).isEqualTo(DigitClassifier.steps(600, SMALL)).isEqualTo(4 * 19);
            assertThat(c.classes()).isEqualTo(4);
            double acc = c.accuracy(test);
            assertThat(acc).isGreaterThanOrEqualTo(0.95);
            int[] p = c.predict(test.data(), test.size());
            assertThat(DigitClassifier.accuracy(p, test.labels())).isEqualTo(acc);
            // the same seed gives the same network; another seed another one
            float[] logits = c.logits(test.data(), 50);
            assertThat(again.logits(test.data(), 50)).containsExactly(logits);
            assertThat(other.logits(test.data(), 50)).isNotEqualTo(logits);
            assertThat(c.features(test.data(), 3)).hasSize(3 * 32);
            assertThat(c.featureWidth()).isEqualTo(32);

            Path dir = tmp.resolve("judge");
            c.save(dir);
            assertThat(DigitClassifier.exists(dir)).isTrue();
            try (DigitClassifier loaded = DigitClassifier.load(dir)) {
                assertThat(loaded.logits(test.data(), 50)).containsExactly(logits);
                assertThat(loaded.meta()).isEqualTo(c.meta());
                assertThat(loaded.meta().dataHash()).isEqualTo(DATA.train().contentHash());
                assertThat(loaded.meta().labelNames()).containsExactly("tl", "tr", "bl", "br");
            }
            assertThat(c.parameters().keySet()).containsExactly("features.fc1.weight", "features.fc1.bias", "logits.out.weight",
                    "logits.out.bias");

            // the label histogram of records read from an .npy file
            Path npy = tmp.resolve("s.npy");
            AtomicFiles.write(npy, os -> {
                os.write(Npy.float32Header(test.size(), 1, 12, 12));
                Npy.writeFloats(os, test.data(), 0, test.data().length);
            });
            LabelShares shares;
            try (Npy.Reader r = Npy.open(npy)) {
                shares = c.classify(r);
            }
            assertThat(shares.n()).isEqualTo(test.size());
            for (int y = 0; y < 4; y++) {
                int label = y;
                assertThat(shares.counts()[y]).isEqualTo(java.util.Arrays.stream(p).filter(v -> v == label).count());
            }
            Path wrong = tmp.resolve("w.npy");
            AtomicFiles.write(wrong, os -> {
                os.write(Npy.float32Header(2, 100));
                Npy.writeFloats(os, new float[200], 0, 200);
            });
            try (Npy.Reader r = Npy.open(wrong)) {
                assertThatThrownBy(() -> c.classify(r)).hasMessageContaining("do not fit a classifier of records shaped [1, 12, 12]");
            }
        }
    }

    @Test
    void aTamperedOrForeignSaveIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("judge");
        try (DigitClassifier c = DigitClassifier.train(DATA.train(), SMALL.withEpochs(1), 1, null)) {
            c.save(dir);
        }
        Path meta = dir.resolve(DigitClassifier.META);
        String json = Files.readString(meta);
        Files.writeString(meta, json.replace("\"classes\": 4", "\"classes\": 5"));
        assertThatThrownBy(() -> DigitClassifier.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("written for a different classifier.json");
        Files.writeString(meta, json.replace("\"classes\": 4", "\"classes\": 4, \"extra\": 1"));
        assertThatThrownBy(() -> DigitClassifier.load(dir)).hasMessageContaining("unknown field 'extra'");
        Files.delete(dir.resolve(DigitClassifier.WEIGHTS));
        assertThatThrownBy(() -> DigitClassifier.load(dir)).hasMessageContaining("not a saved classifier");
        assertThatThrownBy(() -> DigitClassifier.train(new ArrayDataset("x", new float[4], new int[] {4}, null, List.of(),
                java.util.Map.of()), SMALL, 1, null)).hasMessageContaining("needs labelled records");
    }

    @Test
    void aConvClassifierAlsoLearns() {
        DigitClassifier.Settings conv = new DigitClassifier.Settings(ArchConfig.conv(List.of(4, 8), 16), 4, 32, 3e-3);
        try (DigitClassifier c = DigitClassifier.train(DATA.train(), conv, 2, null)) {
            assertThat(c.accuracy(DATA.test())).isGreaterThanOrEqualTo(0.9);
            assertThat(c.parameters().keySet()).contains("features.conv1.weight", "features.conv2.weight", "logits.out.weight");
            assertThat(DigitClassifier.parameterCount(c.meta())).isEqualTo(c.parameters().values().stream().mapToLong(a -> a.size()).sum());
        }
    }

    @Test
    void theYardsticksClassifierTrainsAbout1400StepsWhateverTheDataSize() {
        assertThat(DigitClassifier.Settings.yardstick(60_000).epochs()).isEqualTo(3);
        assertThat(DigitClassifier.Settings.yardstick(100_000).epochs()).isEqualTo(3);
        assertThat(DigitClassifier.Settings.yardstick(20_000).epochs()).isEqualTo(9);
        assertThat(DigitClassifier.Settings.yardstick(8_000).epochs()).isEqualTo(23);
        assertThat(DigitClassifier.Settings.yardstick(300).epochs()).isEqualTo(30);
        assertThat(DigitClassifier.Settings.yardstick(8_000).arch()).isEqualTo(DigitClassifier.Settings.yardstick().arch());
    }

    @Test
    void labelSharesAndEntropy() {
        LabelShares even = new LabelShares(new long[] {5, 5, 5, 5});
        assertThat(even.entropy()).isCloseTo(Math.log(4), within(1e-12));
        assertThat(even.share(2)).isEqualTo(0.25);
        LabelShares one = LabelShares.of(new int[] {1, 1, 1}, 3);
        assertThat(one.entropy()).isZero();
        assertThat(one.counts()).containsExactly(0, 3, 0);
        assertThat(new LabelShares(new long[3]).share(0)).isNaN();
    }
}
