package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's damaged image folders: a FIFO named {@code x.png} hung the walker even with skip-bad; a JPEG cut at a
 * third of its length decoded without error; BMP decode errors printed Java exception class names; a symbolic link
 * loop was reported as "permission denied".
 */
class DamagedImagesTest {
    @TempDir
    Path tmp;

    final List<String> warnings = new ArrayList<>();

    DataSplits load(Path dir, String options) {
        DatasetDownloader.Listener l = new DatasetDownloader.Listener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };
        return DataSources.load("images:" + dir + options + ",cache-dir=" + tmp.resolve("cache"), new LoadContext(null, false, l));
    }

    Path folderOfThree(String name) {
        Path dir = tmp.resolve(name);
        for (int i = 0; i < 3; i++) {
            ImageFiles.grey(dir.resolve(i + ".png"), "png", 8, 8, 40 * i);
        }
        return dir;
    }

    static void oneLineWithoutJavaNames(Throwable e) {
        assertThat(e.getMessage()).doesNotContain("\n", "Exception", "java.", "javax.", "Error");
    }

    @Test
    void aFifoNamedLikeAnImageIsSkippedAndNamedWithoutSkipBad() throws Exception {
        Path dir = folderOfThree("fifo");
        Path fifo = dir.resolve("x.png");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo unavailable");
        DataSplits s = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> load(dir, ""));
        assertThat(s.train().size() + s.test().size()).isEqualTo(3);
        assertThat(warnings).containsExactly("skipped 1 file named like an image that is not a regular file in " + dir
                + ": x.png (a FIFO (named pipe), not a regular file)");
    }

    @Test
    void aTruncatedJpegIsUnreadable() throws Exception {
        Path dir = folderOfThree("jpeg");
        SplittableRandom r = new SplittableRandom(3);
        Path full = ImageFiles.rgb(tmp.resolve("full.jpg"), "jpg", 64, 64, (x, y) -> r.nextInt(1 << 24));
        byte[] b = Files.readAllBytes(full);
        Path cut = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(b, b.length / 3));
        assertThatThrownBy(() -> load(dir, "")).isInstanceOf(DataException.class)
                .hasMessageStartingWith(cut + ": damaged image data: ")
                .hasMessageEndingWith("(use skip-bad / --skip-bad to leave unreadable images out)")
                .satisfies(DamagedImagesTest::oneLineWithoutJavaNames);
        DataSplits s = load(dir, ",skip-bad");
        assertThat(s.train().size() + s.test().size()).isEqualTo(3);
        assertThat(warnings).hasSize(1).allSatisfy(w -> assertThat(w).contains("cut.jpg (damaged image data: "));
        // the whole file still decodes
        Files.write(cut, b);
        DataSplits all = load(dir, ",size=8");
        assertThat(all.train().size() + all.test().size()).isEqualTo(4);
    }

    @Test
    void damagedBmpsAreDescribedInWords() throws Exception {
        Path src = ImageFiles.rgb(tmp.resolve("full.bmp"), "bmp", 16, 16, (x, y) -> x * 4000 + y);
        byte[] b = Files.readAllBytes(src);
        for (int len : new int[] {20, 40, 60, 100, b.length / 2, b.length - 1}) {
            Path dir = folderOfThree("bmp" + len);
            Path bad = Files.write(dir.resolve("bad.bmp"), Arrays.copyOf(b, len));
            assertThatThrownBy(() -> load(dir, "")).as("BMP cut at %d bytes", len).isInstanceOf(DataException.class)
                    .hasMessageStartingWith(bad + ": ")
                    .satisfies(DamagedImagesTest::oneLineWithoutJavaNames);
        }
        // a header that claims a different size than the data
        byte[] wrong = b.clone();
        wrong[18] = 100; // width 100 for 16 columns of data
        Path dir = folderOfThree("bmpwidth");
        Path bad = Files.write(dir.resolve("bad.bmp"), wrong);
        assertThatThrownBy(() -> load(dir, "")).isInstanceOf(DataException.class).hasMessageStartingWith(bad + ": ")
                .satisfies(DamagedImagesTest::oneLineWithoutJavaNames);
    }

    @Test
    void theDecodersOwnClassNamesNeverShow() {
        assertThat(ImageDecoder.reason(new java.io.EOFException())).isEqualTo("cannot decode: the file ends early (truncated)");
        assertThat(ImageDecoder.reason(new ArrayIndexOutOfBoundsException("Index 7 out of bounds for length 3")))
                .isEqualTo("cannot decode: damaged or unsupported image data");
        assertThat(ImageDecoder.reason(new javax.imageio.IIOException("Unsupported Image Type.")))
                .isEqualTo("cannot decode: unsupported Image Type");
    }

    @Test
    void aSymbolicLinkLoopIsReportedAsALoop() throws Exception {
        Path dir = folderOfThree("loop");
        Path loop = dir.resolve("loop.png");
        Files.createSymbolicLink(loop, loop.getFileName());
        assertThatThrownBy(() -> load(dir, "")).isInstanceOf(DataException.class)
                .hasMessage(loop + ": a symbolic link loop (the link leads back to " + loop
                        + ") (use skip-bad / --skip-bad to leave unreadable images out)");
        Path dangling = dir.resolve("gone.png");
        Files.createSymbolicLink(dangling, dir.resolve("nowhere.png"));
        DataSplits s = load(dir, ",skip-bad");
        assertThat(s.train().size() + s.test().size()).isEqualTo(3);
        assertThat(warnings).containsExactly("skipped 2 unreadable images in " + dir + ": gone.png (a symbolic link to a missing file ("
                + dir.resolve("nowhere.png") + ")); loop.png (a symbolic link loop (the link leads back to " + loop + "))");
        // a link to a good image is an image
        Files.delete(loop);
        Files.delete(dangling);
        Files.createSymbolicLink(dir.resolve("link.png"), dir.resolve("0.png"));
        DataSplits linked = load(dir, "");
        assertThat(linked.train().size() + linked.test().size()).isEqualTo(4);
    }
}
