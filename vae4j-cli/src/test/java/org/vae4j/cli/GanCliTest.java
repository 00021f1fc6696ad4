package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vae4j.cli.CliRun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.CliRun.Result;
import org.vae4j.image.ImageGrid;
import org.vae4j.train.EpochMetrics;
import org.w3c.dom.Document;

/** The GAN through the command line: train's options and defaults, metrics, report, sample, interpolate/traverse --seed, refusals. */
class GanCliTest {
    static final String DATA = "shapes:n=300,test=60,size=16";

    @TempDir
    static Path tmp;

    static Path run;
    static Result trained;

    @BeforeAll
    static void trainOnce() {
        run = tmp.resolve("gan");
        trained = cli("train", "--data", DATA, "--model", "gan", "--arch", "mlp", "--hidden", "32", "--latent", "3", "--epochs", "2",
                "--batch-size", "32", "--threads", "1", "-q", "--gan-loss", "minimax", "--d-steps", "2", "--r1", "0.5", "--g-init", "he",
                "--out", run.toString());
        assertThat(trained.code()).as(trained.err()).isZero();
    }

    static int tile() {
        return 16 * ImageGrid.autoScale(new int[] {1, 16, 16});
    }

    @Test
    void trainTakesTheGanOptionsAndItsDefaultsAndReportsItsOwnTerms() throws Exception {
        JsonNode config = new ObjectMapper().readTree(run.resolve("config.json").toFile());
        assertThat(config.get("model").get("type").asText()).isEqualTo("gan");
        assertThat(config.get("model").get("loss").asText()).isEqualTo("minimax");
        assertThat(config.get("model").get("dSteps").asInt()).isEqualTo(2);
        assertThat(config.get("model").get("r1").asDouble()).isEqualTo(0.5);
        assertThat(config.get("model").get("gInit").asText()).isEqualTo("he");
        assertThat(config.get("likelihood").asText()).isEqualTo("bernoulli");
        JsonNode state = new ObjectMapper().readTree(run.resolve("train.json").toFile());
        assertThat(state.get("training").get("lr").asDouble()).as("a GAN's default lr").isEqualTo(2e-4);
        assertThat(state.get("training").get("beta1").asDouble()).as("a GAN's default β1").isEqualTo(0.5);
        assertThat(state.get("training").get("beta2").asDouble()).isEqualTo(0.999);

        String header = Files.readAllLines(run.resolve("metrics.csv")).get(0);
        assertThat(header).endsWith("train_d_loss,train_g_loss,train_d_real,train_d_fake,test_d_loss,test_g_loss,test_d_real,test_d_fake");
        List<EpochMetrics> rows = EpochMetrics.readCsv(run.resolve("metrics.csv"));
        assertThat(rows).hasSize(2);
        for (EpochMetrics e : rows) {
            assertThat(e.testNegElbo()).isNaN();
            for (Map.Entry<String, Double> t : e.extra().entrySet()) {
                assertThat(t.getValue()).as(t.getKey()).isFinite();
            }
            assertThat(e.extra().get("train_d_real")).isBetween(0.0, 1.0);
            assertThat(e.extra().get("test_d_fake")).isBetween(0.0, 1.0);
        }
        assertThat(trained.out()).contains("epoch 2/2  train d_loss").contains("| test d_loss").contains("done after 2 epochs")
                .doesNotContain("-ELBO");
        // the best epoch is the last one
        assertThat(Files.readAllBytes(run.resolve("checkpoints").resolve("best.safetensors")))
                .isEqualTo(Files.readAllBytes(run.resolve("checkpoints").resolve("epoch-0002.safetensors")));

        String html = Files.readString(run.resolve("report.html"));
        Document doc = ReportTest.parse(html);
        assertThat(ReportTest.ids(doc, "h2")).contains("summary", "loss-curves", "samples", "interpolation", "traversal");
        assertThat(html).contains("64 generator outputs G(z)").contains("final d_fake (train / test)")
                .contains("Left out: a &#39;gan&#39; model cannot encode records").doesNotContain("−ELBO (one sampled z)");
        assertThat(ReportTest.images(doc)).containsKeys("prior samples", "interpolation", "latent traversal", "d_loss per epoch",
                "d_fake per epoch");
        assertThat(run.resolve("samples.png")).exists();
    }

