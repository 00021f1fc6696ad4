package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile files in an image folder: random bytes with image extensions, truncated PNGs and JPEGs, empty files, a
 * PNG header declaring 100000×100000 pixels, a directory named like an image. Without {@code skip-bad} loading must
 * fail with a one-line {@link DataException} naming the first bad file (in sorted order), never any other exception;
 * with it, exactly the bad files are left out and reported.
 */
class ImageFolderPropertiesTest {

    private static Path tmp;
    private static int folders;

    @BeforeContainer
    static void createTempDir() throws IOException {
        tmp = Files.createTempDirectory("vae4j-images-prop");
    }

    @AfterContainer
    static void deleteTempDir() throws IOException {
        ImageFiles.deleteTree(tmp);
    }

    /** One file of a generated folder: its relative name, bytes, and whether it is a readable image. */
    record Item(String name, byte[] bytes, boolean good, boolean directory) {
        @Override
        public String toString() {
            return name + (directory ? "/" : "") + " (" + (bytes == null ? 0 : bytes.length) + " bytes, " + (good ? "good" : "bad") + ")";
        }
    }

    /** A folder: good images and hostile entries, written under fresh names. */
    record Folder(List<Item> items) {}

    static byte[] encode(String format, long seed, int w, int h) {
        SplittableRandom r = new SplittableRandom(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24)); // noise: compressed data spread over the whole file
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException(format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG signature and IHDR chunk (valid CRC) declaring a huge image, with no data. */
    static byte[] hugePngHeader() {
        ByteBuffer b = ByteBuffer.allocate(8 + 25);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        b.putInt(13);
        int typeAt = b.position();
        b.put(new byte[] {'I', 'H', 'D', 'R'});
        b.putInt(100_000).putInt(100_000).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(b.array(), typeAt, 17);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    static int sos(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xda) {
                return i;
            }
        }
        return jpeg.length / 2;
    }

    static Arbitrary<Item> good() {
        return Combinators.combine(Arbitraries.of("png", "jpg", "bmp", "gif"), Arbitraries.longs(), Arbitraries.integers().between(2, 12))
                .as((f, seed, s) -> new Item(f, encode(f, seed, s, s), true, false));
    }

    static Arbitrary<Item> hostile() {
        Arbitrary<String> ext = Arbitraries.of("png", "jpg", "jpeg", "bmp", "gif", "PNG");
        Arbitrary<Item> random = Combinators.combine(ext, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300))
                .as((e, bytes) -> {
                    bytes[0] = 1; // no image format (nor WBMP or TIFF) starts with 0x01
                    return new Item(e, bytes, false, false);
                });
        Arbitrary<Item> empty = ext.map(e -> new Item(e, new byte[0], false, false));
        Arbitrary<Item> truncatedPng = Combinators.combine(Arbitraries.longs(), Arbitraries.doubles().between(0, 0.5))
                .as((seed, frac) -> {
                    byte[] png = encode("png", seed, 16, 16);
                    return new Item("png", java.util.Arrays.copyOf(png, (int) (png.length * frac)), false, false);
                });
        Arbitrary<Item> truncatedJpeg = Combinators.combine(Arbitraries.longs(), Arbitraries.doubles().between(0, 0.99))
                .as((seed, frac) -> {
                    byte[] jpg = encode("jpg", seed, 16, 16);
                    return new Item("jpg", java.util.Arrays.copyOf(jpg, (int) (sos(jpg) * frac)), false, false);
                });
        Arbitrary<Item> huge = Arbitraries.just(new Item("png", hugePngHeader(), false, false));
        Arbitrary<Item> directory = Arbitraries.just(new Item("png", null, false, true));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, random), net.jqwik.api.Tuple.of(1, empty), net.jqwik.api.Tuple.of(2, truncatedPng),
                net.jqwik.api.Tuple.of(2, truncatedJpeg), net.jqwik.api.Tuple.of(1, huge), net.jqwik.api.Tuple.of(1, directory));
    }

    @Provide
    Arbitrary<Folder> folders() {
        return Combinators.combine(good().list().ofMinSize(2).ofMaxSize(4), hostile().list().ofMinSize(0).ofMaxSize(4))
                .as((g, h) -> {
                    List<Item> all = new ArrayList<>(g);
                    all.addAll(h);
                    return new Folder(all);
                });
    }

    /** Writes the folder with shuffled-looking names (index-based, so sorted order mixes good and bad). */
    static Path write(Folder f, TreeMap<String, Item> byName) throws IOException {
        Path dir = tmp.resolve("f" + (folders++));
        Files.createDirectories(dir);
        int i = 0;
        for (Item it : f.items()) {
            String name = String.format("%03d", (i * 7919) % 1000) + "." + it.name();
            i++;
            if (it.directory()) {
                Files.createDirectories(dir.resolve(name));
            } else {
                Files.write(dir.resolve(name), it.bytes());
                byName.put(name, it);
            }
        }
        return dir;
    }

    @Property(tries = 150, shrinking = ShrinkingMode.OFF)
    void badFilesFailNamingTheFirstOrAreSkippedExactly(@ForAll("folders") Folder folder) throws IOException {
        TreeMap<String, Item> byName = new TreeMap<>();
        Path dir = write(folder, byName);
        String firstBad = null;
        List<String> goodNames = new ArrayList<>();
        int bad = 0;
        for (var e : byName.entrySet()) {
            if (e.getValue().good()) {
                goodNames.add(e.getKey());
            } else {
                bad++;
                if (firstBad == null) {
                    firstBad = e.getKey();
                }
            }
        }
        String cache = ",cache-dir=" + tmp.resolve("cache");
        // sizes differ: resize them all
        try {
            DataSplits s = DataSources.load("images:" + dir + ",size=4" + cache, LoadContext.defaults());
            if (firstBad != null) {
                fail("loaded " + folder + " although " + firstBad + " is bad");
            }
            assertThat(s.train().size() + s.test().size()).isEqualTo(goodNames.size());
        } catch (DataException e) {
            assertThat(firstBad).as("unexpected failure: " + e.getMessage()).isNotNull();
            assertThat(e.getMessage()).startsWith(dir.resolve(firstBad) + ": ").doesNotContain("\n");
        }

        List<String> warnings = new ArrayList<>();
        DatasetDownloader.Listener l = new DatasetDownloader.Listener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };
        DataSplits s = DataSources.load("images:" + dir + ",size=4,skip-bad" + cache, new LoadContext(null, false, l));
        List<String> ids = new ArrayList<>();
        for (Dataset ds : List.of(s.train(), s.test())) {
            for (int i = 0; i < ds.size(); i++) {
                ids.add(ds.recordId(i));
            }
        }
        ids.sort(null);
        assertThat(ids).isEqualTo(goodNames);
        if (bad == 0) {
            assertThat(warnings).isEmpty();
        } else {
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).startsWith("skipped " + bad + " unreadable image").contains(firstBad);
        }
    }
}
