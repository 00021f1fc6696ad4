package org.vae4j.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.TestData;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.DataSplits;
import org.vae4j.generate.PriorSamples;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.ModelFormatException;
import org.vae4j.io.Npy;
import org.vae4j.model.ArchConfig;
import org.vae4j.util.Engines;

/** The yardstick end to end on blobs labelled by quadrant, with a small conv classifier. */
class YardstickTest {
    static final DataSplits DATA = TestData.splits(1200, 600, 1, 12);
    static final DigitClassifier.Settings SMALL = new DigitClassifier.Settings(ArchConfig.conv(List.of(4, 8), 16), 4, 32, 3e-3);
    static DigitClassifier classifier;
    static Yardstick yardstick;

    @BeforeAll
    static void train() {
        Engines.setThreads(1);
        classifier = DigitClassifier.train(DATA.train(), SMALL, 1, null);
        yardstick = Yardstick.of(classifier, DATA.test(), Yardstick.Settings.defaults());
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    @Test
    void theDataItselfScoresNearPerfectAndJunkScoresBadly() {
        ArrayDataset test = DATA.test().materialize();
        // the test images against themselves: FD 0, precision and recall 1, the test split's own histogram
        Judgement self = yardstick.judge(test.data(), test.size(), PriorSamples.Labels.none());
        assertThat(self.fd()).isCloseTo(0, within(1e-6));
        assertThat(self.precision()).isEqualTo(1.0);
        assertThat(self.recall()).isEqualTo(1.0);
        assertThat(self.n()).isEqualTo(600);
        assertThat(self.referenceN()).isEqualTo(600);
        assertThat(self.featureWidth()).isEqualTo(16);
        assertThat(self.classesCovered()).isEqualTo(4);
        assertThat(self.entropy()).isCloseTo(Math.log(4), within(0.05));
        assertThat(Arrays.stream(self.histogram()).sum()).isEqualTo(600);

        // other records of the same kind (the training split): near 0 and near 1
        Judgement train = yardstick.judge(DATA.train(), 600, 7);
        assertThat(train.precision()).isGreaterThan(0.85);
        assertThat(train.recall()).isGreaterThan(0.85);

        // blank images: far away, unrealistic, one class
        Judgement blank = yardstick.judge(new float[600 * 144], 600, PriorSamples.Labels.none());
        assertThat(blank.fd()).isGreaterThan(20 * Math.max(train.fd(), 1e-3));
        assertThat(blank.precision()).isLessThan(0.05);
        assertThat(blank.recall()).isLessThan(0.05);
        assertThat(blank.classesCovered()).isEqualTo(1);
        assertThat(blank.entropy()).isZero();
        assertThat(blank.minShare()).isZero();
        // the precision part alone, for sets too small for a distance (here 2 images)
        assertThat(yardstick.precision(Arrays.copyOf(test.data(), 2 * 144), 2)).isEqualTo(1.0);
        assertThat(yardstick.precision(new float[2 * 144], 2)).isZero();
        assertThat(yardstick.precision(new float[0], 0)).isNaN();

        // a collapsed generator: only top-left blobs (realistic, little variety, one class of four)
        List<Integer> tl = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            if (test.labels()[i] == 0) {
                tl.add(i);
            }
        }
        float[] only = new float[tl.size() * 144];
        for (int i = 0; i < tl.size(); i++) {
            test.copyRecord(tl.get(i), only, i * 144);
        }
        Judgement collapsed = yardstick.judge(only, tl.size(), PriorSamples.Labels.fixed(0));
        assertThat(collapsed.precision()).isEqualTo(1.0);
        assertThat(collapsed.recall()).isLessThan(0.6);
        assertThat(collapsed.fd()).isGreaterThan(train.fd());
        assertThat(collapsed.classesCovered()).isLessThanOrEqualTo(2);
        assertThat(collapsed.rarestLabel()).isNotZero();
        // they were drawn as label 0 and the classifier (about 90% accurate) agrees for most of them
        assertThat(collapsed.hasAskedLabels()).isTrue();
        assertThat(collapsed.askedLabelShare()).isGreaterThan(0.85).isEqualTo(collapsed.shares().share(0));
        assertThat(self.hasAskedLabels()).isFalse();
    }

