package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.vae4j.data.IdxWriter.gzip;
import static org.vae4j.data.IdxWriter.idx;
import static org.vae4j.data.IdxWriter.images;
import static org.vae4j.data.IdxWriter.labels;
import static org.vae4j.data.IdxWriter.pixels;
import static org.vae4j.data.IdxWriter.write;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    private static float[] expected(byte[] p) {
        float[] f = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            f[i] = (p[i] & 0xff) / 255f;
        }
        return f;
    }

    @Test
    void readsPlainImages() {
        byte[] p = pixels(5 * 3 * 4, 7);
        Path f = write(dir.resolve("img"), images(5, 3, 4, p));
        int[] shape = new int[3];
        float[] px = IdxReader.readImages(f, shape);
        assertThat(shape).containsExactly(5, 3, 4);
        assertThat(px).containsExactly(expected(p));
        assertThat(px[0]).isEqualTo(0f);
        assertThat(px[px.length - 1]).isEqualTo(1f);
    }

    @Test
    void gzipIsDetectedByMagicBytesNotByName() {
        byte[] p = pixels(7 * 2 * 2, 3);
        // gzip content without .gz, plain content with .gz: both must be read correctly
        Path gz = write(dir.resolve("images-no-suffix"), gzip(images(7, 2, 2, p)));
        Path plain = write(dir.resolve("plain.gz"), images(7, 2, 2, p));
        int[] s1 = new int[3];
        int[] s2 = new int[3];
        assertThat(IdxReader.readImages(gz, s1)).containsExactly(expected(p));
        assertThat(IdxReader.readImages(plain, s2)).containsExactly(expected(p));
        assertThat(s1).containsExactly(7, 2, 2).isEqualTo(s2);
    }

    @Test
    void readsLargeGzipImagesSpanningManyChunks() {
        // > 1 MiB so the gzip buffer has to grow several times
        int n = 2000;
        byte[] p = pixels(n * 28 * 28, 5);
        Path f = write(dir.resolve("big.gz"), gzip(images(n, 28, 28, p)));
        int[] shape = new int[3];
        float[] px = IdxReader.readImages(f, shape);
        assertThat(shape).containsExactly(n, 28, 28);
        assertThat(px).hasSize(p.length);
        assertThat(Arrays.equals(px, expected(p))).isTrue();
    }

    @Test
    void readsLabelsPlainAndGzip() {
        byte[] l = {5, 0, 4, 1, 9, (byte) 255};
        assertThat(IdxReader.readLabels(write(dir.resolve("l"), labels(l)))).containsExactly(5, 0, 4, 1, 9, 255);
        assertThat(IdxReader.readLabels(write(dir.resolve("l.gz"), gzip(labels(l))))).containsExactly(5, 0, 4, 1, 9, 255);
    }

    @Test
    void missingFileAndDirectory() {
        Path missing = dir.resolve("nope-idx3-ubyte.gz");
        assertThatThrownBy(() -> IdxReader.readImages(missing, new int[3]))
                .isInstanceOf(DataException.class).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> IdxReader.readLabels(dir))
                .isInstanceOf(DataException.class).hasMessage(dir + ": is a directory, expected an IDX file");
        assertThatThrownBy(() -> IdxReader.readImages(missing, new int[2]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyFileAndTruncatedHeader() {
        Path empty = write(dir.resolve("empty"), new byte[0]);
        assertThatThrownBy(() -> IdxReader.readImages(empty, new int[3]))
                .isInstanceOf(DataException.class).hasMessage(empty + ": empty file, expected an IDX header");
        Path shortMagic = write(dir.resolve("m"), new byte[] {0, 0});
        assertThatThrownBy(() -> IdxReader.readLabels(shortMagic))
                .isInstanceOf(DataException.class).hasMessageContaining("truncated").hasMessageContaining("magic");
        Path shortHeader = write(dir.resolve("h"), Arrays.copyOf(images(1, 1, 1, new byte[1]), 10));
        assertThatThrownBy(() -> IdxReader.readImages(shortHeader, new int[3]))
                .isInstanceOf(DataException.class)
                .hasMessage(shortHeader + ": truncated: file ends inside the 16-byte IDX header");
        Path gzShortHeader = write(dir.resolve("h.gz"), gzip(Arrays.copyOf(labels(new byte[3]), 6)));
        assertThatThrownBy(() -> IdxReader.readLabels(gzShortHeader))
                .isInstanceOf(DataException.class)
                .hasMessage(gzShortHeader + ": truncated: file ends inside the 8-byte IDX header");
    }

    @Test
    void badMagicNumbers() {
        Path labelsFile = write(dir.resolve("labels"), labels(new byte[] {1, 2}));
        assertThatThrownBy(() -> IdxReader.readImages(labelsFile, new int[3]))
                .isInstanceOf(DataException.class)
                .hasMessage(labelsFile + ": bad magic number 0x00000801, expected 0x00000803 "
                        + "(IDX images: unsigned bytes, 3 dimensions); this is an IDX label file");
        Path imagesFile = write(dir.resolve("images"), images(1, 1, 1, new byte[1]));
        assertThatThrownBy(() -> IdxReader.readLabels(imagesFile))
                .isInstanceOf(DataException.class).hasMessageEndingWith("this is an IDX image file");
        Path floats = write(dir.resolve("floats"), idx(0x00000D03, new int[] {1, 1, 1}, new byte[4]));
        assertThatThrownBy(() -> IdxReader.readImages(floats, new int[3]))
                .isInstanceOf(DataException.class).hasMessageContaining("0x00000D03")
                .hasMessageContaining("element type 0x0D is not supported");
        Path png = write(dir.resolve("x.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        assertThatThrownBy(() -> IdxReader.readImages(png, new int[3]))
                .isInstanceOf(DataException.class).hasMessageStartingWith(png + ": bad magic number 0x89504E47")
                .hasMessageEndingWith("not an IDX file");
    }

    @Test
    void truncatedPayloadPlainAndGzip() {
        byte[] full = images(3, 2, 2, pixels(12, 1));
        byte[] cut = Arrays.copyOf(full, full.length - 7);
        Path plain = write(dir.resolve("train-images-idx3-ubyte"), cut);
        Path gz = write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(cut));
        String why = ": truncated: header declares 3 images of 2x2 (12 bytes) but only 5 bytes follow";
        assertThatThrownBy(() -> IdxReader.readImages(plain, new int[3]))
                .isInstanceOf(DataException.class).hasMessage(plain + why);
        assertThatThrownBy(() -> IdxReader.readImages(gz, new int[3]))
                .isInstanceOf(DataException.class).hasMessage(gz + why);
        Path labels = write(dir.resolve("l.gz"), gzip(Arrays.copyOf(labels(new byte[10]), 8 + 4)));
        assertThatThrownBy(() -> IdxReader.readLabels(labels))
                .isInstanceOf(DataException.class)
                .hasMessage(labels + ": truncated: header declares 10 labels (10 bytes) but only 4 bytes follow");
    }

    @Test
    void trailingBytesPlainAndGzip() {
        byte[] full = images(3, 2, 2, pixels(12, 1));
        byte[] longer = Arrays.copyOf(full, full.length + 2);
        Path plain = write(dir.resolve("a"), longer);
        Path gz = write(dir.resolve("b"), gzip(longer));
        String why = ": 2 trailing bytes after the 12 bytes the header declares (3 images of 2x2 (12 bytes))";
        assertThatThrownBy(() -> IdxReader.readImages(plain, new int[3]))
                .isInstanceOf(DataException.class).hasMessage(plain + why);
        assertThatThrownBy(() -> IdxReader.readImages(gz, new int[3]))
                .isInstanceOf(DataException.class).hasMessage(gz + why);
        Path l = write(dir.resolve("l"), Arrays.copyOf(labels(new byte[2]), 8 + 3));
        assertThatThrownBy(() -> IdxReader.readLabels(l))
                .isInstanceOf(DataException.class).hasMessageContaining("1 trailing bytes");
    }

    @Test
    void implausibleDimensions() {
        assertRejected(images(0, 28, 28, new byte[0]), "implausible image count 0 in header (must be 1..100000000)");
        assertRejected(images(100_000_001, 1, 1, new byte[0]), "implausible image count 100000001");
        assertRejected(images(-1, 1, 1, new byte[0]), "implausible image count 4294967295");
        assertRejected(images(1, 4097, 1, new byte[0]), "implausible rows 4097 in header (must be 1..4096)");
        assertRejected(images(1, 1, 0, new byte[0]), "implausible columns 0");
        Path l = write(dir.resolve("l"), idx(IdxReader.LABELS_MAGIC, new int[] {0}, new byte[0]));
        assertThatThrownBy(() -> IdxReader.readLabels(l)).isInstanceOf(DataException.class)
                .hasMessageContaining("implausible label count 0");
    }

    private void assertRejected(byte[] content, String message) {
        for (boolean gz : new boolean[] {false, true}) {
            Path f = write(dir.resolve("f" + (gz ? ".gz" : "")), gz ? gzip(content) : content);
            assertThatThrownBy(() -> IdxReader.readImages(f, new int[3]))
                    .isInstanceOf(DataException.class).hasMessageStartingWith(f + ": ").hasMessageContaining(message);
        }
    }

    /** Bytes allocated by this thread while running {@code body}, which must throw DataException. */
    private static long allocatedWhileFailing(ThrowingCallable body, String messagePart) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        long before = mx.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(body).isInstanceOf(DataException.class).hasMessageContaining(messagePart);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(System.nanoTime() - t0).as("fails fast").isLessThan(2_000_000_000L);
        return allocated;
    }

    @Test
    void absurdDeclaredSizeFailsFastWithoutAllocating() {
        byte[] header = images(100_000_000, 4096, 4096, new byte[0]);
        Path plain = write(dir.resolve("plain"), header);
        Path gz = write(dir.resolve("gz"), gzip(header));
        assertThat(allocatedWhileFailing(() -> IdxReader.readImages(plain, new int[3]),
                "truncated: header declares 100000000 images of 4096x4096 (1677721600000000 bytes) but only 0 bytes follow"))
                .isLessThan(16L << 20);
        assertThat(allocatedWhileFailing(() -> IdxReader.readImages(gz, new int[3]),
                "more than the 2147483639 values a Java array can hold"))
                .isLessThan(16L << 20);
    }

    @Test
    void declaredSizeBeyondHeapBudgetIsRefusedBeforeAllocating() {
        long budget = Runtime.getRuntime().maxMemory() / 2;
        long pixels = budget / Float.BYTES + 1; // one pixel too many
        assumeThat(pixels).as("heap small enough to test the budget").isLessThan(Integer.MAX_VALUE - 8L);
        // n x 1 x 1 images would exceed MAX_COUNT, so spread the pixels over 64x64 images
        int n = (int) (pixels / 4096 + 1);
        Path gz = write(dir.resolve("huge.gz"), gzip(images(n, 64, 64, new byte[0])));
        assertThat(allocatedWhileFailing(() -> IdxReader.readImages(gz, new int[3]), "more than half the maximum heap"))
                .isLessThan(16L << 20);
    }

    @Test
    void lyingGzipHeaderOnlyCostsMemoryProportionalToRealData() {
        // declares 160 MB (640 MB as floats) but holds 100 bytes: must fail as truncated after a small allocation
        byte[] content = images(10_000_000, 4, 4, pixels(100, 9));
        Path gz = write(dir.resolve("liar.gz"), gzip(content));
        assertThat(allocatedWhileFailing(() -> IdxReader.readImages(gz, new int[3]),
                "truncated: header declares 10000000 images of 4x4 (160000000 bytes) but only 100 bytes follow"))
                .isLessThan(32L << 20);
        Path labels = write(dir.resolve("labels.gz"), gzip(idx(IdxReader.LABELS_MAGIC, new int[] {90_000_000}, new byte[5])));
        assertThat(allocatedWhileFailing(() -> IdxReader.readLabels(labels), "but only 5 bytes follow"))
                .isLessThan(32L << 20);
    }

    @Test
    void corruptGzipNamesTheFile() throws Exception {
        byte[] gz = gzip(images(4, 8, 8, pixels(256, 4)));
        // break the CRC-32 in the trailer: the data inflates fine but fails verification at the end
        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 8] ^= 0x55;
        Path f1 = write(dir.resolve("crc.gz"), badCrc);
        assertThatThrownBy(() -> IdxReader.readImages(f1, new int[3]))
                .isInstanceOf(DataException.class).hasMessageStartingWith(f1 + ": corrupt gzip data (");
        // an unknown compression method in the gzip header
        byte[] badMethod = gz.clone();
        badMethod[2] = 7;
        Path f2 = write(dir.resolve("method.gz"), badMethod);
        assertThatThrownBy(() -> IdxReader.readImages(f2, new int[3]))
                .isInstanceOf(DataException.class).hasMessageStartingWith(f2 + ": corrupt gzip data (");
        // garbage deflate stream
        byte[] garbage = gz.clone();
        for (int i = 10; i < garbage.length - 8; i++) {
            garbage[i] = (byte) 0xff;
        }
        Path f3 = write(dir.resolve("garbage.gz"), garbage);
        assertThatThrownBy(() -> IdxReader.readImages(f3, new int[3]))
                .isInstanceOf(DataException.class).hasMessageStartingWith(f3 + ": corrupt gzip data (");
        // compressed stream cut in the middle
        Path f4 = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxReader.readImages(f4, new int[3]))
                .isInstanceOf(DataException.class).hasMessageStartingWith(f4 + ": truncated gzip data (");
        assertThat(Files.exists(f4)).isTrue();
    }

    @Test
    void messagesAreOneLine() {
        Path f = write(dir.resolve("x"), images(3, 2, 2, new byte[1]));
        assertThatThrownBy(() -> IdxReader.readImages(f, new int[3]))
                .isInstanceOf(DataException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
