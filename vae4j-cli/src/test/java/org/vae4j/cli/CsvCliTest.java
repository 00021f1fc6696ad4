package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.vae4j.cli.CliRun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.CliRun.Result;
import org.vae4j.data.TableSchema;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelStore;
import org.vae4j.train.RunState;
import org.vae4j.train.Training;

class CsvCliTest {
    @TempDir
    static Path tmp;

    static Path csv;
    static Path run;

    /** id, two dependent numbers (one with gaps), a 0/1 flag, a colour, a label. */
    static String table(int rows, long seed, double offset) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("key,height,weight,flag,colour,group\r\n");
        for (int i = 0; i < rows; i++) {
            double z = r.nextDouble() * 2 - 1;
            String w = i % 17 == 3 ? "NA" : String.format(Locale.ROOT, "%.2f", 70 + 10 * z + r.nextDouble() + offset);
            sb.append("k").append(i).append(',').append(String.format(Locale.ROOT, "%.2f", 170 + 20 * z + offset)).append(',')
                    .append(w).append(',').append(z > 0 ? 1 : 0).append(',').append(z > 0.3 ? "\"red\"" : "blue").append(',')
                    .append(z > 0 ? "tall" : "short").append("\r\n");
        }
        return sb.toString();
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        csv = tmp.resolve("people.csv");
        Files.writeString(csv, table(400, 1, 0));
        run = tmp.resolve("run");
        Result r = cli("train", "--data", "csv:" + csv, "--id-column", "key", "--label-column", "group", "--missing", "mask",
                "--val-fraction", "0.25", "--hidden", "16", "--latent", "2", "--epochs", "2", "--batch-size", "32",
                "--threads", "1", "-q", "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("data csv:people.csv: 300 train, 100 test records of shape [6]").contains("done: test -ELBO");
    }

    @Test
    void trainRecordsTheCanonicalSpecAndTheSchemaAndPicksTheCompositeLikelihood() {
        RunState st = Training.readState(run);
        assertThat(st.dataSpec()).isEqualTo("csv:" + csv.toAbsolutePath().normalize()
                + ",label=group,id=key,missing=mask,val=0.25,seed=1");
        ModelConfig mc = ModelStore.readConfig(run);
        assertThat(mc.likelihood()).isEqualTo("composite");
        TableSchema t = mc.transform().table();
        assertThat(t.columns()).extracting(TableSchema.Column::type).containsExactly("continuous", "continuous", "binary", "categorical");
        assertThat(t.columns().get(0).mean()).isCloseTo(170, within(3.0));
        assertThat(run.resolve("samples.png")).doesNotExist();
        String report;
        try {
            report = Files.readString(run.resolve("report.html"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // reconstructions as a table in the file's terms, no image sections
        assertThat(report).contains("height (continuous)").contains("colour (categorical)").contains("p(1)=")
                .doesNotContain("id=\"traversal\"").doesNotContain("id=\"samples\"");
    }

    @Test
    void aTableRunResumesFromItsRecordedSpec() throws Exception {
        Path copy = tmp.resolve("resumed");
        try (var files = Files.walk(run)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(run.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals(".lock")) {
                    Files.copy(p, target);
                }
            }
        }
        Result r = cli("train", "--resume", copy.toString(), "--epochs", "3", "--threads", "1", "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readAllLines(copy.resolve("metrics.csv"))).hasSize(4);
        assertThat(ModelStore.readConfig(copy).transform().table()).isEqualTo(ModelStore.readConfig(run).transform().table());
    }

    @Test
    void evaluateOnAnotherFileUsesTheStoredStatistics() throws Exception {
        Result own = cli("evaluate", "--model", run.toString(), "--json", "--threads", "1");
        assertThat(own.code()).as(own.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(own.out());
        assertThat(j.get("n").asInt()).isEqualTo(100);
        assertThat(j.get("neg_elbo").asDouble()).isFinite();
        // the same kind of table shifted by 40 units: with the stored statistics its rows look far off, so its -ELBO is
        // much worse; had the file been standardised with its own statistics, it would look like the training data
        Path shifted = tmp.resolve("shifted.csv");
        Files.writeString(shifted, table(100, 2, 40));
        Result other = cli("evaluate", "--model", run.toString(), "--data", "csv:" + shifted + ",val=1", "--id-column", "key",
                "--label-column", "group", "--missing", "mask", "--json", "--threads", "1");
        assertThat(other.code()).as(other.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(other.out());
        assertThat(o.get("n").asInt()).isEqualTo(100);
        assertThat(o.get("neg_elbo").asDouble()).isGreaterThan(j.get("neg_elbo").asDouble() + 20);
    }

    @Test
    void badTablesAndMisusedFlagsGiveOneLineErrors() throws Exception {
        Path ragged = tmp.resolve("ragged.csv");
        Files.writeString(ragged, "a,b,c\n1,2,3\n4,5\n6,7,8\n");
        Result r = cli("train", "--data", "csv:" + ragged, "--out", tmp.resolve("r1").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().trim()).isEqualTo("vae4j: " + ragged + ": line 3: 2 fields but the header has 3 columns");
        assertThat(tmp.resolve("r1")).doesNotExist();

        Result label = cli("train", "--data", "csv:" + csv, "--label-column", "kind", "--out", tmp.resolve("r2").toString());
        assertThat(label.code()).isEqualTo(1);
        assertThat(label.err().trim()).doesNotContain("\n").contains(csv + ": line 1: label column 'kind' is not in the header");

        Result text = cli("train", "--data", "csv:" + csv, "--out", tmp.resolve("r3").toString());
        assertThat(text.code()).isEqualTo(1);
        assertThat(text.err().trim()).doesNotContain("\n").contains(csv + ": line 5, column 'weight': missing value");

        Result notCsv = cli("train", "--data", "shapes:n=50,test=10,size=8", "--label-column", "x", "--out", tmp.resolve("r4").toString());
        assertThat(notCsv.code()).isEqualTo(2);
        assertThat(notCsv.err().trim()).isEqualTo("vae4j: --label-column applies to --data csv:FILE only, not to shapes:n=50,test=10,size=8");

        Result composite = cli("train", "--data", "shapes:n=50,test=10,size=8", "--likelihood", "composite", "--epochs", "1",
                "--out", tmp.resolve("r5").toString());
        assertThat(composite.code()).isEqualTo(2);
        assertThat(composite.err().trim()).contains("likelihood composite is for tables");

        Result bern = cli("train", "--data", "csv:" + csv, "--missing", "mask", "--ignore-columns", "key,group", "--likelihood",
                "bernoulli", "--epochs", "1", "--out", tmp.resolve("r6").toString());
        assertThat(bern.code()).isEqualTo(2);
        assertThat(bern.err().trim()).endsWith("a table's values are standardised and unbounded: use --likelihood composite");

        Result contradiction = cli("train", "--data", "csv:" + csv + ",label=group", "--label-column", "colour",
                "--out", tmp.resolve("r7").toString());
        assertThat(contradiction.code()).isEqualTo(2);
        assertThat(contradiction.err()).contains("--label-column colour contradicts label=group");
    }
}
