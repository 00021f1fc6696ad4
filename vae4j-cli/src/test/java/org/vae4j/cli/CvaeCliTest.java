package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
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
import org.vae4j.anomaly.AnomalyScores;
import org.vae4j.anomaly.ScoreMethod;
import org.vae4j.cli.CliRun.Result;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.LoadContext;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.eval.GenerativeClassifier;
import org.vae4j.generate.MixtureSampler;
import org.vae4j.generate.PriorSamples;
import org.vae4j.image.ImageGrid;
import org.vae4j.io.Npy;
import org.vae4j.model.VaeModel;
import org.w3c.dom.Document;

/** The conditional VAE through the command line: train's pictures and report, sample --label, evaluate, score, encode, judge. */
class CvaeCliTest {
    /** Shapes: label = shape, 0 square, 1 ellipse, 2 heart. */
    static final String DATA = "shapes:n=400,test=60,size=16";

    @TempDir
    static Path tmp;

    static Path run;
    static DataSplits splits;

    @BeforeAll
    static void trainOnce() {
        run = tmp.resolve("cvae");
        Result r = cli("train", "--data", DATA, "--model", "cvae", "--arch", "mlp", "--hidden", "32", "--latent", "3", "--epochs", "2",
                "--batch-size", "32", "--threads", "1", "-q", "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("samples.png").contains("report.html");
        splits = DataSources.load(DATA, LoadContext.defaults());
    }

    static int tile() {
        return 16 * ImageGrid.autoScale(new int[] {1, 16, 16});
    }

    static float[] npy(Path f, long... shape) {
        Npy.Array a = Npy.read(f);
        assertThat(a.shape()).containsExactly(shape);
        return a.values();
    }

    @Test
    void trainDrawsOneRowPerClassAndTheReportUsesTheLabels() throws Exception {
        BufferedImage samples = ImageIO.read(run.resolve("samples.png").toFile());
        // 3 classes × 8 samples, rows labelled on the left
        assertThat(samples.getHeight()).isEqualTo(3 * tile() + 4 * 2);
        assertThat(samples.getWidth()).isGreaterThan(8 * tile() + 9 * 2);

        String html = Files.readString(run.resolve("report.html"));
        Document doc = ReportTest.parse(html);
        assertThat(ReportTest.ids(doc, "h2")).containsExactly("summary", "per-class", "loss-curves", "samples", "reconstructions",
                "kl-per-dimension", "interpolation", "traversal");
        assertThat(html).doesNotContain("Left out").contains("one row per label").contains("each encoded and decoded with its own label")
                .contains("conditional on 3 labels");
        Map<String, BufferedImage> img = ReportTest.images(doc);
        assertThat(img.get("prior samples").getHeight()).isEqualTo(samples.getHeight());
        assertThat(img).containsKeys("reconstructions", "interpolation", "latent traversal");
        // the per-class table: every shape, and counts adding up to the records evaluated
        org.w3c.dom.NodeList rows = doc.getElementsByTagName("tr");
        long total = 0;
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < rows.getLength(); i++) {
            org.w3c.dom.NodeList cells = ((org.w3c.dom.Element) rows.item(i)).getElementsByTagName("td");
            if (cells.getLength() == 5) {
                names.add(cells.item(0).getTextContent());
                total += Long.parseLong(cells.item(1).getTextContent());
            }
        }
        assertThat(names).containsExactly("square (0)", "ellipse (1)", "heart (2)");
        assertThat(total).isEqualTo(60);
    }

    @Test
    void aSectionTheModelCannotDoIsLeftOutWithItsReason() throws Exception {
        Path r = tmp.resolve("no-sampling");
        Result t = cli("train", "--data", DATA, "--model", "test-no-sampling", "--hidden", "16", "--latent", "2", "--epochs", "1",
                "--threads", "1", "-q", "--out", r.toString());
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(t.out()).contains("model, metrics.csv, and report.html in");
        assertThat(r.resolve("samples.png")).doesNotExist();
        String html = Files.readString(r.resolve("report.html"));
        Document doc = ReportTest.parse(html);
        assertThat(ReportTest.ids(doc, "h2")).contains("samples", "reconstructions", "traversal");
        assertThat(doc.getDocumentElement().getTextContent()).contains("Left out: a 'test-no-sampling' model cannot sample from a prior.");
        assertThat(ReportTest.images(doc)).doesNotContainKey("prior samples").containsKeys("reconstructions", "latent traversal");
        expectUsage(cli("sample", "--model", r.toString(), "--out", tmp.resolve("ns.png").toString()),
                "a 'test-no-sampling' model cannot sample from a prior");
    }

