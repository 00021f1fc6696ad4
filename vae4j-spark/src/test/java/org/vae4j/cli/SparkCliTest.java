package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vae4j spark score|encode} write the files {@code vae4j score|encode} write with the same options. */
class SparkCliTest {
    @TempDir
    static Path dir;

    static Path csv;
    static Path run;

    record Result(int code, String out, String err) {}

    static Result cli(boolean spark, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = spark ? SparkMain.run(new PrintWriter(out), new PrintWriter(err), args)
                : Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void train() throws IOException {
        csv = dir.resolve("tx.csv");
        StringBuilder sb = new StringBuilder("id,amount,online,shop,label\n");
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 400; i++) {
            boolean odd = i % 50 == 0;
            sb.append("t").append(i).append(',').append(String.format(Locale.ROOT, "%.2f", (odd ? 200 : 20) + 5 * r.nextGaussian()))
                    .append(',').append(r.nextInt(2)).append(',').append("abc".charAt(r.nextInt(3))).append(',')
                    .append(odd ? "odd" : "ok").append('\n');
        }
        Files.writeString(csv, sb);
        run = dir.resolve("run");
        Result t = cli(false, "train", "--data", "csv:" + csv, "--id-column", "id", "--label-column", "label", "--epochs", "2",
                "--hidden", "16", "--latent", "2", "--threads", "1", "--out", run.toString(), "-q");
        assertThat(t.code()).as(t.err()).isZero();
    }

    @Test
    void scoreWritesWhatTheCliWrites() throws IOException {
        String[] opts = {"--model", run.toString(), "--data", "csv:" + csv, "--id-column", "id", "--label-column", "label",
            "--split", "all", "--method", "iw-nll", "--samples", "20", "--seed", "4", "--anomaly-labels", "odd"};
        Result a = cli(false, concat(new String[] {"score"}, opts, new String[] {"--out", dir.resolve("a.csv").toString()}));
        assertThat(a.code()).as(a.err()).isZero();
        Result b = cli(true, concat(new String[] {"score", "--master", "local[2]", "--partitions", "4"}, opts,
                new String[] {"--out", dir.resolve("b.csv").toString()}));
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(Files.readString(dir.resolve("b.csv"))).isEqualTo(Files.readString(dir.resolve("a.csv")));
        assertThat(b.out()).contains("400 records scored with iw-nll (K = 20)").contains("ROC-AUC");
    }

    @Test
    void encodeWritesWhatTheCliWrites() throws IOException {
        String[] opts = {"--model", run.toString(), "--data", "csv:" + csv, "--id-column", "id", "--label-column", "label", "--split", "test"};
        Result a = cli(false, concat(new String[] {"encode"}, opts, new String[] {"--out", dir.resolve("a.npy").toString()}));
        assertThat(a.code()).as(a.err()).isZero();
        Result b = cli(true, concat(new String[] {"encode", "--master", "local[2]", "--partitions", "3"}, opts,
                new String[] {"--out", dir.resolve("b.npy").toString()}));
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("b.npy"))).isEqualTo(Files.readAllBytes(dir.resolve("a.npy")));
        assertThat(Files.readString(dir.resolve("b.ids.csv"))).isEqualTo(Files.readString(dir.resolve("a.ids.csv")));
    }

    @Test
    void aFailedRunWritesNothingAndSaysWhyInOneLine() throws IOException {
        Path gone = dir.resolve("gone");
        Files.createDirectories(gone);
        for (String f : new String[] {"config.json", "provenance.json"}) {
            Files.copy(run.resolve(f), gone.resolve(f));
        }
        Result r = cli(true, "score", "--master", "local[2]", "--model", gone.toString(), "--data", "csv:" + csv, "--id-column", "id",
                "--label-column", "label", "--out", dir.resolve("c.csv").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip().lines().filter(l -> l.startsWith("vae4j: ")).toList()).hasSize(1);
        assertThat(r.err()).contains("vae4j: " + gone.resolve("weights.safetensors") + ": missing");
        assertThat(dir.resolve("c.csv")).doesNotExist();
        Result bad = cli(true, "score", "--master", "local[2]", "--partitions", "0", "--model", run.toString(), "--data", "csv:" + csv,
                "--id-column", "id", "--label-column", "label", "--out", dir.resolve("d.csv").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("vae4j: --partitions must be >= 1, got 0");
        assertThat(dir.resolve("d.csv")).doesNotExist();
    }

    static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    @Test
    void anApplicationStoppedUnderTheJobSaysSoInOneLine() {
        // what the driver is left with when a standalone master removes the application (executors failed to launch)
        SparkSession s = SparkSession.builder().master("local[1]").appName("stopped").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        s.stop();
        Throwable stopped = catchThrowable(() -> JavaSparkContext.fromSparkContext(s.sparkContext()).parallelize(List.of(1, 2)).count());
        assertThat(stopped).hasMessageStartingWith("Cannot call methods on a stopped SparkContext");
        Throwable cancelled = new SparkException("Job 3 cancelled because SparkContext was shut down");
        for (Throwable ex : List.of(stopped, new RuntimeException(cancelled), cancelled)) {
            assertThat(SparkMain.exitCode(ex)).isEqualTo(Main.EXIT_FAILURE);
            assertThat(SparkMain.message(ex)).doesNotContain("\n").contains("the master removed it")
                    .contains("executors failed to launch");
        }
        assertThat(SparkMain.message(new IllegalStateException("something else"))).isEqualTo("something else");
    }
}