    @Test
    void sampleInterpolateAndTraverseWorkFromPriorCodes() throws Exception {
        Path s = tmp.resolve("s.png");
        Result r = cli("sample", "--model", run.toString(), "-n", "16", "--out", s.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(ImageIO.read(s.toFile())).isNotNull();

        Path path = tmp.resolve("path.png");
        r = cli("interpolate", "--model", run.toString(), "--seed", "7", "--steps", "6", "--out", path.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("between two codes drawn from the prior N(0, I) (seed 7)");
        BufferedImage img = ImageIO.read(path.toFile());
        assertThat(img.getWidth()).isGreaterThanOrEqualTo(6 * tile());
        assertThat(img.getHeight()).isLessThan(2 * tile());

        Path trav = tmp.resolve("trav.png");
        r = cli("traverse", "--model", run.toString(), "--seed", "7", "--out", trav.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("drawn from the prior N(0, I) with seed 7");
        Path trav0 = tmp.resolve("trav0.png");
        assertThat(cli("traverse", "--model", run.toString(), "--out", trav0.toString()).code()).isZero();
        assertThat(Files.readAllBytes(trav0)).as("a prior code is not the origin").isNotEqualTo(Files.readAllBytes(trav));
    }

    @Test
    void whatNeedsAnEncoderIsRefusedInOneLineWithExitCode2() {
        String cannot = "a 'gan' model cannot encode records";
        List<String[]> calls = List.of(
                new String[] {"evaluate", "--model", run.toString()},
                new String[] {"encode", "--model", run.toString(), "--out", tmp.resolve("e.csv").toString()},
                new String[] {"score", "--model", run.toString(), "--out", tmp.resolve("sc.csv").toString()},
                new String[] {"reconstruct", "--model", run.toString(), "--out", tmp.resolve("r.png").toString()},
                new String[] {"interpolate", "--model", run.toString(), "--from", "0", "--to", "1", "--out", tmp.resolve("i.png").toString()},
                new String[] {"traverse", "--model", run.toString(), "--index", "0", "--out", tmp.resolve("t.png").toString()});
        for (String[] c : calls) {
            Result r = cli(c);
            assertThat(r.code()).as(String.join(" ", c) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip()).as(c[0]).contains(cannot).doesNotContain("\n").doesNotContain("Exception");
        }
    }

    @Test
    void aConvGanGetsHeInitialisationAndR1UnlessTold() throws Exception {
        // a conv generator under PyTorch's initialisation starts (and stays) collapsed: its defaults are he and r1 = 10
        Path conv = tmp.resolve("conv");
        Result r = cli("train", "--data", DATA, "--model", "gan", "--arch", "conv", "--channels", "4,8", "--hidden", "16", "--latent", "3",
                "--epochs", "1", "--batch-size", "32", "--threads", "1", "-q", "--out", conv.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode model = new ObjectMapper().readTree(conv.resolve("config.json").toFile()).get("model");
        assertThat(model.get("gInit").asText()).isEqualTo("he");
        assertThat(model.get("r1").asDouble()).isEqualTo(10.0);
        Path told = tmp.resolve("conv-told");
        r = cli("train", "--data", DATA, "--model", "gan", "--arch", "conv", "--channels", "4,8", "--hidden", "16", "--latent", "3",
                "--epochs", "1", "--batch-size", "32", "--threads", "1", "-q", "--g-init", "pytorch", "--r1", "0", "--out", told.toString());
        assertThat(r.code()).as(r.err()).isZero();
        model = new ObjectMapper().readTree(told.resolve("config.json").toFile()).get("model");
        assertThat(model.get("gInit").asText()).isEqualTo("pytorch");
        assertThat(model.get("r1").asDouble()).isEqualTo(0.0);
    }

    @Test
    void optionsAGanDoesNotTakeAreRefused() {
        Result r = cli("train", "--data", DATA, "--model", "gan", "--beta", "2", "--epochs", "1", "-q", "--out", tmp.resolve("b").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no weighted KL term");
        r = cli("train", "--data", DATA, "--model", "vae", "--d-steps", "2", "--epochs", "1", "-q", "--out", tmp.resolve("v").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("model 'vae' does not take option 'd-steps'");
        r = cli("train", "--data", DATA, "--model", "gan", "--gan-loss", "wasserstein", "--epochs", "1", "-q", "--out",
                tmp.resolve("w").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--gan-loss must be minimax or non-saturating, got 'wasserstein'");
        r = cli("train", "--data", DATA, "--model", "gan", "--g-init", "xavier", "--epochs", "1", "-q", "--out", tmp.resolve("x").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("gan option g-init must be pytorch or he, got 'xavier'");
        r = cli("train", "--data", DATA, "--model", "vae", "--g-init", "he", "--epochs", "1", "-q", "--out", tmp.resolve("vh").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("model 'vae' does not take option 'g-init'");
    }
}
