package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vae4j.cli.CliRun.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.CliRun.Result;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** {@code RUN/report.html} after a tiny training run and after resuming it. */
class ReportTest {
    static final String DATA = "shapes:n=300,test=60,size=16";

    @TempDir
    Path tmp;

    /** Parses the page as XML (the report is well-formed polyglot HTML); fails on any markup error. */
    static Document parse(String html) throws Exception {
        assertThat(html).startsWith("<!DOCTYPE html>\n");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(html.substring("<!DOCTYPE html>\n".length()))));
    }

    /** Every {@code img} must be an inline PNG; returns them decoded, by alt text. */
    static Map<String, BufferedImage> images(Document doc) throws Exception {
        Map<String, BufferedImage> out = new HashMap<>();
        NodeList imgs = doc.getElementsByTagName("img");
        for (int i = 0; i < imgs.getLength(); i++) {
            Element img = (Element) imgs.item(i);
            String src = img.getAttribute("src");
            assertThat(src).startsWith("data:image/png;base64,");
            byte[] png = Base64.getDecoder().decode(src.substring("data:image/png;base64,".length()));
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image).as(img.getAttribute("alt")).isNotNull();
            assertThat(image.getWidth()).as(img.getAttribute("alt")).isBetween(40, 2000);
            assertThat(image.getHeight()).as(img.getAttribute("alt")).isBetween(20, 2000);
            out.put(img.getAttribute("alt"), image);
        }
        return out;
    }

    static List<String> ids(Document doc, String tag) {
        List<String> out = new ArrayList<>();
        NodeList n = doc.getElementsByTagName(tag);
        for (int i = 0; i < n.getLength(); i++) {
            out.add(((Element) n.item(i)).getAttribute("id"));
        }
        return out;
    }

    /** The value cell of the summary row labelled {@code key}. */
    static String summary(Document doc, String key) {
        NodeList rows = doc.getElementsByTagName("tr");
        for (int i = 0; i < rows.getLength(); i++) {
            NodeList cells = ((Element) rows.item(i)).getElementsByTagName("td");
            if (cells.getLength() == 2 && cells.item(0).getTextContent().equals(key)) {
                return cells.item(1).getTextContent();
            }
        }
        throw new AssertionError("no summary row " + key);
    }

    @Test
    void trainWritesASelfContainedReportAndResumeRewritesIt() throws Exception {
        Path run = tmp.resolve("run");
        Result r = cli("train", "--data", DATA, "--arch", "mlp", "--hidden", "32", "--latent", "3", "--epochs", "2",
                "--batch-size", "32", "--threads", "1", "-q", "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("report.html");
        String html = Files.readString(run.resolve("report.html"));
        // self-contained: no scripts, no external style sheets, no network references
        assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("http://").doesNotContain("https://")
                .contains("<style>");
        Document doc = parse(html);
        assertThat(ids(doc, "h2")).containsExactly("summary", "loss-curves", "samples", "reconstructions", "kl-per-dimension",
                "interpolation", "traversal");
        Map<String, BufferedImage> img = images(doc);
        assertThat(img.keySet()).contains("loss per epoch", "reconstruction per epoch", "KL per epoch", "prior samples",
                "reconstructions", "per-dimension bar chart", "interpolation", "latent traversal");
        // 16-pixel tiles are drawn 4× with 2-pixel padding: 8 × 8 prior samples, 2 × 10 interpolation images
        int tile = 16 * org.vae4j.image.ImageGrid.autoScale(new int[] {1, 16, 16});
        assertThat(img.get("prior samples").getWidth()).isEqualTo(8 * tile + 9 * 2);
        assertThat(img.get("prior samples").getHeight()).isEqualTo(8 * tile + 9 * 2);
        assertThat(img.get("interpolation").getHeight()).isEqualTo(2 * tile + 3 * 2);
        // traversal: 3 rows (the whole latent) of 9 images, plus a label margin
        assertThat(img.get("latent traversal").getHeight()).isEqualTo(3 * tile + 4 * 2);
        assertThat(img.get("latent traversal").getWidth()).isGreaterThan(9 * tile + 10 * 2);
        assertThat(summary(doc, "epochs")).isEqualTo("2");
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        String[] last = csv.get(2).split(",");
        assertThat(summary(doc, "final test −ELBO (one sampled z)")).isEqualTo(String.format(java.util.Locale.ROOT, "%.2f",
                Double.parseDouble(last[4])));
        assertThat(html).contains("KL per latent dimension");

        Result resumed = cli("train", "--resume", run.toString(), "--epochs", "3", "-q");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        Document after = parse(Files.readString(run.resolve("report.html")));
        assertThat(summary(after, "epochs")).isEqualTo("3");
        assertThat(images(after)).hasSize(img.size());
    }

    @Test
    void anAutoencodersReportShowsCodeVarianceInsteadOfKl() throws Exception {
        Path run = tmp.resolve("ae");
        Result r = cli("train", "--data", DATA, "--model", "ae", "--arch", "mlp", "--hidden", "32", "--latent", "2", "--epochs", "1",
                "--batch-size", "32", "--threads", "1", "-q", "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String html = Files.readString(run.resolve("report.html"));
        Document doc = parse(html);
        assertThat(html).contains("Code variance per dimension").contains("An autoencoder has no prior");
        assertThat(summary(doc, "final test reconstruction loss")).isNotEmpty();
        assertThat(images(doc)).hasSize(8);
    }
}
