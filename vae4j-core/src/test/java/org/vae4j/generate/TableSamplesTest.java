package org.vae4j.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.data.LoadContext;
import org.vae4j.data.TableSchema;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.DataTransform;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

/** Synthetic rows of a table model trained on a table with known distributions. */
class TableSamplesTest {
    @TempDir
    static Path tmp;

    static VaeModel model;
    static DataSplits data;

    /**
     * x ~ N(50, 10); y = 2x + N(0, 5) (mean 100, sd 20.6, correlation 0.97 with x); flag ~ Bernoulli(0.3);
     * colour red 0.6, green 0.3, blue 0.1; an id column.
     */
    static Path write(Path file, int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("id,x,y,flag,colour\n");
        for (int i = 0; i < rows; i++) {
            double x = 50 + 10 * gauss(r);
            double y = 2 * x + 5 * gauss(r);
            double u = r.nextDouble();
            sb.append("r").append(i).append(',').append(String.format(Locale.ROOT, "%.3f,%.3f", x, y)).append(',')
                    .append(r.nextDouble() < 0.3 ? 1 : 0).append(',').append(u < 0.6 ? "red" : u < 0.9 ? "green" : "blue").append('\n');
        }
        try {
            Files.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @BeforeAll
    static void train() {
        Path csv = write(tmp.resolve("known.csv"), 2000, 7);
        String spec = "csv:" + csv + ",id=id,val=0.1";
        data = DataSources.load(spec, LoadContext.defaults());
        TableSchema t = data.train().table();
        ModelConfig mc = new ModelConfig(ModelConfig.FORMAT_VERSION, "vae", List.of(t.width()), 4, ArchConfig.mlp(32), "composite", 1.0,
                1.0, DataTransform.ofTable(t));
        TrainConfig tc = TrainConfig.defaults().withEpochs(40).withBatchSize(64).withThreads(1);
        model = Training.of(mc, tc).data(data, spec).fit();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Column j of rows as doubles in the file's units (continuous) or 0/1. */
    static double[] column(TableSchema t, float[] rows, int n, int j) {
        double[] v = new double[n];
        int o = t.offset(j);
        for (int i = 0; i < n; i++) {
            v[i] = t.toOriginal(j, rows[i * t.width() + o]);
        }
        return v;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double sd(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    @Test
    void sampledRowsHaveTheMarginalsAndCorrelationOfTheData() {
        TableSchema t = TableSamples.schema(model);
        assertThat(t.columns()).extracting(TableSchema.Column::name).containsExactly("x", "y", "flag", "colour");
        int n = 4000;
        float[] rows = TableSamples.sample(model, n, 3, null, TableSamples.Draw.SAMPLE);
        double[] x = column(t, rows, n, 0);
        double[] y = column(t, rows, n, 1);
        double[] flag = column(t, rows, n, 2);
        assertThat(mean(x)).isCloseTo(50, within(2.0));
        assertThat(sd(x)).isBetween(8.0, 12.5);
        assertThat(mean(y)).isCloseTo(100, within(4.0));
        assertThat(sd(y)).isBetween(16.0, 25.0);
        assertThat(mean(flag)).isCloseTo(0.3, within(0.06));
        for (double f : flag) {
            assertThat(f).isIn(0.0, 1.0);
        }
        // colour: categories red/green/blue in the schema's (sorted) order blue, green, red, then (other), never drawn
        int o = t.offset(3);
        double[] shares = new double[4];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int k = 0; k < 4; k++) {
                shares[k] += rows[i * t.width() + o + k];
                sum += rows[i * t.width() + o + k];
            }
            assertThat(sum).isEqualTo(1.0);
        }
        assertThat(t.columns().get(3).categories()).containsExactly("blue", "green", "red");
        assertThat(shares[0] / n).isCloseTo(0.1, within(0.05));
        assertThat(shares[1] / n).isCloseTo(0.3, within(0.07));
        assertThat(shares[2] / n).isCloseTo(0.6, within(0.07));
        assertThat(shares[3]).isZero();
        // the dependence between x and y is kept
        TableFidelity f = TableFidelity.compare(t, data.train().materialize().data(), data.train().size(), rows, n);
        assertThat(f.pairs()).hasSize(3);
        TableFidelity.PairFidelity xy = f.pairs().get(0);
        assertThat(xy.a() + "~" + xy.b()).isEqualTo("x~y");
        assertThat(xy.real()).isCloseTo(0.97, within(0.01));
        assertThat(xy.synthetic()).isGreaterThan(0.85);
        assertThat(f.columns().get(0).real()[0]).isCloseTo(50, within(1.0));
    }

    @Test
    void meanRowsAreTheDecoderMeansAndNarrower() {
        TableSchema t = TableSamples.schema(model);
        int n = 2000;
        float[] mean = TableSamples.sample(model, n, 3, null, TableSamples.Draw.MEAN);
        float[] drawn = TableSamples.sample(model, n, 3, null, TableSamples.Draw.SAMPLE);
        // the same codes as PriorSamples: continuous values are its decoder means
        float[] decoded = PriorSamples.sample(model, n, 3, PriorSamples.Labels.none());
        for (int i = 0; i < n; i++) {
            assertThat(mean[i * t.width()]).isEqualTo(decoded[i * t.width()]);
            assertThat(mean[i * t.width() + 2]).isEqualTo(decoded[i * t.width() + 2] >= 0.5f ? 1f : 0f);
        }
        assertThat(sd(column(t, mean, n, 0))).isLessThan(sd(column(t, drawn, n, 0)));
    }

    @Test
    void rowsDoNotDependOnTheBatchSize() throws Exception {
        int n = 53;
        int d = TableSamples.schema(model).width();
        List<float[]> runs = new ArrayList<>();
        for (int batch : new int[] {1, 7, 1000}) {
            float[] out = new float[n * d];
            TableSamples.forEachBatch(model, n, 11, null, TableSamples.Draw.SAMPLE, batch,
                    (start, v, b) -> System.arraycopy(v, 0, out, (int) start * d, b * d));
            runs.add(out);
        }
        // the same codes and draws; the decoder's float products may differ in the last bits with the batch's shape
        assertThat(runs.get(1)).containsExactly(runs.get(0), within(1e-5f));
        assertThat(runs.get(2)).containsExactly(runs.get(0), within(1e-5f));
        assertThat(TableSamples.sample(model, n, 12, null, TableSamples.Draw.SAMPLE)).isNotEqualTo(runs.get(0));
    }

    @Test
    void cellsAreInTheFilesTerms() {
        TableSchema t = new TableSchema(List.of(TableSchema.Column.continuous("h", 170, 10), TableSchema.Column.binary("f", 0.5),
                TableSchema.Column.categorical("c", List.of("a,b", "z"))));
        float[] row = {0.025f, 1f, 1f, 0f, 0f, Float.NaN, 0f, 0f, 0f, 1f};
        assertThat(TableSamples.cells(t, row, 0)).containsExactly("170.25", "1", "a,b");
        assertThat(TableSamples.cells(t, row, 5)).containsExactly("", "0", TableSchema.OTHER);
        assertThat(TableSamples.number(-0.000125)).isEqualTo("-0.000125");
        assertThat(TableSamples.number(1234567.8)).isEqualTo("1234570");
        assertThat(TableSamples.number(3.0)).isEqualTo("3");
    }

    @Test
    void wholeNumberColumnsAreFoundAndWrittenRounded() {
        TableSchema t = new TableSchema(List.of(TableSchema.Column.continuous("age", 39.35, 11.54),
                TableSchema.Column.continuous("income", 61470.25, 9275.5), TableSchema.Column.continuous("none", 0, 1),
                TableSchema.Column.binary("f", 0.5)));
        double[][] file = {{42, 63065.46, Double.NaN, 1}, {33, 58223, Double.NaN, 0}, {71, 1e5, Double.NaN, 1}};
        float[] enc = new float[file.length * 4];
        for (int i = 0; i < file.length; i++) {
            for (int j = 0; j < 3; j++) {
                TableSchema.Column c = t.columns().get(j);
                enc[i * 4 + j] = (float) ((file[i][j] - c.mean()) / c.std());
            }
            enc[i * 4 + 3] = (float) file[i][3];
        }
        org.vae4j.data.ArrayDataset ds = org.vae4j.data.ArrayDataset.ofTable("t", enc, t, null, null, null);
        boolean[] whole = TableSamples.integralColumns(t, ds);
        // income has one value with cents; a column without observed values and a binary column are not "whole"
        assertThat(whole).containsExactly(true, false, false, false);
        float[] synthetic = {(float) ((27.4964 - 39.35) / 11.54), (float) ((44545.37 - 61470.25) / 9275.5), 0.5f, 1f};
        assertThat(TableSamples.cells(t, synthetic, 0, whole)).containsExactly("27", "44545.4", "0.5", "1");
        assertThat(TableSamples.cells(t, synthetic, 0)).containsExactly("27.4964", "44545.4", "0.5", "1");
    }

    @Test
    void labelsAreDrawnInTheirShares() {
        int[] l = TableSamples.drawLabels(new double[] {1, 0, 3}, 40_000, 5);
        int[] counts = new int[3];
        for (int k : l) {
            counts[k]++;
        }
        assertThat(counts[1]).isZero();
        assertThat(counts[0] / 40_000.0).isCloseTo(0.25, within(0.01));
        assertThat(TableSamples.drawLabels(new double[] {1, 0, 3}, 100, 5)).containsExactly(java.util.Arrays.copyOf(l, 100));
        assertThatThrownBy(() -> TableSamples.drawLabels(new double[] {0, 0}, 3, 1)).hasMessage("label shares are all zero");
    }

    @Test
    void onlyTableModelsHaveRows() {
        ModelConfig img = ModelConfig.vae(List.of(1, 4, 4), 2, ArchConfig.mlp(8), "bernoulli", 1.0);
        try (VaeModel m = VaeModel.create(img, 1)) {
            assertThatThrownBy(() -> TableSamples.sample(m, 3, 1, null, TableSamples.Draw.SAMPLE)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has no synthetic rows; they need a table model");
        }
        assertThatThrownBy(() -> TableSamples.sample(model, 3, 1, new int[] {0, 0, 0}, TableSamples.Draw.SAMPLE))
                .hasMessageContaining("takes no label");
        assertThatThrownBy(() -> TableSamples.Draw.parse("median")).hasMessage("--draw must be mean or sample, got 'median'");
    }
}