    @Test
    void anNpyFileAndASampleSourceGiveWhatTheArrayGives(@TempDir Path tmp) throws Exception {
        ArrayDataset test = DATA.test().materialize();
        int n = 500;
        float[] x = Arrays.copyOf(test.data(), n * 144);
        Judgement direct = yardstick.judge(x, n, PriorSamples.Labels.cycle(4));
        // (N, H, W) for one-channel images, in a file read 1,000 at a time
        Path npy = tmp.resolve("s.npy");
        AtomicFiles.write(npy, os -> {
            os.write(Npy.float32Header(n, 12, 12));
            Npy.writeFloats(os, x, 0, x.length);
        });
        Judgement fromFile;
        try (Npy.Reader r = Npy.open(npy)) {
            fromFile = yardstick.judge(npy.toString(), r, PriorSamples.Labels.cycle(4));
        }
        assertThat(fromFile).usingRecursiveComparison().isEqualTo(direct);
        // a source handing out batches of 1,000 (here: one short batch)
        Judgement fromSource = yardstick.judge((count, batch, consumer) -> consumer.accept(0, x.clone(), n), n, PriorSamples.Labels.cycle(4));
        assertThat(fromSource).usingRecursiveComparison().isEqualTo(direct);
        // label i mod 4 was "asked" of sample i: the share carrying it is what chance gives for these records
        assertThat(direct.askedLabelShare()).isBetween(0.1, 0.45);

        Path wrong = tmp.resolve("w.npy");
        AtomicFiles.write(wrong, os -> {
            os.write(Npy.float32Header(10, 13, 12));
            Npy.writeFloats(os, new float[1560], 0, 1560);
        });
        try (Npy.Reader r = Npy.open(wrong)) {
            assertThatThrownBy(() -> yardstick.judge(wrong.toString(), r, PriorSamples.Labels.none()))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessage(wrong + ": samples of shape (10, 13, 12) do not fit the classifier's images; expected (N, 1, 12, 12), "
                            + "(N, 12, 12) or (N, 144)");
        }
        Path big = tmp.resolve("b.npy");
        float[] v = new float[10 * 144];
        v[300] = 2.5f;
        AtomicFiles.write(big, os -> {
            os.write(Npy.float32Header(10, 144));
            Npy.writeFloats(os, v, 0, v.length);
        });
        try (Npy.Reader r = Npy.open(big)) {
            assertThatThrownBy(() -> yardstick.judge(big.toString(), r, PriorSamples.Labels.none()))
                    .hasMessage(big + ": sample 2 holds the value 2.5; the yardstick takes images with values in [0, 1]");
        }
        assertThatThrownBy(() -> yardstick.judge(x, 3, PriorSamples.Labels.none())).hasMessageContaining("more than k = 3");
        assertThat(Files.exists(npy)).isTrue();
    }

    @Test
    void labelSharesCoverage() {
        LabelShares s = new LabelShares(new long[] {50, 30, 17, 3});
        assertThat(s.classesAtLeast(0.03)).isEqualTo(4);
        assertThat(s.classesAtLeast(0.2)).isEqualTo(2);
        assertThat(s.minShare()).isEqualTo(0.03);
        assertThat(s.rarestLabel()).isEqualTo(3);
        assertThat(s.entropy()).isCloseTo(-(0.5 * Math.log(0.5) + 0.3 * Math.log(0.3) + 0.17 * Math.log(0.17) + 0.03 * Math.log(0.03)),
                within(1e-12));
        assertThat(new LabelShares(new long[] {0, 0}).classesAtLeast(0)).isZero();
    }
}
