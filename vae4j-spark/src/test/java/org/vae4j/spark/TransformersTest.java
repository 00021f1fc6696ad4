package org.vae4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.anomaly.AnomalyScores;
import org.vae4j.anomaly.ScoreMethod;
import org.vae4j.data.CsvOptions;
import org.vae4j.data.CsvTable;
import org.vae4j.data.DataSplits;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelStore;
import org.vae4j.model.Posterior;
import org.vae4j.model.VaeModel;

/** The transformers on local[2] with 4 partitions give, record by record, what core gives in one process. */
class TransformersTest {
    static final int N = 600;
    static final int D = 12;

    @TempDir
    static Path dir;

    static Path model;
    static float[] data;
    static SparkSession spark;

    @BeforeAll
    static void setUp() {
        model = dir.resolve("mlp");
        try (VaeModel m = VaeModel.create(ModelConfig.vae(List.of(D), 3, ArchConfig.mlp(16), "gaussian", 1.0), 5)) {
            ModelStore.save(m, model, null);
        }
        SplittableRandom r = new SplittableRandom(3);
        data = new float[N * D];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        spark = SparkTestSession.get();
    }

    static Dataset<Row> frame(int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            float[] x = java.util.Arrays.copyOfRange(data, i * D, (i + 1) * D);
            rows.add(RowFactory.create((long) i, x));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType)
                .add("x", DataTypes.createArrayType(DataTypes.FloatType, false));
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    static Map<Long, Double> collectScores(Dataset<Row> scored) {
        Map<Long, Double> out = new HashMap<>();
        for (Row r : scored.select("id", "score").collectAsList()) {
            out.put(r.getLong(0), r.getDouble(1));
        }
        return out;
    }

    static void assertClose(double actual, double expected, String what) {
        assertThat(Math.abs(actual - expected)).as(what + ": " + actual + " vs " + expected)
                .isLessThanOrEqualTo(1e-4 * Math.max(1, Math.abs(expected)));
    }

    @Test
    void scoresEqualCoreWhateverThePartitioning() {
        for (ScoreMethod method : List.of(ScoreMethod.NEG_ELBO, ScoreMethod.IW_NLL, ScoreMethod.RECON_ERROR)) {
            double[] expected;
            try (VaeModel m = VaeModel.load(model)) {
                expected = AnomalyScores.score(m, data, null, N, method, method == ScoreMethod.RECON_ERROR ? 1 : 7, 11, null);
            }
            VaeScorer scorer = new VaeScorer().setMethod(method.id()).setSamples(7).setSeed(11);
            scorer.setModelPath(model.toString()).setInputCol("x").setBatchSize(50);
            Dataset<Row> scored = scorer.transform(frame(4));
            assertThat(scored.rdd().getNumPartitions()).isEqualTo(4);
            Map<Long, Double> got = collectScores(scored);
            assertThat(got).hasSize(N);
            for (int i = 0; i < N; i++) {
                assertClose(got.get((long) i), expected[i], method.id() + " record " + i);
            }
        }
        // a different seed gives different sampled scores: the seed reaches the executors
        VaeScorer other = new VaeScorer().setMethod("neg-elbo").setSamples(7).setSeed(12);
        other.setModelPath(model.toString()).setInputCol("x");
        double[] seed11;
        try (VaeModel m = VaeModel.load(model)) {
            seed11 = AnomalyScores.score(m, data, null, N, ScoreMethod.NEG_ELBO, 7, 11, null);
        }
        Map<Long, Double> got = collectScores(other.transform(frame(3)));
        assertThat(Math.abs(got.get(0L) - seed11[0])).isGreaterThan(1e-6);
    }

    @Test
    void encodesMuAndLogvarLikeCore() {
        Posterior expected;
        try (VaeModel m = VaeModel.load(model)) {
            expected = m.encode(data, N);
        }
        VaeEncoder enc = new VaeEncoder();
        enc.setModelPath(model.toString()).setInputCol("x");
        List<Row> rows = enc.transform(frame(4)).select("id", "mu", "logvar").collectAsList();
        assertThat(rows).hasSize(N);
        for (Row r : rows) {
            int i = (int) r.getLong(0);
            List<Object> mu = r.getList(1);
            List<Object> lv = r.getList(2);
            for (int j = 0; j < 3; j++) {
                assertClose((Float) mu.get(j), expected.mu()[i * 3 + j], "mu");
                assertClose((Float) lv.get(j), expected.logvar()[i * 3 + j], "logvar");
            }
        }
    }

