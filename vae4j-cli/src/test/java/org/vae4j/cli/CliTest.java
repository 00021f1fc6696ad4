package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vae4j.cli.CliRun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.CliRun.Result;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTest {
    static final String DATA = "shapes:n=400,test=80,size=16";

    @TempDir
    static Path tmp;

    static Path run;

    @BeforeAll
    static void trainOnce() {
        run = tmp.resolve("run");
        Result r = cli("train", "--data", DATA, "--arch", "mlp", "--hidden", "32", "--latent", "3", "--epochs", "2",
                "--batch-size", "32", "--threads", "1", "-q", "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("epoch 2/2").contains("done: test -ELBO");
    }

    @Test
    @Order(1)
    void trainWritesAModelMetricsAndSamples() throws Exception {
        assertThat(run.resolve("config.json")).exists();
        assertThat(run.resolve("weights.safetensors")).exists();
        assertThat(run.resolve("provenance.json")).exists();
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        assertThat(lines.get(0)).startsWith("epoch,train_loss,").contains("test_neg_elbo,test_recon,test_kl,seconds")
                .contains("images_per_s");
        assertThat(lines).hasSize(3);
        BufferedImage img = ImageIO.read(run.resolve("samples.png").toFile());
        assertThat(img.getWidth()).isGreaterThan(16 * 8);
        String prov = Files.readString(run.resolve("provenance.json"));
        assertThat(prov).contains("\"djlVersion\": \"0.35.1\"").contains("PyTorch 2.7.1").contains("\"dataHash\"")
                .contains("\"seed\": 1");
    }

    @Test
    @Order(2)
    void evaluatePrintsJsonWithTheDocumentedKeys() throws Exception {
        Result r = cli("evaluate", "--model", run.toString(), "--data", DATA, "--json", "--iw-samples", "20", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String k : List.of("neg_elbo", "recon", "kl", "active_units", "iw_nll", "iw_samples", "bits_per_dim", "n")) {
            assertThat(j.has(k)).as(k).isTrue();
        }
        assertThat(j.get("n").asInt()).isEqualTo(80);
        assertThat(j.get("iw_samples").asInt()).isEqualTo(20);
        assertThat(j.get("neg_elbo").asDouble()).isCloseTo(j.get("recon").asDouble() + j.get("kl").asDouble(),
                org.assertj.core.api.Assertions.within(1e-6));
        assertThat(j.get("iw_nll").asDouble()).isLessThan(j.get("neg_elbo").asDouble() + 1);
        assertThat(j.get("bits_per_dim").asDouble()).isPositive();
        // without --data it uses the run's own data set
        Result again = cli("evaluate", "--model", run.toString(), "--json");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(new ObjectMapper().readTree(again.out()).get("iw_nll").isNull()).isTrue();
    }

    @Test
    @Order(3)
    void sampleAndReconstructWritePngs() throws Exception {
        Path s = tmp.resolve("s.png");
        assertThat(cli("sample", "--model", run.toString(), "-n", "10", "--out", s.toString()).code()).isZero();
        BufferedImage img = ImageIO.read(s.toFile());
        assertThat(img.getHeight()).isGreaterThan(2 * 16);
        Path r = tmp.resolve("r.png");
        Result res = cli("reconstruct", "--model", run.toString(), "--data", DATA, "-n", "8", "--out", r.toString());
        assertThat(res.code()).as(res.err()).isZero();
        BufferedImage rec = ImageIO.read(r.toFile());
        assertThat(rec.getHeight()).isGreaterThan(rec.getWidth() / 8);
    }

    @Test
    void resumeContinuesToMoreEpochs() throws Exception {
        Path copy = tmp.resolve("resumable");
        Result r = cli("train", "--data", DATA, "--hidden", "16", "--latent", "2", "--epochs", "1", "--threads", "1", "-q",
                "--out", copy.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Result more = cli("train", "--resume", copy.toString(), "--epochs", "2", "-q");
        assertThat(more.code()).as(more.err()).isZero();
        assertThat(more.out()).contains("resuming").contains("epoch 2/2");
        assertThat(Files.readAllLines(copy.resolve("metrics.csv"))).hasSize(3);
    }

    @Test
    void badInputGivesOneLineErrorsAndNonZeroExits() throws Exception {
        Result missing = cli("train", "--data", "idx:" + tmp.resolve("nowhere"), "--out", tmp.resolve("x").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().trim()).doesNotContain("\n").contains("nowhere");

        Result badOpt = cli("train", "--data", DATA, "--latent", "0", "--out", tmp.resolve("y").toString());
        assertThat(badOpt.code()).isEqualTo(2);
        assertThat(badOpt.err()).contains("latent size must be in 1..4096");

        Result unknown = cli("train", "--data", DATA, "--likelihood", "poisson", "--out", tmp.resolve("z").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown likelihood 'poisson'");

        Result typo = cli("train", "--data", DATA, "--epochs", "ten", "--out", tmp.resolve("w").toString());
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err().trim()).doesNotContain("\n").contains("--epochs").contains("ten").contains("vae4j train --help");

        Result noModel = cli("evaluate", "--model", tmp.resolve("absent").toString(), "--data", DATA);
        assertThat(noModel.code()).isEqualTo(1);
        assertThat(noModel.err().trim()).doesNotContain("\n").contains("no such model directory");
    }

    @Test
    void existingRunIsNotOverwrittenWithoutForce() throws Exception {
        String before = Files.readString(run.resolve("metrics.csv"));
        Result r = cli("train", "--data", DATA, "--epochs", "1", "--out", run.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("already exists").contains("--force");
        assertThat(Files.readString(run.resolve("metrics.csv"))).isEqualTo(before);
    }

    @Test
    void mismatchedWeightsAreRejectedNamingTheTensor() throws Exception {
        Path bad = tmp.resolve("bad-model");
        Files.createDirectories(bad);
        Files.copy(run.resolve("weights.safetensors"), bad.resolve("weights.safetensors"));
        Files.writeString(bad.resolve("config.json"), Files.readString(run.resolve("config.json")).replace("\"latent\": 3", "\"latent\": 5"));
        Result r = cli("sample", "--model", bad.toString(), "--out", tmp.resolve("q.png").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().trim()).doesNotContain("\n").contains("weights.safetensors").contains("has shape");
        assertThat(tmp.resolve("q.png")).doesNotExist();
    }

    @Test
    void infoAndListDescribeThings() {
        Result info = cli("info", run.toString());
        assertThat(info.code()).isZero();
        assertThat(info.out()).contains("\"likelihood\": \"bernoulli\"").contains("test_neg_elbo");
        Result list = cli("list");
        assertThat(list.out()).contains("vae").contains("ae").contains("continuous-bernoulli").contains("shapes").contains("idx");
    }
}