    @Test
    void sampleWritesNpyPerLabelReproduciblyInAnyBatchSize() throws Exception {
        Path a = tmp.resolve("a.npy");
        Result r = cli("sample", "--model", run.toString(), "--label", "1", "-n", "10", "--out", a.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote 10 samples of label 1").contains("float32 (10, 1, 16, 16)");
        float[] va = npy(a, 10, 1, 16, 16);
        for (float v : va) {
            assertThat(v).isBetween(0f, 1f);
        }
        assertThat(r.out()).contains("from gmm:10"); // train fitted the default sampler
        // the same as the library's own sampling with the fit train saved, and --sampler prior as the model's own
        Path p = tmp.resolve("prior.npy");
        assertThat(cli("sample", "--model", run.toString(), "--label", "1", "-n", "10", "--sampler", "prior", "--out",
                p.toString()).out()).contains("from the prior N(0, I)");
        float[] vp = npy(p, 10, 1, 16, 16);
        try (VaeModel m = VaeModel.load(run)) {
            MixtureSampler gmm = MixtureSampler.load(run, 10, m);
            assertThat(gmm).isNotNull();
            float[] lib = PriorSamples.sample(m, 10, 1, PriorSamples.Labels.fixed(1), gmm);
            float[] prior = m.sample(10, 1, Report.filled(10, 1));
            for (int i = 0; i < va.length; i++) {
                assertThat(va[i]).isCloseTo(lib[i], within(1e-6f));
                assertThat(vp[i]).isCloseTo(prior[i], within(1e-6f));
            }
        }
        // by name, in other batch sizes, more of them: the first ten are the same samples
        Path b = tmp.resolve("b.npy");
        assertThat(cli("sample", "--model", run.toString(), "--label", "ellipse", "-n", "25", "--batch-size", "7", "--out",
                b.toString()).code()).isZero();
        float[] vb = npy(b, 25, 1, 16, 16);
        for (int i = 0; i < va.length; i++) {
            assertThat(vb[i]).isCloseTo(va[i], within(1e-6f));
        }
        // another label, other pictures from the same codes
        Path c = tmp.resolve("c.npy");
        assertThat(cli("sample", "--model", run.toString(), "--label", "heart", "-n", "10", "--out", c.toString()).code()).isZero();
        double diff = 0;
        float[] vc = npy(c, 10, 1, 16, 16);
        for (int i = 0; i < va.length; i++) {
            diff += Math.abs(vc[i] - va[i]) / va.length;
        }
        assertThat(diff).isGreaterThan(1e-3);
        // --label all: sample i has label i mod 3, so sample 4 is label 1's sample 4
        Path all = tmp.resolve("all.npy");
        assertThat(cli("sample", "--model", run.toString(), "--label", "all", "-n", "6", "--out", all.toString()).code()).isZero();
        float[] vall = npy(all, 6, 1, 16, 16);
        for (int j = 0; j < 256; j++) {
            assertThat(vall[4 * 256 + j]).isCloseTo(va[4 * 256 + j], within(1e-6f));
        }

        // existing files are kept unless --force
        byte[] before = Files.readAllBytes(a);
        Result again = cli("sample", "--model", run.toString(), "--label", "2", "-n", "10", "--out", a.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err().trim()).doesNotContain("\n").contains("already exists; use --force");
        assertThat(Files.readAllBytes(a)).isEqualTo(before);
        assertThat(cli("sample", "--model", run.toString(), "--label", "2", "-n", "10", "--out", a.toString(), "--force").code()).isZero();
        assertThat(Files.readAllBytes(a)).isNotEqualTo(before);

        // a picture without --label: one row per class
        Path png = tmp.resolve("grid.png");
        assertThat(cli("sample", "--model", run.toString(), "-n", "12", "--out", png.toString()).code()).isZero();
        assertThat(ImageIO.read(png.toFile()).getHeight()).isEqualTo(3 * tile() + 4 * 2);
    }

    @Test
    void badLabelsAndSizesAreOneLineUsageErrors() throws Exception {
        String m = run.toString();
        expectUsage(cli("sample", "--model", m, "-n", "5", "--out", tmp.resolve("n.npy").toString()),
                "is conditional: give --label K");
        expectUsage(cli("sample", "--model", m, "--label", "3", "--out", tmp.resolve("n.npy").toString()),
                "--label 3 is out of range: this model knows labels 0..2");
        expectUsage(cli("sample", "--model", m, "--label", "circle", "--out", tmp.resolve("n.npy").toString()),
                "--label: unknown label 'circle'; valid: 0 square, 1 ellipse, 2 heart");
        expectUsage(cli("sample", "--model", m, "--label", "1", "-n", "100001", "--out", tmp.resolve("n.npy").toString()),
                "-n must be in 1..100000 for .npy");
        expectUsage(cli("sample", "--model", m, "-n", "1025", "--out", tmp.resolve("n.png").toString()), "-n must be in 1..1024 for .png");
        expectUsage(cli("sample", "--model", m, "--label", "1", "--out", tmp.resolve("n.jpg").toString()), "must be a .png or .npy file");
        assertThat(tmp.resolve("n.npy")).doesNotExist();
        // an unconditional model takes no label
        Path vae = tmp.resolve("vae");
        assertThat(cli("train", "--data", DATA, "--hidden", "16", "--latent", "2", "--epochs", "1", "--threads", "1", "-q", "--out",
                vae.toString()).code()).isZero();
        expectUsage(cli("sample", "--model", vae.toString(), "--label", "0", "--out", tmp.resolve("v.npy").toString()),
                "--label: a 'vae' model cannot condition on a label");
        expectUsage(cli("evaluate", "--model", vae.toString(), "--classify"), "cannot condition on a label");
        Result plain = cli("sample", "--model", vae.toString(), "-n", "4", "--out", tmp.resolve("v.npy").toString());
        assertThat(plain.code()).as(plain.err()).isZero();
        npy(tmp.resolve("v.npy"), 4, 1, 16, 16);
    }

    @Test
    void trainSavesAGmmSamplerAndSampleTakesAnyOther() throws Exception {
        assertThat(run.resolve("sampler-gmm-10.json")).exists();
        // gmm:3 is fitted on first use from the run's own data, saved, and reused
        Path g = tmp.resolve("g3.npy");
        Result r = cli("sample", "--model", run.toString(), "--label", "2", "-n", "5", "--sampler", "gmm:3", "--out", g.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("gmm:3 fitted by EM").contains("one mixture per label");
        assertThat(run.resolve("sampler-gmm-3.json")).exists();
        Path g2 = tmp.resolve("g3b.npy");
        Result again = cli("sample", "--model", run.toString(), "--label", "2", "-n", "5", "--sampler", "gmm:3", "--out", g2.toString());
        assertThat(again.err()).doesNotContain("fitted");
        assertThat(npy(g2, 5, 1, 16, 16)).isEqualTo(npy(g, 5, 1, 16, 16));
        expectUsage(cli("sample", "--model", run.toString(), "--label", "2", "--sampler", "gmm:zero", "--out",
                tmp.resolve("x.png").toString()), "--sampler gmm:K needs a whole number K");
        expectUsage(cli("sample", "--model", run.toString(), "--label", "2", "--sampler", "flow", "--out",
                tmp.resolve("x.png").toString()), "--sampler must be auto, prior or gmm:K");
    }

    static void expectUsage(Result r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().trim()).doesNotContain("\n").contains(message);
    }

    @Test
    void evaluateReportsPerClassFiguresAndTheGenerativeClassifier() throws Exception {
        Result r = cli("evaluate", "--model", run.toString(), "--json", "--classify", "--classify-samples", "5", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        JsonNode pc = j.get("per_class");
        assertThat(pc).hasSize(3);
        long n = 0;
        double weighted = 0;
        for (JsonNode c : pc) {
            n += c.get("n").asLong();
            weighted += c.get("neg_elbo").asDouble() * c.get("n").asLong();
        }
        assertThat(n).isEqualTo(60);
        assertThat(weighted / n).isCloseTo(j.get("neg_elbo").asDouble(), within(1e-6));
        assertThat(pc.get(2).get("name").asText()).isEqualTo("heart");
        JsonNode g = j.get("classifier");
        assertThat(g.get("n").asInt()).isEqualTo(60);
        assertThat(g.get("iw_samples").asInt()).isEqualTo(5);
        assertThat(g.get("accuracy").asDouble()).isCloseTo(g.get("correct").asDouble() / 60, within(1e-12));
        // the command only prints what the library computes with the training split's label frequencies
        try (VaeModel m = VaeModel.load(run)) {
            ArrayDataset test = splits.test().materialize();
            GenerativeClassifier.Result lib = GenerativeClassifier.classify(m, test.data(), test.labels(), 60,
                    GenerativeClassifier.logPrior(splits.train().labels(), 3), 5, 1, null);
            assertThat(g.get("correct").asLong()).isEqualTo(lib.correct());
            assertThat(g.get("nll").asDouble()).isCloseTo(lib.meanNll(), within(1e-9));
        }
        Result text = cli("evaluate", "--model", run.toString(), "--classify", "--classify-samples", "5", "--threads", "1");
        assertThat(text.out()).contains("per label (each record evaluated with its own label)").contains("ellipse")
                .contains("generative classifier: accuracy");
    }

    @Test
    void scoreAndEncodeUseEachRecordsLabel() throws Exception {
        Path codes = tmp.resolve("codes.csv");
        Result e = cli("encode", "--model", run.toString(), "--out", codes.toString());
        assertThat(e.code()).as(e.err()).isZero();
        List<String> lines = Files.readAllLines(codes);
        assertThat(lines).hasSize(61);
        Path scores = tmp.resolve("scores.csv");
        Result s = cli("score", "--model", run.toString(), "--method", "neg-elbo", "--out", scores.toString());
        assertThat(s.code()).as(s.err()).isZero();
        List<String> scoreLines = Files.readAllLines(scores);
        try (VaeModel m = VaeModel.load(run)) {
            ArrayDataset test = splits.test().materialize();
            float[] x0 = test.record(0);
            int y0 = test.labels()[0];
            float mu0 = m.encode(x0, 1, new int[] {y0}).mu()[0];
            float other = m.encode(x0, 1, new int[] {(y0 + 1) % 3}).mu()[0];
            String[] row = lines.get(1).split(",");
            assertThat(row[1]).isEqualTo(ShapesName.of(y0));
            assertThat(Float.parseFloat(row[2])).isCloseTo(mu0, within(1e-5f));
            assertThat(Math.abs(mu0 - other)).isGreaterThan(1e-4f);
            double[] lib = AnomalyScores.score(m, test.data(), test.labels(), 60, ScoreMethod.NEG_ELBO, 1, 1, null);
            assertThat(Double.parseDouble(scoreLines.get(1).split(",")[2])).isCloseTo(lib[0], within(1e-5));
            assertThat(Double.parseDouble(scoreLines.get(60).split(",")[2])).isCloseTo(lib[59], within(1e-5));
        }
        // reconstruct: each record with its own label
        Path rec = tmp.resolve("rec.png");
        Result rr = cli("reconstruct", "--model", run.toString(), "--data", DATA, "-n", "8", "--out", rec.toString());
        assertThat(rr.code()).as(rr.err()).isZero();
        assertThat(ImageIO.read(rec.toFile()).getHeight()).isEqualTo(2 * tile() + 3 * 2);
        // unlabelled data: one line, exit 1
        Path pics = tmp.resolve("pics");
        Files.createDirectories(pics);
        for (int i = 0; i < 6; i++) {
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setSample(i, i, 0, 255);
            ImageIO.write(img, "png", pics.resolve("p" + i + ".png").toFile());
        }
        Result unlabelled = cli("score", "--model", run.toString(), "--data", "images:" + pics + ",val=0.5,cache-dir=" + tmp.resolve("cache"),
                "--out", tmp.resolve("u.csv").toString());
        assertThat(unlabelled.code()).as(unlabelled.err()).isEqualTo(1);
        String[] errLines = unlabelled.err().trim().split("\n");
        assertThat(errLines[errLines.length - 1]).isEqualTo("vae4j: images:pics: a conditional model ('cvae') needs labelled records");
        Result enc = cli("encode", "--model", run.toString(), "--data", "images:" + pics + ",val=0.5,cache-dir=" + tmp.resolve("cache"),
                "--out", tmp.resolve("u2.csv").toString());
        assertThat(enc.code()).isEqualTo(1);
        assertThat(enc.err()).contains("needs labelled records");
    }

    /** The shapes data set's label names. */
    static final class ShapesName {
        static String of(int y) {
            return List.of("square", "ellipse", "heart").get(y);
        }
    }

    @Test
    void judgeLabelsSamplesWithAClassifierItKeeps() throws Exception {
        Path s = tmp.resolve("judge-samples.npy");
        assertThat(cli("sample", "--model", run.toString(), "--label", "0", "-n", "40", "--out", s.toString()).code()).isZero();
        Path clf = tmp.resolve("clf");
        // the classifier learns from more shapes than the cvae did (same size of image): about 73% of test shapes right
        String judgeData = "shapes:n=2000,test=300,size=16";
        Result first = cli("judge", "--data", judgeData, "--samples", s.toString(), "--label", "square", "--classifier", clf.toString(),
                "--classifier-arch", "mlp", "--epochs", "20", "--threads", "1", "--json", "-");
        assertThat(first.code()).as(first.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(first.out());
        assertThat(j.get("n").asInt()).isEqualTo(40);
        double sum = 0;
        for (JsonNode v : j.get("shares")) {
            sum += v.asDouble();
        }
        assertThat(sum).isCloseTo(1, within(1e-9));
        assertThat(j.get("asked_label_share").asDouble()).isEqualTo(j.get("shares").get(0).asDouble());
        assertThat(j.get("classifier").get("trained").asBoolean()).isTrue();
        assertThat(j.get("classifier").get("test_accuracy").asDouble()).isGreaterThan(0.6);
        assertThat(j.get("fd").asDouble()).isPositive();
        Result second = cli("judge", "--data", judgeData, "--samples", s.toString(), "--label", "0", "--classifier", clf.toString(),
                "--classifier-arch", "mlp", "--epochs", "20", "--json", "-");
        JsonNode j2 = new ObjectMapper().readTree(second.out());
        assertThat(j2.get("classifier").get("trained").asBoolean()).isFalse();
        assertThat(j2.get("shares")).isEqualTo(j.get("shares"));
        assertThat(j2.get("fd").asDouble()).isEqualTo(j.get("fd").asDouble());
        assertThat(j2.get("classifier").get("test_accuracy").asDouble()).isEqualTo(j.get("classifier").get("test_accuracy").asDouble());
        // a classifier of other data is not used for this data
        Result other = cli("judge", "--data", DATA, "--samples", s.toString(), "--classifier", clf.toString());
        expectUsage(other, "holds a classifier trained on other data");
        expectUsage(cli("judge", "--data", DATA, "--samples", s.toString(), "--label", "circle"), "--label: unknown label 'circle'");

        // --model: prior samples of the cvae, cycling over its labels; the run's own data when --data is not given
        Result model = cli("judge", "--model", run.toString(), "-n", "60", "--classifier", clf.toString(), "--threads", "1", "--json", "-",
                "--data", judgeData);
        assertThat(model.code()).as(model.err()).isZero();
        JsonNode jm = new ObjectMapper().readTree(model.out());
        assertThat(jm.get("n").asInt()).isEqualTo(60);
        assertThat(jm.get("samples").asText()).contains("labels cycling over 3");
        assertThat(jm.get("asked_label_share").asDouble()).isBetween(0.0, 1.0);
        assertThat(jm.get("samples").asText()).contains("from gmm:10"); // the sampler train saved, as sample's default
        Result prior = cli("judge", "--model", run.toString(), "-n", "60", "--classifier", clf.toString(), "--threads", "1", "--json", "-",
                "--data", judgeData, "--sampler", "prior");
        assertThat(prior.code()).as(prior.err()).isZero();
        JsonNode jp = new ObjectMapper().readTree(prior.out());
        assertThat(jp.get("samples").asText()).contains("from the prior");
        assertThat(jp.get("fd").asDouble()).isNotEqualTo(jm.get("fd").asDouble());
        Result fixed = cli("judge", "--model", run.toString(), "-n", "60", "--label", "heart", "--cache-dir", tmp.resolve("cache").toString(),
                "--classifier-arch", "mlp", "--epochs", "1", "--threads", "1");
        assertThat(fixed.code()).as(fixed.err()).isZero();
        assertThat(fixed.out()).contains("60 samples of").contains("label 2").contains("share carrying the asked label")
                .contains("NOT Inception FID");
    }
}
