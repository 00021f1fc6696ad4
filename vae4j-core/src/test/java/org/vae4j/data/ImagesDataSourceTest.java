package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesDataSourceTest {

    private static final float STEP = 1f / 255f;

    @TempDir
    Path tmp;

    private Path cache() {
        return tmp.resolve("cache");
    }

    private DataSplits load(Path dir, String options) {
        return DataSources.load("images:" + dir + options + ",cache-dir=" + cache(), LoadContext.defaults());
    }

    private static List<String> ids(Dataset ds) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            l.add(ds.recordId(i));
        }
        return l;
    }

    /** Every record of both splits, keyed by id. */
    private static java.util.Map<String, float[]> byId(DataSplits s) {
        java.util.Map<String, float[]> m = new java.util.TreeMap<>();
        for (Dataset ds : List.of(s.train(), s.test())) {
            for (int i = 0; i < ds.size(); i++) {
                m.put(ds.recordId(i), ds.record(i));
            }
        }
        return m;
    }

    private static void assertAll(float[] values, float expected, float tol) {
        assertThat(values).isNotEmpty();
        for (float v : values) {
            assertThat(v).isCloseTo(expected, within(tol));
        }
    }

    @Test
    void solidGreyAndColourValuesInEveryFormat() {
        Path dir = tmp.resolve("solid");
        for (String f : List.of("png", "bmp", "gif", "jpg")) {
            ImageFiles.grey(dir.resolve("grey." + f), f, 6, 4, 100);
            ImageFiles.solid(dir.resolve("colour." + f), f, 6, 4, 10, 200, 30);
        }
        java.util.Map<String, float[]> grey = byId(load(dir, ",channels=1"));
        java.util.Map<String, float[]> rgb = byId(load(dir, ",channels=3"));
        assertThat(grey).hasSize(8);
        double lum = (0.299 * 10 + 0.587 * 200 + 0.114 * 30) / 255;
        for (String f : List.of("png", "bmp", "gif", "jpg")) {
            // JPEG is lossy, and GIF stores a palette; the lossless formats must be exact to one grey level
            float tol = f.equals("jpg") ? 3 * STEP : STEP;
            assertThat(grey.get("grey." + f)).hasSize(24);
            assertAll(grey.get("grey." + f), 100 / 255f, tol);
            assertAll(grey.get("colour." + f), (float) lum, tol);
            float[] c = rgb.get("colour." + f);
            assertThat(c).hasSize(72);
            for (int k = 0; k < 24; k++) {
                assertThat(c[k]).isCloseTo(10 / 255f, within(tol));
                assertThat(c[24 + k]).isCloseTo(200 / 255f, within(tol));
                assertThat(c[48 + k]).isCloseTo(30 / 255f, within(tol));
            }
            // a grey image in RGB repeats its value in all three planes
            assertAll(rgb.get("grey." + f), 100 / 255f, tol);
        }
        assertThat(grey.get("grey.png")[0]).isEqualTo(100 / 255f);
    }

    @Test
    void areaAveragingCheckerAndCrop() {
        Path dir = tmp.resolve("checker");
        ImageFiles.rgb(dir.resolve("a.png"), "png", 2, 2, (x, y) -> (x + y) % 2 == 0 ? 0xffffff : 0);
        // 4x2: black outer columns, white middle: the centre crop is all white, squashing averages to 1/2
        ImageFiles.rgb(dir.resolve("b.png"), "png", 4, 2, (x, y) -> x == 1 || x == 2 ? 0xffffff : 0);
        java.util.Map<String, float[]> squash = byId(load(dir, ",size=1"));
        assertThat(squash.get("a.png")).containsExactly(128 / 255f);
        assertThat(squash.get("b.png")).containsExactly(128 / 255f);
        java.util.Map<String, float[]> crop = byId(load(dir, ",size=1,crop=center"));
        assertThat(crop.get("a.png")).containsExactly(128 / 255f);
        assertThat(crop.get("b.png")).containsExactly(1f);
        // a 3x3 image to 2x2: the centre pixel is shared by all four outputs with weight 1/4 of its area each
        float[] src = {0, 0, 0, 0, 90, 0, 0, 0, 0};
        assertThat(ImageDecoder.resize(src, 3, 3, 2, 2)).containsExactly(10f, 10f, 10f, 10f);
        // upscaling repeats pixels
        assertThat(ImageDecoder.resize(new float[] {1, 3}, 2, 1, 4, 1)).containsExactly(1f, 1f, 3f, 3f);
    }

    @Test
    void labelsFromFirstLevelFoldersSortedAndIdsAreRelativePaths() {
        Path dir = tmp.resolve("labelled");
        ImageFiles.grey(dir.resolve("zebra/1.png"), "png", 3, 3, 10);
        ImageFiles.grey(dir.resolve("zebra/deep/2.png"), "png", 3, 3, 20);
        ImageFiles.grey(dir.resolve("ant/3.bmp"), "bmp", 3, 3, 30);
        ImageFiles.grey(dir.resolve("ant/4.PNG"), "png", 3, 3, 40);
        ImageFiles.grey(dir.resolve(".hidden/5.png"), "png", 3, 3, 50);
        DataSplits s = load(dir, ",val=0.5");
        assertThat(s.train().labelNames()).containsExactly("ant", "zebra");
        assertThat(s.train().name()).isEqualTo("images:labelled");
        assertThat(s.train().shape()).containsExactly(1, 3, 3);
        Set<String> all = new HashSet<>();
        for (Dataset ds : List.of(s.train(), s.test())) {
            for (int i = 0; i < ds.size(); i++) {
                String id = ds.recordId(i);
                all.add(id);
                assertThat(ds.labelNames().get(ds.labels()[i])).isEqualTo(id.substring(0, id.indexOf('/')));
                float expected = switch (id) {
                    case "zebra/1.png" -> 10;
                    case "zebra/deep/2.png" -> 20;
                    case "ant/3.bmp" -> 30;
                    default -> 40;
                } / 255f;
                assertThat(ds.record(i)[4]).isEqualTo(expected);
            }
        }
        assertThat(all).containsExactlyInAnyOrder("zebra/1.png", "zebra/deep/2.png", "ant/3.bmp", "ant/4.PNG");
    }

    @Test
    void flatFolderHasNoLabelsAndMixedFolderIsRejected() {
        Path dir = tmp.resolve("flat");
        ImageFiles.grey(dir.resolve("1.png"), "png", 3, 3, 10);
        ImageFiles.grey(dir.resolve("2.png"), "png", 3, 3, 20);
        DataSplits s = load(dir, "");
        assertThat(s.train().hasLabels()).isFalse();
        assertThat(s.train().labelNames()).isEmpty();
        ImageFiles.grey(dir.resolve("cats/3.png"), "png", 3, 3, 20);
        assertThatThrownBy(() -> load(dir, "")).isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir.resolve("1.png").toString())
                .hasMessageContaining("both directly in");
    }

    @Test
    void mixedSizesNeedSize() {
        Path dir = tmp.resolve("sizes");
        ImageFiles.grey(dir.resolve("a.png"), "png", 8, 8, 10);
        ImageFiles.grey(dir.resolve("b.jpg"), "jpg", 16, 12, 10);
        ImageFiles.grey(dir.resolve("c.gif"), "gif", 5, 9, 10);
        assertThatThrownBy(() -> load(dir, "")).isInstanceOf(DataException.class)
                .hasMessage(dir.resolve("b.jpg") + ": image is 16x12 but " + dir.resolve("a.png")
                        + " is 8x8; give size=S (--image-size S) to resize them all");
        DataSplits s = load(dir, ",size=4");
        assertThat(s.train().shape()).containsExactly(1, 4, 4);
        assertThat(s.train().size() + s.test().size()).isEqualTo(3);
    }

    @Test
    void heldOutSplitIsSeededAndDisjoint() {
        Path dir = tmp.resolve("split");
        for (int i = 0; i < 20; i++) {
            ImageFiles.grey(dir.resolve(String.format("%02d.png", i)), "png", 2, 2, i * 10);
        }
        DataSplits a = load(dir, ",val=0.25,seed=4");
        DataSplits b = load(dir, ",val=0.25,seed=4");
        DataSplits c = load(dir, ",val=0.25,seed=5");
        assertThat(a.test().size()).isEqualTo(5);
        assertThat(a.train().size()).isEqualTo(15);
        assertThat(ids(a.test())).isEqualTo(ids(b.test()));
        assertThat(ids(a.test())).isNotEqualTo(ids(c.test()));
        Set<String> union = new HashSet<>(ids(a.train()));
        union.addAll(ids(a.test()));
        assertThat(union).hasSize(20);
        assertThat(a.train().contentHash()).isEqualTo(b.train().contentHash()).isNotEqualTo(c.train().contentHash())
                .isNotEqualTo(a.test().contentHash()).hasSize(64);
        // default: 10% held out
        assertThat(load(dir, "").test().size()).isEqualTo(2);
    }

    @Test
    void cacheIsReusedAndRebuiltWhenAFileChanges() throws IOException {
        Path dir = tmp.resolve("cached");
        for (int i = 0; i < 6; i++) {
            ImageFiles.grey(dir.resolve(i + ".png"), "png", 4, 4, 40 * i);
        }
        long d0 = ImageFolder.DECODES.get();
        DataSplits first = load(dir, ",channels=3");
        assertThat(ImageFolder.DECODES.get() - d0).isEqualTo(6);
        long d1 = ImageFolder.DECODES.get();
        DataSplits again = load(dir, ",channels=3");
        assertThat(ImageFolder.DECODES.get()).isEqualTo(d1);
        assertThat(byId(again)).usingRecursiveComparison().isEqualTo(byId(first));
        assertThat(again.train().contentHash()).isEqualTo(first.train().contentHash());
        try (Stream<Path> s = Files.list(cache())) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".bin"))).hasSize(1);
        }

        // other options: another cache; then change one file's pixels (and its time stamp)
        load(dir, ",channels=1");
        ImageFiles.grey(dir.resolve("2.png"), "png", 4, 4, 7);
        Files.setLastModifiedTime(dir.resolve("2.png"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        long d2 = ImageFolder.DECODES.get();
        DataSplits changed = load(dir, ",channels=3");
        assertThat(ImageFolder.DECODES.get() - d2).isEqualTo(6);
        assertAll(byId(changed).get("2.png"), 7 / 255f, 0f);
        assertThat(changed.train().contentHash().equals(first.train().contentHash())
                && changed.test().contentHash().equals(first.test().contentHash())).isFalse();
        try (Stream<Path> s = Files.list(cache())) {
            // the stale cache of the old file list was removed; the folder's caches hold one per option set
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".bin"))).hasSize(1);
        }
    }

    @Test
    void mappedRecordsEqualTheInMemoryCopyAcrossSegments() {
        Path dir = tmp.resolve("mapped");
        for (int i = 0; i < 30; i++) {
            int k = i;
            ImageFiles.rgb(dir.resolve((i % 3 == 0 ? "a/" : "b/") + i + ".png"), "png", 5, 3,
                    (x, y) -> ((k * 7 + x * 31) % 256 << 16) | ((y * 50 + k) % 256 << 8) | (x * y * 20 % 256));
        }
        DataSplits s = load(dir, ",channels=3,val=0.2");
        MappedImageDataset train = (MappedImageDataset) s.train();
        ArrayDataset mem = train.materialize();
        assertThat(mem.size()).isEqualTo(24);
        assertThat(mem.labels()).containsExactly(train.labels());
        assertThat(ids(mem)).isEqualTo(ids(train));
        // the same cache mapped in segments of 2 records (45 bytes each) reads the same values
        int[] rows = IntStream.range(0, train.cache().count()).toArray();
        MappedImageDataset all = (MappedImageDataset) s.train();
        MappedImageDataset small = new MappedImageDataset("x", ImageCache.map(all.cacheFile(), all.cache().meta(), 100),
                rows, null, List.of(), java.util.Collections.nCopies(rows.length, "id"));
        MappedImageDataset big = new MappedImageDataset("x", all.cache(), rows, null, List.of(),
                java.util.Collections.nCopies(rows.length, "id"));
        for (int i = 0; i < rows.length; i++) {
            assertThat(small.record(i)).containsExactly(big.record(i));
        }
        int[] pick = {5, 0, 5, 23};
        Dataset sub = train.subset(pick);
        for (int j = 0; j < pick.length; j++) {
            assertThat(sub.record(j)).containsExactly(mem.record(pick[j]));
            assertThat(sub.recordId(j)).isEqualTo(mem.recordId(pick[j]));
            assertThat(sub.labels()[j]).isEqualTo(mem.labels()[pick[j]]);
        }
        assertThat(ids(train.head(3))).isEqualTo(ids(mem).subList(0, 3));
        assertThat(train.head(100)).isSameAs(train);
    }

    @Test
    void badInputIsOneLineNamingTheFile() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> load(empty, "")).isInstanceOf(DataException.class)
                .hasMessage(empty + ": no PNG, JPEG, BMP or GIF images found (searched recursively)");
        Files.writeString(empty.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> load(empty, "")).isInstanceOf(DataException.class).hasMessageContaining("no PNG");
        assertThatThrownBy(() -> load(tmp.resolve("missing"), "")).isInstanceOf(DataException.class)
                .hasMessage(tmp.resolve("missing") + ": no such directory");

        Path dir = tmp.resolve("bad");
        ImageFiles.grey(dir.resolve("a.png"), "png", 3, 3, 10);
        ImageFiles.grey(dir.resolve("b.png"), "png", 3, 3, 20);
        ImageFiles.grey(dir.resolve("d.png"), "png", 3, 3, 30);
        Files.write(dir.resolve("c.jpg"), new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> load(dir, "")).isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir.resolve("c.jpg") + ": not a PNG, JPEG, BMP or GIF image")
                .hasMessageEndingWith("(use skip-bad / --skip-bad to leave unreadable images out)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        List<String> warnings = new ArrayList<>();
        DatasetDownloader.Listener l = new DatasetDownloader.Listener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };
        DataSplits s = DataSources.load("images:" + dir + ",skip-bad,val=0.4,cache-dir=" + cache(), new LoadContext(null, false, l));
        assertThat(s.train().size() + s.test().size()).isEqualTo(3);
        assertThat(warnings).containsExactly("skipped 1 unreadable image in " + dir + ": c.jpg (not a PNG, JPEG, BMP or GIF image)");
        // the cache remembers the bad file: without skip-bad the reused cache still refuses it
        assertThatThrownBy(() -> load(dir, ",val=0.4")).isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir.resolve("c.jpg") + ": not a PNG");
    }

    @Test
    void unreadableFileIsBad() throws IOException {
        Path dir = tmp.resolve("perm");
        ImageFiles.grey(dir.resolve("a.png"), "png", 3, 3, 10);
        ImageFiles.grey(dir.resolve("b.png"), "png", 3, 3, 10);
        Path locked = ImageFiles.grey(dir.resolve("c.png"), "png", 3, 3, 10);
        try {
            Files.setPosixFilePermissions(locked, Set.of());
        } catch (UnsupportedOperationException e) {
            org.junit.jupiter.api.Assumptions.abort("no POSIX permissions here");
        }
        // root reads everything: then there is nothing to test
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(locked), "running as root");
        assertThatThrownBy(() -> load(dir, "")).isInstanceOf(DataException.class)
                .hasMessageStartingWith(locked + ": cannot read: permission denied");
        DataSplits s = load(dir, ",skip-bad");
        assertThat(s.train().size() + s.test().size()).isEqualTo(2);
    }

    @Test
    void badOptions() {
        Path dir = tmp.resolve("opts");
        ImageFiles.grey(dir.resolve("a.png"), "png", 3, 3, 10);
        assertThatThrownBy(() -> load(dir, ",channels=2")).isInstanceOf(DataException.class)
                .hasMessageEndingWith("channels must be 1 or 3 but is 2");
        assertThatThrownBy(() -> load(dir, ",colour=1")).isInstanceOf(DataException.class)
                .hasMessageContaining("unknown option 'colour'");
        assertThatThrownBy(() -> load(dir, ",val=1")).isInstanceOf(DataException.class)
                .hasMessageEndingWith("val must be in (0,1) but is 1.0");
        assertThatThrownBy(() -> load(dir, ",crop=left")).isInstanceOf(DataException.class)
                .hasMessageContaining("crop must be center or none");
        assertThatThrownBy(() -> load(dir, ",size=0")).isInstanceOf(DataException.class)
                .hasMessageEndingWith("size must be in [1,4096] but is 0");
        assertThatThrownBy(() -> DataSources.load("images:", null)).isInstanceOf(DataException.class)
                .hasMessageStartingWith("images: missing folder");
        assertThatThrownBy(() -> load(dir, "")).isInstanceOf(DataException.class)
                .hasMessage(dir + ": needs at least 2 readable images for a training and a test split, found 1");
    }
}
