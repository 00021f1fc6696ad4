package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.vae4j.cli.CliRun.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.CliRun.Result;
import org.vae4j.io.CsvFields;

/** Issue 15, "Tables are not pictures": a table model samples rows in the file's terms, and refuses pictures. */
class TableSamplesCliTest {
    @TempDir
    static Path tmp;

    static Path csv;
    static Path run;
    static Path cvae;
    static Result trained;

    /** key; x ~ N(50, 10); y = 2x + N(0, 5); flag ~ Bernoulli(0.3); colour red .6 / green .3 / blue .1; group hi when x > 50. */
    static String table(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("key,x,y,flag,colour,group\n");
        for (int i = 0; i < rows; i++) {
            double x = 50 + 10 * gauss(r);
            double y = 2 * x + 5 * gauss(r);
            double u = r.nextDouble();
            sb.append("k").append(i).append(',').append(String.format(Locale.ROOT, "%.3f,%.3f", x, y)).append(',')
                    .append(r.nextDouble() < 0.3 ? 1 : 0).append(',').append(u < 0.6 ? "red" : u < 0.9 ? "green" : "blue")
                    .append(',').append(x > 50 ? "hi" : "lo").append('\n');
        }
        return sb.toString();
    }

    static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        csv = tmp.resolve("known.csv");
        Files.writeString(csv, table(2000, 3));
        run = tmp.resolve("run");
        trained = cli("train", "--data", "csv:" + csv, "--id-column", "key", "--label-column", "group", "--hidden", "32", "--latent", "4",
                "--epochs", "15", "--batch-size", "64", "-q", "--out", run.toString());
        assertThat(trained.code()).as(trained.err()).isZero();
        cvae = tmp.resolve("cvae");
        Result c = cli("train", "--model", "cvae", "--data", "csv:" + csv, "--id-column", "key", "--label-column", "group", "--hidden", "32",
                "--latent", "4", "--epochs", "15", "--batch-size", "64", "-q", "--out", cvae.toString());
        assertThat(c.code()).as(c.err()).isZero();
    }

    static List<List<String>> read(Path f) throws Exception {
        return Files.readAllLines(f).stream().map(CsvFields::split).toList();
    }

    static double mean(List<List<String>> rows, int col) {
        return rows.stream().skip(1).mapToDouble(r -> Double.parseDouble(r.get(col))).average().orElseThrow();
    }

    static double sd(List<List<String>> rows, int col) {
        double m = mean(rows, col);
        return Math.sqrt(rows.stream().skip(1).mapToDouble(r -> Math.pow(Double.parseDouble(r.get(col)) - m, 2)).average().orElseThrow());
    }

    @Test
    void trainSaysWhichThreadsItChoseAndSuggestsRows() {
        assertThat(trained.out()).contains("threads: 1 (auto: ").contains("is too little to share")
                .contains("next: vae4j evaluate --model " + run + " --json   |   vae4j sample --model " + run + " -n 1000 --out samples.csv")
                .doesNotContain("samples.png");
        assertThat(run.resolve("samples.png")).doesNotExist();
    }

    @Test
    void theReportComparesSyntheticWithTestRows() throws Exception {
        String report = Files.readString(run.resolve("report.html"));
        assertThat(report).contains("z from the gmm:10 fit to the training codes").contains("id=\"synthetic-rows\"").contains("real (test rows)").contains("against the 200 held-out test rows")
                .contains("Correlations of the numeric columns: mean |difference|").contains("blue 0.")
                .contains("Write such rows with: vae4j sample --model " + run + " -n 1000 --out rows.csv");
    }

    @Test
    void rowsHaveTheSchemasColumnsAndPlausibleMarginals() throws Exception {
        Path out = tmp.resolve("rows.csv");
        Result r = cli("sample", "--model", run.toString(), "-n", "3000", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote 3000 synthetic rows to " + out + " (codes from gmm:10, each cell drawn from p(x|z)): 4 columns")
                .contains("fidelity against 1800 training rows (real vs synthetic):")
                .containsPattern("\n  x +mean \\d+\\.\\d+ vs \\d+\\.?\\d*, sd ")
                .contains("correlations of the numeric columns: mean |difference| ");
        List<List<String>> rows = read(out);
        assertThat(rows).hasSize(3001);
        assertThat(rows.get(0)).containsExactly("x", "y", "flag", "colour");
        assertThat(mean(rows, 0)).isCloseTo(50, within(3.0));
        assertThat(sd(rows, 0)).isBetween(7.0, 13.0);
        assertThat(mean(rows, 1)).isCloseTo(100, within(6.0));
        assertThat(mean(rows, 2)).isCloseTo(0.3, within(0.08));
        Set<String> colours = new HashSet<>();
        long red = 0;
        for (List<String> row : rows.subList(1, rows.size())) {
            assertThat(row).hasSize(4);
            assertThat(row.get(2)).isIn("0", "1");
            colours.add(row.get(3));
            red += row.get(3).equals("red") ? 1 : 0;
        }
        assertThat(colours).isSubsetOf("red", "green", "blue").contains("red", "green");
        assertThat(red / 3000.0).isCloseTo(0.6, within(0.1));
        // the existing file is kept without --force
        Result again = cli("sample", "--model", run.toString(), "-n", "10", "--out", out.toString());
        assertThat(again.code()).isEqualTo(1); // an existing output is exit 1, as everywhere (issue 15's one rule)
        assertThat(again.err().strip()).isEqualTo("vae4j: " + out + ": already exists; use --force to replace it");
        assertThat(read(out)).hasSize(3001);
        Result forced = cli("sample", "--model", run.toString(), "-n", "10", "--draw", "mean", "--ids", "--force", "--out", out.toString());
        assertThat(forced.code()).as(forced.err()).isZero();
        List<List<String>> small = read(out);
        assertThat(small).hasSize(11);
        assertThat(small.get(0)).containsExactly("key", "x", "y", "flag", "colour");
        assertThat(small.get(1).get(0)).isEqualTo("1");
        assertThat(small.get(10).get(0)).isEqualTo("10");
        assertThat(forced.out()).contains("(codes from gmm:10, the decoder's most likely values)");
        // the prior's codes, as asked
        Result prior = cli("sample", "--model", run.toString(), "-n", "2000", "--sampler", "prior", "--force", "--out", out.toString());
        assertThat(prior.code()).as(prior.err()).isZero();
        assertThat(prior.out()).contains("(codes from the prior N(0, I), each cell drawn from p(x|z))");
        assertThat(mean(read(out), 0)).isCloseTo(50, within(3.0));
    }

    @Test
    void aConditionalModelWritesItsLabelColumn() throws Exception {
        Path out = tmp.resolve("hi.csv");
        Result r = cli("sample", "--model", cvae.toString(), "-n", "2000", "--label", "hi", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("all of class ").contains("fidelity against ").contains("training rows of that label");
        List<List<String>> rows = read(out);
        assertThat(rows.get(0)).containsExactly("x", "y", "flag", "colour", "group");
        assertThat(rows.stream().skip(1).map(row -> row.get(4)).distinct()).containsExactly("hi");
        // rows of the label "x > 50": their mean is that of the upper half of N(50, 10), about 58
        assertThat(mean(rows, 0)).isGreaterThan(53);
        Path mixed = tmp.resolve("mixed.csv");
        Result m = cli("sample", "--model", cvae.toString(), "-n", "2000", "--out", mixed.toString());
        assertThat(m.code()).as(m.err()).isZero();
        assertThat(m.out()).contains("labels drawn in the training rows' shares");
        List<List<String>> all = read(mixed);
        long hi = all.stream().skip(1).filter(row -> row.get(4).equals("hi")).count();
        assertThat(hi / 2000.0).isCloseTo(0.5, within(0.06));
        assertThat(mean(all, 0)).isCloseTo(50, within(3.0));
    }

    @Test
    void theAutomaticThreadCountIsRecordedAndAResumedRunIsBitIdentical() throws Exception {
        String[] common = {"train", "--data", "csv:" + csv, "--id-column", "key", "--label-column", "group", "--hidden", "32", "--latent", "4",
            "--batch-size", "64", "-q"};
        Path whole = tmp.resolve("whole");
        Path part = tmp.resolve("part");
        Result a = cli(concat(common, "--epochs", "3", "--out", whole.toString()));
        assertThat(a.code()).as(a.err()).isZero();
        Result b = cli(concat(common, "--epochs", "2", "--out", part.toString()));
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(org.vae4j.train.Training.readState(part).training().threads()).isEqualTo(1);
        Result other = cli("train", "--resume", part.toString(), "--epochs", "3", "--threads", "2", "-q");
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.err()).contains("--threads 2: this run trains with 1 thread (recorded in ");
        Result resumed = cli("train", "--resume", part.toString(), "--epochs", "3", "-q");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("threads: 1 (recorded in the run)");
        assertThat(Files.readAllBytes(part.resolve("weights.safetensors"))).isEqualTo(Files.readAllBytes(whole.resolve("weights.safetensors")));
        // the losses of every epoch (the columns before the timings) are the same
        java.util.function.Function<Path, List<String>> losses = run -> {
            try {
                return Files.readAllLines(run.resolve("metrics.csv")).stream()
                        .map(l -> String.join(",", java.util.Arrays.copyOf(l.split(","), 7))).toList();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        assertThat(losses.apply(part)).hasSize(4).isEqualTo(losses.apply(whole));
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void picturesOfATableModelAreRefusedInOneLine() {
        String[][] commands = {
            {"sample", "--model", run.toString(), "--out", tmp.resolve("s.png").toString()},
            {"traverse", "--model", run.toString(), "--out", tmp.resolve("t.png").toString()},
            {"interpolate", "--model", run.toString(), "--from", "0", "--to", "1", "--out", tmp.resolve("i.png").toString()},
            {"manifold", "--model", run.toString(), "--out", tmp.resolve("m.png").toString()},
            {"reconstruct", "--model", run.toString(), "--data", "csv:" + csv, "--id-column", "key", "--label-column", "group",
                "--out", tmp.resolve("r.png").toString()},
        };
        for (String[] c : commands) {
            Result r = cli(c);
            assertThat(r.code()).as(String.join(" ", c) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).contains(": " + c[0] + " draws records as pictures, but this model was trained on a table (4 columns); "
                    + "for synthetic rows use: vae4j sample --model " + run + " -n 1000 --out rows.csv");
            assertThat(Path.of(c[c.length - 1])).doesNotExist();
        }
        Result draw = cli("sample", "--model", run.toString(), "--draw", "median", "--out", tmp.resolve("d.csv").toString());
        assertThat(draw.code()).isEqualTo(2);
        assertThat(draw.err().strip()).isEqualTo("vae4j: --draw must be mean or sample, got 'median'");
        Result threads = cli("sample", "--model", run.toString(), "--threads", "-1", "--out", tmp.resolve("d.csv").toString());
        assertThat(threads.code()).isEqualTo(2);
        assertThat(threads.err().strip()).isEqualTo("vae4j: --threads must be auto, a number in 1..1024 or 0 (all cores), got '-1'");
        Result label = cli("sample", "--model", run.toString(), "--label", "hi", "--out", tmp.resolve("d.csv").toString());
        assertThat(label.code()).isEqualTo(2);
        assertThat(tmp.resolve("d.csv")).doesNotExist();
    }
}
