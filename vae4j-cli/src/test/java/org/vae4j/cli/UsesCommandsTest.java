package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.vae4j.cli.CliRun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.CliRun.Result;
import org.vae4j.data.LoadContext;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.model.Posterior;
import org.vae4j.model.VaeModel;

/** encode, score, density and train's label filters and sample weights, through the command line. */
class UsesCommandsTest {
    static final String DATA = "shapes:n=400,test=80,size=16";

    @TempDir
    static Path tmp;

    static Path vae;
    static Path ae;
    static DataSplits data;

    static void ok(Result r) {
        assertThat(r.code()).as(r.err()).isZero();
    }

    /** A failure: the exit code and exactly one line on stderr containing {@code text}. */
    static void fails(Result r, int code, String text) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(code);
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("vae4j: ").contains(text);
    }

    @BeforeAll
    static void trainOnce() {
        vae = tmp.resolve("vae");
        ae = tmp.resolve("ae");
        ok(cli("train", "--data", DATA, "--hidden", "32", "--latent", "3", "--epochs", "2", "--batch-size", "32", "--threads", "1",
                "-q", "--out", vae.toString()));
        ok(cli("train", "--data", DATA, "--model", "ae", "--hidden", "32", "--latent", "3", "--epochs", "2", "--batch-size", "32",
                "--threads", "1", "-q", "--out", ae.toString()));
        data = DataSources.load(DATA, LoadContext.defaults());
    }

    @Test
    void encodeCsvHoldsIdsLabelsAndThePosteriorOfEachRecord() throws Exception {
        Path f = tmp.resolve("codes.csv");
        Result r = cli("encode", "--model", vae.toString(), "--data", DATA, "--out", f.toString());
        ok(r);
        List<String> lines = Files.readAllLines(f);
        assertThat(lines.get(0)).isEqualTo("id,label,mu_0,mu_1,mu_2,logvar_0,logvar_1,logvar_2");
        assertThat(lines).hasSize(81);
        String[] row0 = lines.get(1).split(",");
        assertThat(row0[0]).isEqualTo("0");
        assertThat(row0[1]).isEqualTo(org.vae4j.data.ShapesDataset.SHAPE_NAMES.get(data.test().labels()[0]));
        try (VaeModel m = VaeModel.load(vae)) {
            Posterior p = m.encode(data.test().record(0), 1);
            for (int j = 0; j < 3; j++) {
                assertThat(Float.parseFloat(row0[2 + j])).isCloseTo(p.mu()[j], within(1e-5f));
                assertThat(Float.parseFloat(row0[5 + j])).isCloseTo(p.logvar()[j], within(1e-5f));
            }
        }
        // results are never overwritten without --force
        fails(cli("encode", "--model", vae.toString(), "--data", DATA, "--out", f.toString()), 1, "already exists; use --force");
        ok(cli("encode", "--model", vae.toString(), "--data", DATA, "--out", f.toString(), "--force", "--split", "all"));
        assertThat(Files.readAllLines(f)).hasSize(481).element(401).asString().startsWith("test:0,");
    }

    @Test
    void encodeNpyWritesAFloat32MatrixAndAnIdsSidecar() throws Exception {
        Path csv = tmp.resolve("ref.csv");
        Path npy = tmp.resolve("codes.npy");
        ok(cli("encode", "--model", vae.toString(), "--data", DATA, "--out", csv.toString()));
        ok(cli("encode", "--model", vae.toString(), "--data", DATA, "--out", npy.toString()));
        byte[] b = Files.readAllBytes(npy);
        String header = new String(b, 10, 118, java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (80, 6), }");
        assertThat(b).hasSize(128 + 80 * 6 * 4);
        ByteBuffer bb = ByteBuffer.wrap(b, 128, 80 * 6 * 4).order(ByteOrder.LITTLE_ENDIAN);
        String[] row0 = Files.readAllLines(csv).get(1).split(",");
        for (int j = 0; j < 6; j++) {
            assertThat(bb.getFloat()).isEqualTo(Float.parseFloat(row0[2 + j]));
        }
        List<String> ids = Files.readAllLines(tmp.resolve("codes.ids.csv"));
        assertThat(ids).hasSize(81);
        assertThat(ids.get(0)).isEqualTo("id,label");
        assertThat(ids.get(1)).isEqualTo(row0[0] + "," + row0[1]);
        if (numpyAvailable()) {
            Process p = new ProcessBuilder("python3", "-c", "import numpy as np; a = np.load('" + npy + "'); "
                    + "assert a.shape == (80, 6) and a.dtype == np.float32; print(repr(float(a[0, 0])))").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(Float.parseFloat(out)).isEqualTo(Float.parseFloat(row0[2]));
        }
    }

    static boolean numpyAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void encodeOfAnAutoencoderWritesCodesOnly() throws Exception {
        Path f = tmp.resolve("ae-codes.csv");
        ok(cli("encode", "--model", ae.toString(), "--data", DATA, "--out", f.toString()));
        assertThat(Files.readAllLines(f).get(0)).isEqualTo("id,label,mu_0,mu_1,mu_2");
    }

    @Test
    void scoreWritesOneRowPerRecordAndReportsAucsWithAnomalyLabels() throws Exception {
        Path f = tmp.resolve("scores.csv");
        Result r = cli("score", "--model", vae.toString(), "--data", DATA, "--method", "iw-nll", "--samples", "10",
                "--anomaly-labels", "heart", "--json", "--threads", "1", "--out", f.toString());
        ok(r);
        JsonNode j = new ObjectMapper().readTree(r.out());
        long hearts = java.util.Arrays.stream(data.test().labels()).filter(l -> l == 2).count();
        assertThat(j.get("n").asInt()).isEqualTo(80);
        assertThat(j.get("n_anomalous").asInt()).isEqualTo((int) hearts);
        assertThat(j.get("method").asText()).isEqualTo("iw-nll");
        assertThat(j.get("roc_auc").asDouble()).isBetween(0.0, 1.0);
        assertThat(j.get("pr_auc").asDouble()).isBetween(0.0, 1.0);
        List<String> lines = Files.readAllLines(f);
        assertThat(lines.get(0)).isEqualTo("id,label,score");
        assertThat(lines).hasSize(81);
        double sum = 0;
        for (String l : lines.subList(1, 81)) {
            sum += Double.parseDouble(l.split(",")[2]);
        }
        // the mean of the per-record estimates is evaluate's IW-NLL with the same K and seed
        Result ev = cli("evaluate", "--model", vae.toString(), "--data", DATA, "--iw-samples", "10", "--json", "--threads", "1");
        ok(ev);
        assertThat(sum / 80).isCloseTo(new ObjectMapper().readTree(ev.out()).get("iw_nll").asDouble(), within(1e-4));
        assertThat(ImageIO.read(tmp.resolve("scores-roc.png").toFile()).getWidth()).isEqualTo(520);
    }

    @Test
    void scoreTopListsTheHighestScoresAndDrawsThem() throws Exception {
        Path f = tmp.resolve("top.csv");
        Result r = cli("score", "--model", ae.toString(), "--data", DATA, "--top", "5", "--out", f.toString());
        ok(r);
        assertThat(r.out()).contains("80 records scored with recon-error");
        List<String> listed = r.out().lines().filter(l -> l.startsWith("  ")).map(String::strip).toList();
        assertThat(listed).hasSize(5);
        double[] all = Files.readAllLines(f).stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[2])).sorted().toArray();
        assertThat(Double.parseDouble(listed.get(0).split(",")[2])).isEqualTo(all[all.length - 1]);
        assertThat(Double.parseDouble(listed.get(4).split(",")[2])).isEqualTo(all[all.length - 5]);
        assertThat(ImageIO.read(tmp.resolve("top-top.png").toFile())).isNotNull();
    }

    @Test
    void scoreRejectsBadRequestsWithOneLine() {
        String out = tmp.resolve("bad.csv").toString();
        fails(cli("score", "--model", vae.toString(), "--data", DATA, "--method", "magic", "--out", out), 2,
                "unknown score method 'magic'; valid: neg-elbo, iw-nll, recon-prob, recon-error");
        fails(cli("score", "--model", ae.toString(), "--data", DATA, "--method", "iw-nll", "--out", out), 2,
                "needs a variational model; 'ae' has no posterior distribution (valid: recon-error)");
        fails(cli("score", "--model", tmp.resolve("nothing").toString(), "--data", DATA, "--out", out), 1, "nothing");
        fails(cli("score", "--model", vae.toString(), "--data", DATA, "--anomaly-labels", "triangle", "--out", out), 2,
                "unknown label 'triangle' in shapes; valid: square (0), ellipse (1), heart (2)");
        fails(cli("score", "--model", vae.toString(), "--data", DATA, "--out", tmp.resolve("bad.txt").toString()), 2, "must be a .csv file");
        assertThat(tmp.resolve("bad.csv")).doesNotExist();
    }

    @Test
    void densityWritesWeightsThatTrainCanSampleWithAndResumeReapplies() throws Exception {
        Path w = tmp.resolve("weights.csv");
        Result r = cli("density", "--model", vae.toString(), "--data", DATA, "--bins", "8", "--alpha", "0.05", "--out", w.toString());
        ok(r);
        List<String> lines = Files.readAllLines(w);
        assertThat(lines.get(0)).isEqualTo("id,label,density,weight");
        assertThat(lines).hasSize(401);
        double mean = lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[3])).average().orElseThrow();
        assertThat(mean).isCloseTo(1, within(1e-3));
        assertThat(r.out()).contains("most under-represented");
        assertThat(ImageIO.read(tmp.resolve("weights-over.png").toFile())).isNotNull();
        assertThat(ImageIO.read(tmp.resolve("weights-under.png").toFile())).isNotNull();

        Path run = tmp.resolve("weighted");
        ok(cli("train", "--data", DATA, "--hidden", "16", "--latent", "2", "--epochs", "1", "--batch-size", "64", "--threads", "1",
                "-q", "--sample-weights", w.toString(), "--out", run.toString()));
        String state = Files.readString(run.resolve("train.json"));
        assertThat(state).contains("\"sampleWeights\": \"" + w + "\"")
                .contains("\"sampleWeightsSha256\": \"" + org.vae4j.io.Checksums.sha256(w) + "\"");
        ok(cli("train", "--resume", run.toString(), "--epochs", "2", "-q"));
        fails(cli("train", "--resume", run.toString(), "--epochs", "3", "--sample-weights", w.toString()), 2, "cannot be changed on --resume");

        Path bad = tmp.resolve("bad-weights.csv");
        Files.writeString(bad, String.join("\n", lines.subList(0, 3)).replaceFirst(",[^,]*$", ",-2") + "\n");
        fails(cli("train", "--data", DATA, "--epochs", "1", "--sample-weights", bad.toString(), "--out", tmp.resolve("w2").toString()), 1,
                "bad-weights.csv, line 3, column weight: -2.0 is not a finite non-negative number");
    }

    @Test
    void trainOnlyLabelsKeepsThoseRecordsAndRecordsTheFilter() throws Exception {
        Path run = tmp.resolve("squares");
        Result r = cli("train", "--data", DATA, "--only-labels", "square", "--hidden", "16", "--latent", "2", "--epochs", "1",
                "--threads", "1", "-q", "--out", run.toString());
        ok(r);
        long squares = java.util.Arrays.stream(data.train().labels()).filter(l -> l == 0).count();
        long testSquares = java.util.Arrays.stream(data.test().labels()).filter(l -> l == 0).count();
        assertThat(r.out()).contains("data shapes: " + squares + " train, " + testSquares + " test records");
        assertThat(Files.readString(run.resolve("train.json"))).containsPattern("\"onlyLabels\": \\[\\s*\"square\"\\s*\\]");
        ok(cli("train", "--resume", run.toString(), "--epochs", "2", "-q"));
        // without --data the run's own data and label selection are used, so density weights fit a filtered run
        Path weights = tmp.resolve("squares-weights.csv");
        ok(cli("density", "--model", run.toString(), "--split", "train", "--out", weights.toString()));
        assertThat(Files.readAllLines(weights)).hasSize((int) squares + 1);
        ok(cli("train", "--data", DATA, "--only-labels", "square", "--sample-weights", weights.toString(), "--hidden", "16",
                "--latent", "2", "--epochs", "1", "--threads", "1", "-q", "--out", tmp.resolve("squares-weighted").toString()));
        fails(cli("train", "--data", DATA, "--exclude-labels", "circle", "--out", tmp.resolve("x").toString()), 2,
                "--exclude-labels: unknown label 'circle' in shapes; valid: square (0), ellipse (1), heart (2)");
        fails(cli("train", "--data", DATA, "--only-labels", "0", "--exclude-labels", "1", "--out", tmp.resolve("y").toString()), 2,
                "not both");
    }
}