    @Test
    void tableModelScoresTheSchemaColumnsAsTheCliReadsTheFile() throws IOException {
        Path csv = dir.resolve("t.csv");
        StringBuilder sb = new StringBuilder("id,amount,flag,kind\n");
        SplittableRandom r = new SplittableRandom(9);
        String[] kinds = {"a", "b", "c"};
        for (int i = 0; i < 300; i++) {
            sb.append("r").append(i).append(',').append(String.format(java.util.Locale.ROOT, "%.3f", 50 + 10 * r.nextGaussian()))
                    .append(',').append(r.nextInt(2)).append(',').append(i == 7 ? "zzz" : kinds[r.nextInt(3)]).append('\n');
        }
        Files.writeString(csv, sb);
        CsvOptions opts = CsvOptions.of(csv).withId("id").withValFraction(0.3);
        DataSplits derived = CsvTable.load(opts, null);
        var schema = ((org.vae4j.data.ArrayDataset) derived.train()).table();
        Path tmodel = dir.resolve("table");
        try (VaeModel m = VaeModel.create(ModelConfig.tableVae(schema, 2, ArchConfig.mlp(8), 1.0), 2)) {
            ModelStore.save(m, tmodel, null);
        }
        // what the CLI does: the file read with the model's schema, then scored
        DataSplits cli = CsvTable.load(opts, schema);
        Map<String, Double> expected = new HashMap<>();
        try (VaeModel m = VaeModel.load(tmodel)) {
            for (var part : List.of(cli.train(), cli.test())) {
                double[] s = AnomalyScores.score(m, part, ScoreMethod.NEG_ELBO, 4, 3, null);
                for (int i = 0; i < s.length; i++) {
                    expected.put(part.recordId(i), s[i]);
                }
            }
        }
        Dataset<Row> df = spark.read().option("header", "true").csv(csv.toString()).repartition(4);
        VaeScorer scorer = new VaeScorer().setMethod("neg-elbo").setSamples(4).setSeed(3);
        scorer.setModelPath(tmodel.toString());
        List<Row> rows = scorer.transform(df).select("id", "score").collectAsList();
        assertThat(rows).hasSize(300);
        for (Row row : rows) {
            assertClose(row.getDouble(1), expected.get(row.getString(0)), "table row " + row.getString(0));
        }
        // numbers typed by Spark's schema inference encode to the same values
        Dataset<Row> typed = spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString()).repartition(2);
        for (Row row : scorer.transform(typed).select("id", "score").collectAsList()) {
            assertClose(row.getDouble(1), expected.get(row.getString(0)), "typed table row " + row.getString(0));
        }
    }

    @Test
    void mismatchesFailInOneLineBeforeAnyTask() {
        VaeScorer s = new VaeScorer();
        s.setModelPath(model.toString()).setInputCol("nope");
        assertThatThrownBy(() -> s.transform(frame(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("input column 'nope' is not in the DataFrame (it has: id, x)");
        VaeScorer t = new VaeScorer();
        t.setModelPath(model.toString());
        assertThatThrownBy(() -> t.transform(frame(2))).hasMessageContaining("is not a table model: set inputCol");
        VaeScorer missing = new VaeScorer();
        missing.setModelPath(dir.resolve("absent").toString()).setInputCol("x");
        assertThatThrownBy(() -> missing.transform(frame(2))).hasMessageStartingWith("model " + dir.resolve("absent") + ": ");
    }

    @Test
    void aRecordOfTheWrongSizeFailsTheJobWithOneLine() {
        List<Row> rows = List.of(RowFactory.create(0L, new float[] {1, 2, 3}));
        StructType schema = new StructType().add("id", DataTypes.LongType).add("x", DataTypes.createArrayType(DataTypes.FloatType, false));
        VaeScorer s = new VaeScorer();
        s.setModelPath(model.toString()).setInputCol("x");
        assertThatThrownBy(() -> s.transform(spark.createDataFrame(rows, schema)).collectAsList())
                .satisfies(e -> assertThat(VaeSparkException.rootMessage(e))
                        .isEqualTo("column 'x': a record of 3 values; the model takes 12"));
    }

    @Test
    void aFailedWriteLeavesNothingAndASuccessfulOneCommits() throws IOException {
        VaeScorer s = new VaeScorer().setMethod("recon-error");
        s.setModelPath(model.toString()).setInputCol("x");
        Path ok = dir.resolve("scores.parquet");
        SparkOutputs.save(s.transform(frame(3)).select("id", "score"), "parquet", ok, false);
        assertThat(spark.read().parquet(ok.toString()).count()).isEqualTo(N);
        // the same job with one bad record among good ones: no directory at all, no temporary left behind
        List<Row> rows = new ArrayList<>(frame(1).collectAsList());
        rows.add(RowFactory.create(-1L, new float[] {1, 2}));
        StructType schema = new StructType().add("id", DataTypes.LongType).add("x", DataTypes.createArrayType(DataTypes.FloatType, false));
        Path bad = dir.resolve("bad.parquet");
        assertThatThrownBy(() -> SparkOutputs.save(s.transform(spark.createDataFrame(rows, schema).repartition(3)), "parquet", bad, false))
                .satisfies(e -> assertThat(VaeSparkException.rootMessage(e)).isEqualTo("column 'x': a record of 2 values; the model takes 12"));
        assertThat(bad).doesNotExist();
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList()).isEmpty();
        }
    }

    @Test
    void aModelDirectoryAnExecutorCannotReadIsNamedWithTheHost() {
        assertThatThrownBy(() -> SharedModels.get(dir.resolve("gone").toString()))
                .isInstanceOf(VaeSparkException.class)
                .hasMessageStartingWith("model " + dir.resolve("gone") + ": not a readable directory on host ");
    }
}
