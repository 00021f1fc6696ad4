package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --data images:DIR} end to end: train, evaluate from the recorded spec, resume, and bad input. */
class ImagesCliTest {

    @TempDir
    Path tmp;

    private Path folder(String name, int perLabel) throws Exception {
        Path dir = tmp.resolve(name);
        SplittableRandom r = new SplittableRandom(1);
        for (String label : new String[] {"circles", "bars"}) {
            for (int i = 0; i < perLabel; i++) {
                int w = 10 + (i % 3) * 2;
                int h = 12;
                BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                int colour = r.nextInt(1 << 24);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean on = label.equals("bars") ? x % 4 < 2 : (x - w / 2) * (x - w / 2) + (y - 6) * (y - 6) < 16;
                        img.setRGB(x, y, on ? colour : 0);
                    }
                }
                Path f = dir.resolve(label).resolve(i + (i % 2 == 0 ? ".png" : ".bmp"));
                Files.createDirectories(f.getParent());
                ImageIO.write(img, i % 2 == 0 ? "png" : "bmp", f.toFile());
            }
        }
        return dir;
    }

    @Test
    void trainEvaluateAndResumeOnAnImageFolder() throws Exception {
        Path dir = folder("pics", 12);
        Path cache = tmp.resolve("cache");
        Path run = tmp.resolve("run");
        CliRun.Result r = CliRun.cli("train", "--data", "images:" + dir, "--size", "8", "--image-channels", "3", "--crop", "center",
                "--val-fraction", "0.25", "--cache-dir", cache.toString(), "--arch", "mlp", "--hidden", "16", "--latent", "2",
                "--epochs", "2", "--batch-size", "8", "--threads", "1", "-q", "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("image cache: decoded 24 images (3x8x8)");
        assertThat(r.out()).contains("data images:pics: 18 train, 6 test records of shape [3, 8, 8]").contains("done: test -ELBO");
        String state = Files.readString(run.resolve("train.json"));
        assertThat(state).contains("\"dataSpec\": \"images:" + dir + ",size=8,channels=3,crop=center,val=0.25,cache-dir=" + cache + "\"");
        assertThat(run.resolve("report.html")).exists();

        // evaluate with the run's own (recorded) spec: the cache is reused, nothing is decoded
        CliRun.Result ev = CliRun.cli("evaluate", "--model", run.toString(), "--json", "--iw-samples", "5", "--threads", "1");
        assertThat(ev.code()).as(ev.err()).isZero();
        assertThat(ev.err()).doesNotContain("decoded");
        JsonNode j = new ObjectMapper().readTree(ev.out());
        assertThat(j.get("n").asInt()).isEqualTo(6);
        assertThat(j.get("neg_elbo").asDouble()).isFinite().isPositive();
        assertThat(j.get("iw_nll").asDouble()).isLessThan(j.get("neg_elbo").asDouble() + 1);

        CliRun.Result more = CliRun.cli("train", "--resume", run.toString(), "--epochs", "3", "-q");
        assertThat(more.code()).as(more.err()).isZero();
        assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(4);

        Path png = tmp.resolve("recon.png");
        CliRun.Result rec = CliRun.cli("reconstruct", "--model", run.toString(), "--data", "images:" + dir + ",size=8,channels=3,crop=center,val=0.25,cache-dir=" + cache,
                "-n", "4", "--out", png.toString());
        assertThat(rec.code()).as(rec.err()).isZero();
        assertThat(png).exists();
    }

    @Test
    void badImagesStopTrainingNamingTheFileUnlessSkipped() throws Exception {
        Path dir = folder("broken", 3);
        Path bad = dir.resolve("bars").resolve("zz.jpg");
        Files.write(bad, new byte[] {(byte) 0xff, (byte) 0xd8, 0, 1, 2});
        Path cache = tmp.resolve("cache");
        CliRun.Result r = CliRun.cli("train", "--data", "images:" + dir, "--size", "8", "--cache-dir", cache.toString(),
                "--epochs", "1", "-q", "--out", tmp.resolve("r1").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().trim()).startsWith("vae4j: " + bad + ": cannot decode").doesNotContain("\n");
        assertThat(tmp.resolve("r1")).doesNotExist();

        CliRun.Result skipped = CliRun.cli("train", "--data", "images:" + dir, "--size", "8", "--cache-dir", cache.toString(),
                "--skip-bad", "--hidden", "8", "--latent", "2", "--epochs", "1", "--threads", "1", "-q", "--out", tmp.resolve("r2").toString());
        assertThat(skipped.code()).as(skipped.err()).isZero();
        assertThat(skipped.err()).contains("vae4j: warning: skipped 1 unreadable image in " + dir + ": bars/zz.jpg (cannot decode");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun.Result none = CliRun.cli("train", "--data", "images:" + empty, "--cache-dir", cache.toString(), "--out", tmp.resolve("r3").toString());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err().trim()).isEqualTo("vae4j: " + empty + ": no PNG, JPEG, BMP or GIF images found (searched recursively)");

        CliRun.Result wrongKind = CliRun.cli("train", "--data", "shapes:n=50,test=10", "--size", "8", "--out", tmp.resolve("r4").toString());
        assertThat(wrongKind.code()).isEqualTo(2);
        assertThat(wrongKind.err()).contains("--size applies to --data images:DIR only, not to shapes:n=50,test=10");
    }
}
