package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** {@code vae4j lectures} on tiny data: one page, seven captioned sections, every picture a readable PNG. */
class LecturesTest {
    @TempDir
    Path tmp;

    /** Captions by section id: the {@code p.caption} elements between one {@code h2} and the next. */
    static Map<String, List<String>> captions(Document doc) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Element body = (Element) doc.getElementsByTagName("body").item(0);
        String current = null;
        for (Node n = body.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) {
                continue;
            }
            if (e.getTagName().equals("h2")) {
                current = e.getAttribute("id");
                out.put(current, new ArrayList<>());
            } else if (current != null && e.getTagName().equals("p") && e.getAttribute("class").equals("caption")) {
                out.get(current).add(e.getTextContent());
            }
        }
        return out;
    }

    static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("'%s' in %s", regex, text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void writesOneReportWithFiveCaptionedSections() throws Exception {
        Path dir = tmp.resolve("lectures");
        CliRun.Result r = CliRun.cli("lectures", "--data", "shapes:n=300,test=60,size=16", "--out", dir.toString(), "--epochs", "2",
                "--hidden", "32", "--beta-hidden", "32", "--latent", "4", "--records", "60", "--reference", "300", "--prior-samples", "100",
                "--pairs", "5", "--grad-records", "2", "--grad-samples", "300", "--iw-samples", "10", "-q", "--cache-dir",
                tmp.resolve("judge-cache").toString());
        assertThat(r.code()).as(r.err()).isZero();
        String html = Files.readString(dir.resolve("index.html"));
        // summary.md: the README's table for this data set, the rows bench/lectures-table joins
        List<String> summary = Files.readAllLines(dir.resolve(LecturesCommand.SUMMARY));
        assertThat(summary.get(0)).isEqualTo("| measured | shapes AE | shapes VAE |");
        for (int i = 0; i < LecturesCommand.TABLE_ROWS.size(); i++) {
            assertThat(summary.get(2 + i)).startsWith("| " + LecturesCommand.TABLE_ROWS.get(i))
                    .matches("\\| .* \\| [\\d.]+.* \\| [\\d.]+.* \\|");
        }
        assertThat(summary.get(2 + LecturesCommand.TABLE_ROWS.size() - 1)).contains("(even: 11.1%)");
        // the table's sample figures are the yardstick's (the same as the page's and the printed ones), not the old measure
        String fdRow = summary.stream().filter(l -> l.startsWith("| prior samples: Fréchet distance")).findFirst().orElseThrow();
        String precisionRow = summary.stream().filter(l -> l.startsWith("| prior samples data-like (precision)")).findFirst().orElseThrow();
        assertThat(summary).anyMatch(l -> l.startsWith("β sweep on shapes (4-D latent; recon / KL in nats): "))
                .anyMatch(l -> l.matches("Gradient variance on shapes .*: [\\d,]+× \\([\\d,]+× with a baseline\\)\\."));
        assertThat(html).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");
        Document doc = ReportTest.parse(html);
        Map<String, List<String>> caps = captions(doc);
        assertThat(caps.keySet()).containsSubsequence("s1", "s2", "s3", "s4", "s5", "s6");
        for (String s : List.of("s1", "s2", "s3", "s4", "s5", "s6")) {
            assertThat(caps.get(s)).as(s).isNotEmpty();
            for (String c : caps.get(s)) {
                // captions are written from measured numbers
                assertThat(c).as(s).containsPattern("\\d+\\.\\d+");
            }
        }

        // the captions carry the same numbers the command prints
        String out = r.out();
        double aeDist = number(out, "mean distance from origin AE (\\d+\\.\\d+)");
        double vaeDist = number(out, "vs VAE (\\d+\\.\\d+);");
        String s1 = caps.get("s1").get(0);
        assertThat(s1).contains(String.format(java.util.Locale.ROOT, "codes lie on average %.2f from the origin and the VAE's %.2f", aeDist, vaeDist));
        // sample realism comes from the yardstick (a classifier of the shapes), not from the models' own reconstructions
        double aeFd = number(out, "Fréchet distance \\(classifier features, not Inception FID\\) (\\d+\\.\\d+) vs");
        assertThat(fdRow).startsWith(String.format(java.util.Locale.ROOT, "| prior samples: Fréchet distance (classifier features, not "
                + "Inception FID) | %.1f | ", aeFd));
        double aePrecision = number(out, "\\(2\\) prior samples realistic \\(precision\\): AE (\\d+\\.\\d)%");
        assertThat(precisionRow).startsWith(String.format(java.util.Locale.ROOT, "| prior samples data-like (precision) | %.1f%% | ", aePrecision));
        assertThat(caps.get("s2").get(0)).startsWith("100 codes drawn from N(0, I) and decoded, judged by the yardstick against the 60 test images")
                .contains(String.format(java.util.Locale.ROOT, "Fréchet distance %.3f for the autoencoder", aeFd)).contains("not Inception FID");
        assertThat(caps.get("s1").get(0)).contains("look like data to the yardstick");
        assertThat(caps.get("s3").get(0)).contains("judged by the yardstick");
        assertThat(caps.get("s4").get(0)).contains("Decoded prior samples judged by the yardstick: Fréchet distance ");
        assertThat(html).contains("Decoded images are judged by the yardstick of ").contains("a conv classifier (30 epochs, 128 features) trained "
                + "on the 300 training images");
        assertThat(Files.list(tmp.resolve("judge-cache")).count()).isEqualTo(1);
        assertThat(caps.get("s3").get(0)).containsPattern("Over 5 pairs of test images");
        String s4 = caps.get("s4").get(0);
        assertThat(s4).startsWith("From β = 0.5 to β = 10, the KL term goes ").containsPattern("(\\d+\\.\\d\\d → ){3}\\d+\\.\\d\\d nats");
        // the gradient comparison: the score function is the noisier estimator, by the printed factor
        double ratio = number(out, "score function [^(]*\\((\\d+)×");
        assertThat(ratio).isGreaterThan(1);
        assertThat(caps.get("s5").get(0)).contains(String.format(java.util.Locale.ROOT, "%.0f times larger", ratio))
                .contains("Over 2 test images × 300 samples each");
        // the core's verdict on that claim, with its rule, follows the caption
        assertThat(html).contains("In line with the claim: The reparameterised gradient estimator is less noisy than the score function. "
                + "Rule: in line with the claim only when the check holds.");

        // the β table has one row per β
        NodeList tables = doc.getElementsByTagName("table");
        boolean found = false;
        for (int i = 0; i < tables.getLength(); i++) {
            Element t = (Element) tables.item(i);
            if (t.getTextContent().contains("posterior σ")) {
                assertThat(t.getElementsByTagName("tr").getLength()).isEqualTo(1 + 4);
                found = true;
            }
        }
        assertThat(found).isTrue();

        // every picture is a file next to the page, a readable PNG of sane size
        NodeList imgs = doc.getElementsByTagName("img");
        assertThat(imgs.getLength()).isGreaterThanOrEqualTo(17);
        for (int i = 0; i < imgs.getLength(); i++) {
            String src = ((Element) imgs.item(i)).getAttribute("src");
            assertThat(src).endsWith(".png").doesNotContain("/");
            BufferedImage img = ImageIO.read(dir.resolve(src).toFile());
            assertThat(img).as(src).isNotNull();
            assertThat(img.getWidth()).as(src).isBetween(40, 2000);
            assertThat(img.getHeight()).as(src).isBetween(20, 2000);
        }
        assertThat(dir.resolve("traverse-beta-0_5.png")).exists();
        assertThat(dir.resolve("gradient-variance.png")).exists();

        // section 6: the prior's holes on the 2-D VAE, the printed share in the caption, prior against gmm samples
        double holes = number(out, "\\(6\\) prior's holes: N\\(0, I\\) draws in a hole (\\d+\\.\\d)%");
        String s6 = caps.get("s6").get(0);
        assertThat(s6).startsWith("A 10-component Gaussian mixture fitted by EM to the VAE's 300 training codes")
                .contains(String.format(java.util.Locale.ROOT, "Of 100 codes drawn from N(0, I), %.1f%% land in a hole", holes))
                .contains("Fréchet distance").contains("VampPrior (model 'vamp'");
        assertThat(html).contains("N(0, I) draws land where no code lies; sampling where the codes are gives more realistic samples. Rule: ");
        assertThat(dir.resolve("holes-samples.png")).exists();

        // section 7: a GAN with the β = 1 VAE's decoder against that VAE, on the same data and epochs
        assertThat(caps.keySet()).containsSubsequence("s6", "s7", "setup");
        assertThat(caps.get("s7")).hasSize(4);
        Matcher g7 = Pattern.compile("\\(7\\) GAN against β-VAE β = 1: precision (\\d+\\.\\d)% vs (\\d+\\.\\d)%, recall .*; Fréchet distance "
                + "(\\d+\\.\\d+) vs (\\d+\\.\\d+); Laplacian variance (\\d\\.\\d{4}) vs (\\d\\.\\d{4}) \\(test images (\\d\\.\\d{4})\\); "
                + "G's gradient norm after (\\d+) D updates \\(D\\(G\\(z\\)\\) (\\d\\.\\d+)\\): minimax (\\S+) vs non-saturating (\\S+) "
                + "\\(ratio (\\S+)\\); last epoch D\\(x\\) (\\d\\.\\d+), D\\(G\\(z\\)\\) (\\d\\.\\d+)").matcher(out);
        assertThat(g7.find()).as(out).isTrue();
        String samples7 = caps.get("s7").get(0);
        // the caption carries the printed figures: FD, precision and sharpness of both models and of the test images
        assertThat(samples7).startsWith("100 samples of each model judged by the yardstick against the 60 test images: Fréchet distance "
                + g7.group(3) + " for the GAN and " + g7.group(4) + " for the β-VAE β = 1")
                .contains("precision " + g7.group(1) + "% and " + g7.group(2) + "%")
                .contains("Variance of the Laplacian (sharpness): " + g7.group(5) + " for the GAN's samples, " + g7.group(6)
                        + " for the VAE's, " + g7.group(7) + " for the test images");
        // the saturation: D rejects the samples, the minimax gradient is under a tenth of the non-saturating one
        assertThat(Double.parseDouble(g7.group(9))).isLessThan(0.05);
        double mm = Double.parseDouble(g7.group(10));
        double ns = Double.parseDouble(g7.group(11));
        assertThat(mm).isGreaterThan(0).isLessThan(0.1 * ns);
        assertThat(caps.get("s7").get(1)).contains("After " + g7.group(8) + " updates of D alone").contains("In line with the claim: where D "
                + "rejects the samples");
        assertThat(html).contains("In line with the claim: Early in training, while D rejects G&#39;s samples, the minimax loss gives G a "
                + "far weaker gradient than the non-saturating loss. Rule: in line with the claim only when both checks hold");
        // D over training: two epochs, the last epoch's printed figures in the caption, a verdict with its rule
        double dReal = Double.parseDouble(g7.group(13));
        double dFake = Double.parseDouble(g7.group(14));
        assertThat(dReal).isBetween(0.0, 1.0);
        assertThat(dFake).isBetween(0.0, 1.0);
        assertThat(caps.get("s7").get(2)).containsPattern("to " + g7.group(13) + " at epoch 2 and D\\(G\\(z\\)\\) from \\d\\.\\d{3} to "
                + g7.group(14)).containsPattern("D\\(x\\) − D\\(G\\(z\\)\\) per epoch: -?\\d\\.\\d{3} → -?\\d\\.\\d{3}\\. ");
        assertThat(html).contains("Training moves the game towards its optimum, where D cannot tell real from generated. Rule: ");
        // what the VAE can do that the GAN cannot, from the models' capabilities
        assertThat(caps.get("s7").get(3)).startsWith("Read from the models' capabilities (model.can): the β-VAE β = 1 can encode records (")
                .contains("give a posterior distribution q(z|x)").contains("estimate log p(x) by importance sampling")
                .doesNotContain("sample from a prior");
        boolean capTable = false;
        for (int i = 0; i < tables.getLength(); i++) {
            Element t = (Element) tables.item(i);
            if (t.getTextContent().contains("capability (model.can)")) {
                NodeList tr = t.getElementsByTagName("tr");
                assertThat(tr.getLength()).isEqualTo(1 + org.vae4j.model.Capability.values().length);
                assertThat(tr.item(1).getTextContent()).startsWith("encode recordsyesno");
                capTable = true;
            }
        }
        assertThat(capTable).isTrue();
        assertThat(dir.resolve("gan-samples.png")).exists();
        assertThat(dir.resolve("gan-discriminator.png")).exists();
        // summary.md carries the section's figures as one line (its table's columns are the AE and the VAE)
        assertThat(summary).anyMatch(l -> l.startsWith("GAN vs β-VAE β = 1 on shapes (same decoder, 2 epochs): FD " + g7.group(3) + " vs "
                + g7.group(4) + ", precision " + g7.group(1) + "% vs " + g7.group(2) + "%") && l.contains("minimax " + g7.group(10)
                + " vs non-saturating " + g7.group(11)));
    }

    @Test
    void rejectsBadBetasWithAUsageError() {
        CliRun.Result r = CliRun.cli("lectures", "--data", "shapes:n=50,test=20,size=16", "--out", tmp.resolve("x").toString(),
                "--betas", "1,-2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--betas must be finite and >= 0");
    }
}
