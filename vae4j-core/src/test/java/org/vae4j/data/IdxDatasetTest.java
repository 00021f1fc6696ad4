package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vae4j.data.IdxWriter.images;
import static org.vae4j.data.IdxWriter.labels;
import static org.vae4j.data.IdxWriter.pixels;
import static org.vae4j.data.IdxWriter.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {

    @TempDir
    Path dir;

    @Test
    void loadsMixedPlainAndGzipFiles() {
        IdxWriter.writeDataset(dir, 12, 5, 6, 4, 10);
        DataSplits s = IdxDataset.load(dir, "digits");
        assertThat(s.train().name()).isEqualTo("digits");
        assertThat(s.train().size()).isEqualTo(12);
        assertThat(s.test().size()).isEqualTo(5);
        assertThat(s.train().shape()).containsExactly(1, 6, 4);
        assertThat(s.test().shape()).containsExactly(1, 6, 4);
        assertThat(s.train().labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1);
        assertThat(s.test().labels()).containsExactly(1, 2, 3, 4, 5);
        assertThat(s.train().labelNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        byte[] p = pixels(12 * 24, 1);
        assertThat(s.train().record(1)[0]).isEqualTo((p[24] & 0xff) / 255f);
        assertThat(s.train().factors()).isEmpty();
    }

    @Test
    void labelNamesCoverTheLargestLabelOrAreGiven() {
        IdxWriter.writeDataset(dir, 6, 3, 2, 2, 3);
        assertThat(IdxDataset.load(dir, "x").train().labelNames()).containsExactly("0", "1", "2");
        assertThat(IdxDataset.load(dir, "x", List.of("a", "b", "c", "d")).test().labelNames())
                .containsExactly("a", "b", "c", "d");
        assertThatThrownBy(() -> IdxDataset.load(dir, "x", List.of("a", "b")))
                .isInstanceOf(DataException.class).hasMessage(dir + ": label 2 found but only 2 label names are known");
    }

    @Test
    void prefersUncompressedFileWhenBothExist() {
        IdxWriter.writeDataset(dir, 4, 2, 2, 2, 2);
        // a different, valid plain train-images file next to the .gz one
        write(dir.resolve(IdxDataset.TRAIN_IMAGES), images(4, 2, 2, new byte[16]));
        assertThat(IdxDataset.load(dir, "x").train().materialize().data()).containsOnly(0f);
    }

    @Test
    void countMismatchNamesBothFiles() {
        IdxWriter.writeDataset(dir, 4, 2, 2, 2, 2);
        write(dir.resolve(IdxDataset.TRAIN_LABELS), labels(new byte[3]));
        assertThatThrownBy(() -> IdxDataset.load(dir, "x"))
                .isInstanceOf(DataException.class)
                .hasMessage(dir.resolve(IdxDataset.TRAIN_IMAGES + ".gz") + ": has 4 images but "
                        + IdxDataset.TRAIN_LABELS + " has 3 labels");
    }

    @Test
    void trainAndTestImageSizesMustAgree() {
        IdxWriter.writeDataset(dir, 4, 2, 2, 2, 2);
        write(dir.resolve(IdxDataset.TEST_IMAGES), images(2, 3, 2, pixels(12, 0)));
        assertThatThrownBy(() -> IdxDataset.load(dir, "x"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("images are 2x2 but " + IdxDataset.TEST_IMAGES + " has 3x2");
    }

    @Test
    void missingFileOrDirectory() throws Exception {
        IdxWriter.writeDataset(dir, 4, 2, 2, 2, 2);
        Files.delete(dir.resolve(IdxDataset.TEST_LABELS + ".gz"));
        assertThatThrownBy(() -> IdxDataset.load(dir, "x"))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir + ": missing t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz)");
        Path nowhere = dir.resolve("nowhere");
        assertThatThrownBy(() -> IdxDataset.load(nowhere, "x"))
                .isInstanceOf(DataException.class).hasMessageStartingWith(nowhere + ": no such directory");
    }

    @Test
    void badFileInsideDirectoryIsReportedByName() {
        IdxWriter.writeDataset(dir, 4, 2, 2, 2, 2);
        Path bad = write(dir.resolve(IdxDataset.TEST_IMAGES), new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> IdxDataset.load(dir, "x"))
                .isInstanceOf(DataException.class).hasMessageStartingWith(bad + ": bad magic number");
    }
}
