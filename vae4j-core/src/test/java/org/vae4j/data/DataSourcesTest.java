package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {

    private static final String KINDS = "csv, fashion-mnist, idx, images, mnist, shapes";

    @TempDir
    Path dir;

    @Test
    void parsesKindAndArgument() {
        assertThat(DataSpec.parse("mnist")).isEqualTo(new DataSpec("mnist", ""));
        assertThat(DataSpec.parse("  Fashion-MNIST ")).isEqualTo(new DataSpec("fashion-mnist", ""));
        assertThat(DataSpec.parse("idx:/data/my digits")).isEqualTo(new DataSpec("idx", "/data/my digits"));
        assertThat(DataSpec.parse("idx:C:\\data\\mnist").argument()).isEqualTo("C:\\data\\mnist");
        assertThat(DataSpec.parse("shapes:rgb")).isEqualTo(new DataSpec("shapes", "rgb"));
        DataSpec s = DataSpec.parse("shapes:size=64,n=5000,seed=3");
        assertThat(s.kind()).isEqualTo("shapes");
        assertThat(s.argument()).isEqualTo("size=64,n=5000,seed=3");
        assertThat(s.toString()).isEqualTo("shapes:size=64,n=5000,seed=3");
        assertThat(DataSpec.parse(s.toString())).isEqualTo(s);
        assertThat(DataSpec.parse("shapes:").toString()).isEqualTo("shapes");
        assertThat(new DataSpec("mnist", null).argument()).isEmpty();
    }

    @Test
    void unknownOrMalformedSpecsListTheValidKinds() {
        assertThatThrownBy(() -> DataSpec.parse("cifar10:x"))
                .isInstanceOf(DataException.class)
                .hasMessage("cifar10:x: unknown data kind 'cifar10'; valid kinds: " + KINDS);
        assertThatThrownBy(() -> DataSources.load("mnst", null))
                .isInstanceOf(DataException.class).hasMessageContaining("unknown data kind 'mnst'");
        assertThatThrownBy(() -> DataSpec.parse("  "))
                .isInstanceOf(DataException.class).hasMessage("empty data spec; valid kinds: " + KINDS);
        assertThatThrownBy(() -> DataSpec.parse(":foo"))
                .isInstanceOf(DataException.class).hasMessageStartingWith(":foo: malformed data spec").hasMessageEndingWith(KINDS);
        assertThatThrownBy(() -> DataSpec.parse("my data"))
                .isInstanceOf(DataException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> new DataSpec("a_b", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DataSources.load(new DataSpec("nope", ""), null))
                .isInstanceOf(DataException.class).hasMessage("nope: unknown data kind 'nope'; valid kinds: " + KINDS);
    }

    @Test
    void providersAreFoundWithServiceLoader() {
        assertThat(DataSources.providers()).extracting(DataSourceProvider::kind)
                .containsExactly("csv", "fashion-mnist", "idx", "images", "mnist", "shapes");
        assertThat(DataSources.providers()).allSatisfy(p -> assertThat(p.description()).isNotBlank().doesNotContain("\n"));
        assertThat(DataSources.providers()).extracting(p -> p.getClass().getSimpleName())
                .containsExactly("CsvDataSource", "FashionMnistDataSource", "IdxDataSource", "ImagesDataSource", "MnistDataSource",
                        "ShapesDataSource");
    }

    @Test
    void shapesSpecOptions() {
        DataSplits s = DataSources.load("shapes:size=16,n=10,test=5,seed=3", LoadContext.defaults());
        assertThat(s.train().name()).isEqualTo("shapes");
        assertThat(s.train().size()).isEqualTo(10);
        assertThat(s.test().size()).isEqualTo(5);
        assertThat(s.train().shape()).containsExactly(1, 16, 16);
        assertThat(s.train().contentHash()).isEqualTo(ShapesDataset.generate(
                new ShapesDataset.Config(16, 1, 10, 5, 3L, Map.of())).train().contentHash());

        DataSplits rgb = DataSources.load("SHAPES: rgb , n=4,test=2", null);
        assertThat(rgb.train().name()).isEqualTo("shapes-rgb");
        assertThat(rgb.train().shape()).containsExactly(3, 32, 32);

        assertThat(ShapesDataSource.parseConfig(DataSpec.parse("shapes"))).isEqualTo(ShapesDataset.Config.defaults());
        assertThat(ShapesDataSource.parseConfig(DataSpec.parse("shapes:channels=3")).channels()).isEqualTo(3);
        ShapesDataset.Config w = ShapesDataSource.parseConfig(DataSpec.parse("shapes:rgb,weights.shape=1/0/0,weights.color=1/2/3/4/5/6"));
        assertThat(w.factorWeights().get("shape")).containsExactly(1, 0, 0);
        assertThat(w.factorWeights().get("color")).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(DataSources.load("shapes:n=50,test=1,weights.shape=0/0/1", null).train().labels()).containsOnly(2);
        assertThat(ShapesDataSource.parseConfig(DataSpec.parse("shapes:seed=-7,gray")).seed()).isEqualTo(-7L);
    }

    @Test
    void badShapesOptionsNameTheSpec() {
        assertThatThrownBy(() -> DataSources.load("shapes:colour", null))
                .isInstanceOf(DataException.class)
                .hasMessage("shapes:colour: unknown option 'colour'; valid options: rgb, grey, size=N, channels=1|3, n=N, test=N, "
                        + "seed=N, weights.FACTOR=W0/W1/...");
        assertThatThrownBy(() -> DataSources.load("shapes:depth=3", null))
                .isInstanceOf(DataException.class).hasMessageStartingWith("shapes:depth=3: unknown option 'depth'");
        assertThatThrownBy(() -> DataSources.load("shapes:n=10,n=20", null))
                .isInstanceOf(DataException.class).hasMessageContaining("option 'n' given twice");
        assertThatThrownBy(() -> DataSources.load("shapes:rgb,channels=1", null))
                .isInstanceOf(DataException.class).hasMessageContaining("option 'channels' given twice");
        assertThatThrownBy(() -> DataSources.load("shapes:size=big", null))
                .isInstanceOf(DataException.class).hasMessage("shapes:size=big: size must be an integer but is 'big'");
        assertThatThrownBy(() -> DataSources.load("shapes:size=4", null))
                .isInstanceOf(DataException.class).hasMessage("shapes:size=4: size must be 8..1024 but is 4");
        assertThatThrownBy(() -> DataSources.load("shapes:n=10,", null))
                .isInstanceOf(DataException.class).hasMessageContaining("empty option");
        assertThatThrownBy(() -> DataSources.load("shapes:weights.shape=1/x/1", null))
                .isInstanceOf(DataException.class).hasMessageContaining("must be numbers separated by '/'");
        assertThatThrownBy(() -> DataSources.load("shapes:weights.size=1/1", null))
                .isInstanceOf(DataException.class).hasMessageContaining("unknown factor 'size'");
    }

    @Test
    void idxSpecLoadsADirectory() throws Exception {
        Path d = Files.createDirectory(dir.resolve("digits"));
        IdxWriter.writeDataset(d, 6, 3, 5, 5, 10);
        DataSplits s = DataSources.load("idx:" + d, null);
        assertThat(s.train().name()).isEqualTo("idx:digits");
        assertThat(s.train().size()).isEqualTo(6);
        assertThat(s.test().shape()).containsExactly(1, 5, 5);
        assertThat(DataSources.load("idx:" + d + "/", null).train().name()).isEqualTo("idx:digits");
        assertThatThrownBy(() -> DataSources.load("idx", null))
                .isInstanceOf(DataException.class).hasMessage("idx: missing directory, use idx:DIR");
        assertThatThrownBy(() -> DataSources.load("idx:" + dir.resolve("none"), null))
                .isInstanceOf(DataException.class).hasMessageStartingWith(dir.resolve("none") + ": no such directory");
    }

    @Test
    void mnistOfflineSaysWhichFilesToPutWhere() {
        LoadContext o = new LoadContext(dir, true, null);
        assertThatThrownBy(() -> DataSources.load("mnist", o))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir + ": offline, so 4 missing data file(s) were not downloaded; place train-images-idx3-ubyte.gz (from "
                        + "https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz, SHA-256 440fcabf")
                .hasMessageContaining("t10k-labels-idx1-ubyte.gz (from")
                .hasMessageEndingWith(" in " + dir.toAbsolutePath());
        assertThatThrownBy(() -> DataSources.load("fashion-mnist", o))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz");
        assertThatThrownBy(() -> DataSources.load("mnist:/somewhere", o))
                .isInstanceOf(DataException.class).hasMessageStartingWith("mnist:/somewhere: mnist takes no argument");
    }

    @Test
    void mnistUsesUncompressedFilesWithoutDownloading() throws Exception {
        IdxWriter.writeDataset(dir, 8, 4, 28, 28, 10);
        // make every file uncompressed, as after a manual gunzip
        for (String base : new String[] {IdxDataset.TRAIN_IMAGES, IdxDataset.TEST_LABELS}) {
            Path gz = dir.resolve(base + ".gz");
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
                Files.write(dir.resolve(base), in.readAllBytes());
            }
            Files.delete(gz);
        }
        DataSplits m = DataSources.load("mnist", new LoadContext(dir, true, null));
        assertThat(m.train().name()).isEqualTo("mnist");
        assertThat(m.train().size()).isEqualTo(8);
        assertThat(m.train().labelNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        DataSplits f = DataSources.load("fashion-mnist", new LoadContext(dir, true, null));
        assertThat(f.train().name()).isEqualTo("fashion-mnist");
        assertThat(f.test().labelNames()).containsExactlyElementsOf(KnownDatasets.fashionMnistLabelNames());
    }

    @Test
    void mnistRejectsAGzipFileWithTheWrongChecksum() {
        IdxWriter.writeDataset(dir, 8, 4, 28, 28, 10);
        assertThatThrownBy(() -> DataSources.load("mnist", new LoadContext(dir, true, null)))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir.resolve("train-images-idx3-ubyte.gz") + ": SHA-256 mismatch: expected 440fcabf")
                .hasMessageContaining("delete the file");
    }

    @Test
    void dataDirectoryResolution() {
        Path given = Path.of("/data/here");
        assertThat(new LoadContext(given, false, null).resolveDirectory("mnist", Map.of("VAE4J_DATA", "/env"), "/home/u"))
                .isEqualTo(given);
        assertThat(LoadContext.defaults().resolveDirectory("mnist", Map.of("VAE4J_DATA", "/env"), "/home/u"))
                .isEqualTo(Path.of("/env/mnist"));
        assertThat(LoadContext.defaults().resolveDirectory("fashion-mnist", Map.of("VAE4J_DATA", " "), "/home/u"))
                .isEqualTo(Path.of("/home/u/.vae4j/data/fashion-mnist"));
        assertThat(LoadContext.defaults().resolveDirectory("mnist", Map.of(), "/home/u"))
                .isEqualTo(Path.of("/home/u/.vae4j/data/mnist"));
        assertThat(LoadContext.defaults().listener()).isSameAs(DatasetDownloader.Listener.NONE);
        assertThat(LoadContext.defaults().offline()).isFalse();
    }
}
