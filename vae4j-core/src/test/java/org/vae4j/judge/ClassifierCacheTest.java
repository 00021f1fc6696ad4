package org.vae4j.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.TestData;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.DataSplits;
import org.vae4j.io.AtomicFiles;
import org.vae4j.model.ArchConfig;
import org.vae4j.util.Engines;

class ClassifierCacheTest {
    static final DataSplits DATA = TestData.splits(400, 100, 1, 12);
    static final DigitClassifier.Settings SMALL = new DigitClassifier.Settings(ArchConfig.mlp(16), 2, 32, 3e-3);

    @Test
    void trainsOnceLoadsAfterwardsAndRebuildsADamagedEntry(@TempDir Path tmp) throws Exception {
        Engines.setThreads(1);
        Path root = tmp.resolve("cache");
        ArrayDataset test = DATA.test().materialize();
        List<String> notices = new ArrayList<>();
        float[] logits;
        Path dir;
        ClassifierCache.Obtained first = ClassifierCache.obtain(root, DATA.train(), SMALL, 1, null, notices::add);
        try (DigitClassifier c = first.classifier()) {
            assertThat(first.trained()).isTrue();
            dir = first.dir();
            assertThat(dir.getParent()).isEqualTo(root);
            assertThat(dir.getFileName().toString()).startsWith("blobs-").hasSize("blobs-".length() + 16);
            assertThat(AtomicFiles.isComplete(dir)).isTrue();
            logits = c.logits(test.data(), 20);
        }
        ClassifierCache.Obtained second = ClassifierCache.obtain(root, DATA.train(), SMALL, 1, null, notices::add);
        try (DigitClassifier c = second.classifier()) {
            assertThat(second.trained()).isFalse();
            assertThat(second.dir()).isEqualTo(dir);
            assertThat(c.logits(test.data(), 20)).containsExactly(logits);
        }
        assertThat(notices).isEmpty();

        // other settings, another seed, other labels: other keys
        assertThat(ClassifierCache.directory(root, DATA.train(), SMALL.withEpochs(3), 1)).isNotEqualTo(dir);
        assertThat(ClassifierCache.directory(root, DATA.train(), SMALL, 2)).isNotEqualTo(dir);
        ArrayDataset train = DATA.train().materialize();
        int[] relabelled = train.labels().clone();
        relabelled[0] = (relabelled[0] + 1) % 4;
        ArrayDataset other = new ArrayDataset("blobs", train.data(), train.shape(), relabelled, train.labelNames(), java.util.Map.of());
        assertThat(ClassifierCache.directory(root, other, SMALL, 1)).isNotEqualTo(dir);

        // damaged weights: one line, trained again, the same network (training is deterministic)
        Path w = dir.resolve(DigitClassifier.WEIGHTS);
        byte[] bytes = Files.readAllBytes(w);
        Files.write(w, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        ClassifierCache.Obtained third = ClassifierCache.obtain(root, DATA.train(), SMALL, 1, null, notices::add);
        try (DigitClassifier c = third.classifier()) {
            assertThat(third.trained()).isTrue();
            assertThat(c.logits(test.data(), 20)).containsExactly(logits);
        }
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0)).startsWith(dir + ": damaged classifier cache (").endsWith("); training it again").doesNotContain("\n");

        // an interrupted write (no completeness marker)
        Files.delete(dir.resolve(AtomicFiles.COMPLETE_MARKER));
        ClassifierCache.Obtained fourth = ClassifierCache.obtain(root, DATA.train(), SMALL, 1, null, notices::add);
        fourth.classifier().close();
        assertThat(fourth.trained()).isTrue();
        assertThat(notices).hasSize(2);
        assertThat(notices.get(1)).contains("no COMPLETE marker");
        assertThat(AtomicFiles.isComplete(dir)).isTrue();
    }
}
