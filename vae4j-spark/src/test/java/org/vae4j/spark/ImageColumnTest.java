package org.vae4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.data.DataException;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.data.LoadContext;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelStore;
import org.vae4j.model.VaeModel;

/**
 * An image column (Spark's image data source: BGR rows, interleaved) gives the records the CLI's {@code images:} reader
 * gives for the same files (grey or colour, centre crop, area-averaging resize, [0, 1]), and so the same scores as the
 * array-column path fed with those records.
 */
class ImageColumnTest {
    @TempDir
    static Path dir;

    static Path images;
    static SparkSession spark;

    @BeforeAll
    static void setUp() throws IOException {
        images = dir.resolve("images");
        Files.createDirectories(images);
        SplittableRandom r = new SplittableRandom(5);
        // colour, grey and colour-with-alpha files of different sizes, square and not
        int[][] sizes = {{12, 9}, {9, 12}, {10, 10}, {8, 8}, {16, 10}, {7, 11}, {20, 20}, {13, 8}};
        int[] types = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_INT_ARGB};
        for (int k = 0; k < 12; k++) {
            int[] s = sizes[k % sizes.length];
            int type = types[k % types.length];
            BufferedImage img = new BufferedImage(s[0], s[1], type);
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++) {
                    // a smooth gradient plus noise, so that crops and resizes matter
                    int red = Math.min(255, 10 * x + r.nextInt(40));
                    int green = Math.min(255, 12 * y + r.nextInt(40));
                    int blue = r.nextInt(256);
                    int alpha = 128 + r.nextInt(128);
                    if (type == BufferedImage.TYPE_BYTE_GRAY) {
                        img.getRaster().setSample(x, y, 0, (red + green) / 2);
                    } else {
                        img.setRGB(x, y, (alpha << 24) | (red << 16) | (green << 8) | blue);
                    }
                }
            }
            ImageIO.write(img, "png", images.resolve(String.format("img%02d.png", k)).toFile());
        }
        spark = SparkTestSession.get();
    }

    /** The CLI's records for the folder: every file (both splits), by file name. */
    static Map<String, float[]> cliRecords(int channels) {
        return cliRecords(images, channels, 12);
    }

    static Map<String, float[]> cliRecords(Path folder, int channels, int files) {
        DataSplits s = DataSources.load("images:" + folder + ",size=8,crop=center,channels=" + channels + ",val=0.5,cache-dir="
                + dir.resolve("cache-" + folder.getFileName()), LoadContext.defaults());
        Map<String, float[]> out = new HashMap<>();
        for (org.vae4j.data.Dataset d : List.of(s.train(), s.test())) {
            assertThat(d.shape()).containsExactly(channels, 8, 8);
            for (int i = 0; i < d.size(); i++) {
                out.put(d.recordId(i), d.record(i));
            }
        }
        assertThat(out).hasSize(files);
        return out;
    }

    static Dataset<Row> imageFrame() {
        return spark.read().format("image").load(images.toString()).repartition(3);
    }

    static String name(Row image) {
        String origin = image.getString(image.fieldIndex("origin"));
        return origin.substring(origin.lastIndexOf('/') + 1);
    }

    static Path model(int channels) {
        Path m = dir.resolve("model" + channels);
        if (!Files.exists(m)) {
            try (VaeModel v = VaeModel.create(ModelConfig.vae(List.of(channels, 8, 8), 3, ArchConfig.mlp(16), "bernoulli", 1.0), 7)) {
                ModelStore.save(v, m, null);
            }
        }
        return m;
    }

    @Test
    void imageRecordsEqualTheCliReadersForGreyAndColour() {
        List<Row> rows = imageFrame().collectAsList();
        assertThat(rows).hasSize(12);
        for (int channels : new int[] {1, 3}) {
            Map<String, float[]> expected = cliRecords(channels);
            ModelConfig config = ModelStore.readConfig(model(channels));
            RowInput in = RowInput.plan(imageFrame().schema(), config, "m", "image", null, true);
            for (Row row : rows) {
                float[] x = new float[channels * 64];
                in.read(row, x, 0, null);
                assertThat(x).as(name(row.getStruct(0)) + ", " + channels + " channel(s)")
                        .containsExactly(expected.get(name(row.getStruct(0))));
            }
        }
    }

    @Test
    void scoresAndCodesOfAnImageColumnEqualTheArrayColumnPath() {
        Map<String, float[]> records = cliRecords(3);
        List<Row> arrays = new ArrayList<>();
        records.forEach((k, v) -> arrays.add(RowFactory.create(k, v)));
        Dataset<Row> arrayFrame = spark.createDataFrame(arrays, new StructType().add("name", DataTypes.StringType)
                .add("x", DataTypes.createArrayType(DataTypes.FloatType, false))).repartition(2);
        Dataset<Row> imageFrame = imageFrame();
        String m = model(3).toString();

        VaeScorer byArray = new VaeScorer().setMethod("iw-nll").setSamples(5).setSeed(3);
        byArray.setModelPath(m).setInputCol("x");
        VaeScorer byImage = new VaeScorer().setMethod("iw-nll").setSamples(5).setSeed(3);
        byImage.setModelPath(m).setInputCol("image").setImageCrop(true).setBatchSize(4);
        Map<String, Double> a = new HashMap<>();
        for (Row r : byArray.transform(arrayFrame).select("name", "score").collectAsList()) {
            a.put(r.getString(0), r.getDouble(1));
        }
        Map<String, Double> b = new HashMap<>();
        for (Row r : byImage.transform(imageFrame).select("image", "score").collectAsList()) {
            b.put(name(r.getStruct(0)), r.getDouble(1));
        }
        // equal records; the scores equal up to float rounding that depends on the batch (4 images against all 12)
        assertThat(b).hasSize(12).containsOnlyKeys(a.keySet());
        b.forEach((k, v) -> assertThat(v).as(k).isCloseTo(a.get(k), org.assertj.core.data.Percentage.withPercentage(1e-4)));

        VaeEncoder encImage = new VaeEncoder();
        encImage.setModelPath(m).setInputCol("image").setImageCrop(true);
        VaeEncoder encArray = new VaeEncoder();
        encArray.setModelPath(m).setInputCol("x");
        Map<String, List<Object>> mu = new HashMap<>();
        for (Row r : encArray.transform(arrayFrame).select("name", "mu").collectAsList()) {
            mu.put(r.getString(0), r.getList(1));
        }
        for (Row r : encImage.transform(imageFrame).select("image", "mu").collectAsList()) {
            List<Object> want = mu.get(name(r.getStruct(0)));
            List<Object> got = r.getList(1);
            assertThat(got).hasSize(3);
            for (int j = 0; j < 3; j++) {
                assertThat((Float) got.get(j)).isCloseTo((Float) want.get(j), org.assertj.core.data.Offset.offset(1e-5f));
            }
        }

        // without the crop the images are squashed, as the CLI's crop=none: different records for non-square files
        VaeScorer squashed = new VaeScorer().setMethod("iw-nll").setSamples(5).setSeed(3);
        squashed.setModelPath(m).setInputCol("image");
        long differ = squashed.transform(imageFrame).select("image", "score").collectAsList().stream()
                .filter(r -> Math.abs(a.get(name(r.getStruct(0))) - r.getDouble(1)) > 1e-3).count();
        assertThat(differ).isGreaterThan(0);
    }

    @Test
    void aBinaryFileColumnGivesTheCliReadersRecordsAlsoFor16BitGrey() throws IOException {
        // Spark's image source keeps the low byte of a 16-bit sample; the file's bytes, decoded by the images: reader's
        // own decoder, give exactly the reader's records, for those files and for the 8-bit ones alike
        Path deep = dir.resolve("deep");
        Files.createDirectories(deep);
        SplittableRandom r = new SplittableRandom(9);
        for (int k = 0; k < 6; k++) {
            int w = 8 + k;
            int h = 13 - k;
            BufferedImage img = new BufferedImage(w, h, k % 2 == 0 ? BufferedImage.TYPE_USHORT_GRAY : BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (k % 2 == 0) {
                        img.getRaster().setSample(x, y, 0, Math.min(65535, 3000 * x + 2000 * y + r.nextInt(4000)));
                    } else {
                        img.setRGB(x, y, (Math.min(255, 20 * x) << 16) | (Math.min(255, 15 * y) << 8) | r.nextInt(256));
                    }
                }
            }
            ImageIO.write(img, "png", deep.resolve(String.format("deep%02d.png", k)).toFile());
        }
        Dataset<Row> files = spark.read().format("binaryFile").load(deep.toString()).repartition(2);
        List<Row> rows = files.collectAsList();
        assertThat(rows).hasSize(6);
        for (int channels : new int[] {1, 3}) {
            Map<String, float[]> expected = cliRecords(deep, channels, 6);
            RowInput in = RowInput.plan(files.schema(), ModelStore.readConfig(model(channels)), "m", "content", null, true);
            for (Row row : rows) {
                String path = row.getString(row.fieldIndex("path"));
                String file = path.substring(path.lastIndexOf('/') + 1);
                float[] x = new float[channels * 64];
                in.read(row, x, 0, null);
                assertThat(x).as(file + ", " + channels + " channel(s)").containsExactly(expected.get(file));
            }
        }
        // the image source's records for the 16-bit files are not the reader's (why this column kind exists)
        RowInput viaImage = RowInput.plan(spark.read().format("image").load(deep.toString()).schema(),
                ModelStore.readConfig(model(1)), "m", "image", null, true);
        Map<String, float[]> expected = cliRecords(deep, 1, 6);
        long differ = spark.read().format("image").load(deep.toString()).collectAsList().stream().filter(row -> {
            float[] x = new float[64];
            viaImage.read(row, x, 0, null);
            return !java.util.Arrays.equals(x, expected.get(name(row.getStruct(0))));
        }).count();
        assertThat(differ).isEqualTo(3);

        // scores through the transformer equal the array-column path's
        String m = model(1).toString();
        VaeScorer byFile = new VaeScorer().setMethod("iw-nll").setSamples(5).setSeed(3);
        byFile.setModelPath(m).setInputCol("content").setImageCrop(true);
        List<Row> arrays = new ArrayList<>();
        expected.forEach((k, v) -> arrays.add(RowFactory.create(k, v)));
        VaeScorer byArray = new VaeScorer().setMethod("iw-nll").setSamples(5).setSeed(3);
        byArray.setModelPath(m).setInputCol("x");
        Map<String, Double> a = new HashMap<>();
        for (Row row : byArray.transform(spark.createDataFrame(arrays, new StructType().add("name", DataTypes.StringType)
                .add("x", DataTypes.createArrayType(DataTypes.FloatType, false)))).select("name", "score").collectAsList()) {
            a.put(row.getString(0), row.getDouble(1));
        }
        List<Row> scored = byFile.transform(files).select("path", "score").collectAsList();
        assertThat(scored).hasSize(6);
        for (Row row : scored) {
            String file = row.getString(0).substring(row.getString(0).lastIndexOf('/') + 1);
            assertThat(row.getDouble(1)).as(file).isCloseTo(a.get(file), org.assertj.core.data.Percentage.withPercentage(1e-4));
        }

        // a file that is not an image: one line naming it
        Path bad = dir.resolve("badfiles");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("notes.png"), "not a png");
        Dataset<Row> frame = spark.read().format("binaryFile").load(bad.toString());
        RowInput badIn = RowInput.plan(frame.schema(), ModelStore.readConfig(model(1)), "m", "content", null, false);
        Row row = frame.collectAsList().get(0);
        assertThatThrownBy(() -> badIn.read(row, new float[64], 0, null)).isInstanceOf(DataException.class)
                .hasMessageContaining("notes.png").hasMessageContaining("column 'content'").hasMessageNotContaining("\n");
    }

    @Test
    void aWrongModelOrAnUndecodableImageIsOneLine() throws IOException {
        Path tableModel = dir.resolve("vector");
        try (VaeModel v = VaeModel.create(ModelConfig.vae(List.of(12), 2, ArchConfig.mlp(8), "gaussian", 1.0), 1)) {
            ModelStore.save(v, tableModel, null);
        }
        VaeScorer s = new VaeScorer();
        s.setModelPath(tableModel.toString()).setInputCol("image");
        assertThatThrownBy(() -> s.transform(imageFrame())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input column 'image' holds images").hasMessageContaining("[12]");

        // the data source keeps a file it cannot decode as an image of -1 x -1 when dropInvalid is false
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("broken.png"), "not a png");
        Dataset<Row> frame = spark.read().format("image").option("dropInvalid", false).load(bad.toString());
        RowInput in = RowInput.plan(frame.schema(), ModelStore.readConfig(model(1)), "m", "image", null, false);
        Row row = frame.collectAsList().get(0);
        assertThatThrownBy(() -> in.read(row, new float[64], 0, null)).isInstanceOf(DataException.class)
                .hasMessageContaining("broken.png").hasMessageContaining("could not be decoded").hasMessageNotContaining("\n");
    }
}
