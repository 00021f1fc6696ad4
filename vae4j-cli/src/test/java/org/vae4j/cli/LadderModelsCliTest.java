package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vae4j.cli.CliRun.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.CliRun.Result;
import org.vae4j.model.VaeModel;
import org.vae4j.model.hvae.HvaeVariant;
import org.vae4j.model.vamp.VampVariant;

/** hvae's two latent widths and vamp's pseudo-inputs on the command line. */
class LadderModelsCliTest {
    static final String DATA = "shapes:n=200,test=40,size=16";

    @TempDir
    Path tmp;

    static Result train(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", DATA, "--arch", "mlp", "--hidden", "24", "--epochs", "1",
                "--batch-size", "40", "--threads", "1", "-q", "--out", out.toString()));
        args.addAll(List.of(extra));
        return cli(args.toArray(String[]::new));
    }

    @Test
    void hvaeTakesTwoLatentWidthsAndTheIwBound() throws Exception {
        Path run = tmp.resolve("hvae");
        Result r = train(run, "--model", "hvae", "--latent", "4,2", "-O", "hidden2=8", "--iw-samples", "3");
        assertThat(r.code()).as(r.err()).isZero();
        try (VaeModel m = VaeModel.load(run)) {
            assertThat(m.latent()).isEqualTo(4);
            assertThat(m.config().settings(HvaeVariant.Settings.class)).isEqualTo(new HvaeVariant.Settings(2, List.of(8), 3));
        }
        assertThat(Files.readString(run.resolve("config.json"))).contains("\"latent2\"", "\"hidden2\"", "\"samples\"");
        Result ev = cli("evaluate", "--model", run.toString(), "--data", DATA, "--json", "--iw-samples", "10", "--threads", "1");
        assertThat(ev.code()).as(ev.err()).isZero();
        assertThat(ev.out()).contains("\"iw_nll\"");
        Result s = cli("sample", "--model", run.toString(), "-n", "4", "--out", tmp.resolve("s.png").toString());
        assertThat(s.code()).as(s.err()).isZero();

        // without --hidden/--activation an hvae MLP is the paper's 200,200 tanh
        Path paper = tmp.resolve("paper");
        Result pr = cli("train", "--data", DATA, "--model", "hvae", "--latent", "4,2", "--epochs", "1", "--batch-size", "40",
                "--threads", "1", "-q", "--out", paper.toString());
        assertThat(pr.code()).as(pr.err()).isZero();
        try (VaeModel m = VaeModel.load(paper)) {
            assertThat(m.config().arch().hidden()).containsExactly(200, 200);
            assertThat(m.config().arch().activation()).isEqualTo("tanh");
        }

        // two widths are hvae's; the second once only
        Result vae = train(tmp.resolve("vae"), "--model", "vae", "--latent", "4,2");
        assertThat(vae.code()).isEqualTo(2);
        assertThat(vae.err()).contains("two widths (z1,z2) are for hvae");
        Result twice = train(tmp.resolve("twice"), "--model", "hvae", "--latent", "4,2", "-O", "latent2=3");
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).contains("give the second latent width once");
    }

    @Test
    void vampsPseudoInputsAreSavedAndDrawnAsPictures() throws Exception {
        Path run = tmp.resolve("vamp");
        Result r = train(run, "--model", "vamp", "--latent", "3", "--pseudo-inputs", "6");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(run.resolve("config.json"))).contains("\"pseudoInputs\": 6");
        Path png = tmp.resolve("p.png");
        Result p = cli("sample", "--model", run.toString(), "--pseudo-inputs", "--out", png.toString());
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out()).contains("wrote 6 of the model's 6 pseudo-inputs");
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isGreaterThan(6 * 16);
        Path npy = tmp.resolve("p.npy");
        Result q = cli("sample", "--model", run.toString(), "--pseudo-inputs", "-n", "2", "--out", npy.toString());
        assertThat(q.code()).as(q.err()).isZero();
        try (VaeModel m = VaeModel.load(run)) {
            float[] u = VampVariant.pseudoInputs(m);
            byte[] bytes = Files.readAllBytes(npy);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes, bytes.length - 2 * 256 * 4, 2 * 256 * 4)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 2 * 256; i++) {
                assertThat(b.getFloat()).isEqualTo(u[i]);
            }
        }
        // a model without pseudo-inputs says so
        Path vae = tmp.resolve("vae");
        assertThat(train(vae, "--model", "vae", "--latent", "3").code()).isZero();
        Result h = cli("sample", "--model", vae.toString(), "--pseudo-inputs", "--out", tmp.resolve("x.png").toString());
        assertThat(h.code()).isEqualTo(2);
        assertThat(h.err()).contains("only vamp models");
        assertThat(tmp.resolve("x.png")).doesNotExist();
    }
    /** The benches that only evaluate skip the EM fit of the default sampler; without the flag train still saves it. */
    @Test
    void noSamplerSkipsTheDefaultGmmFit() throws Exception {
        Path with = tmp.resolve("with");
        Result a = train(with, "--latent", "2");
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(with.resolve("sampler-gmm-10.json")).exists();
        assertThat(a.out()).contains("sampler:");
        Path without = tmp.resolve("without");
        Result b = train(without, "--latent", "2", "--no-sampler");
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(without.resolve("weights.safetensors")).exists();
        assertThat(without.resolve("sampler-gmm-10.json")).doesNotExist();
        assertThat(b.out()).doesNotContain("sampler:");
        // sample then draws from the prior (auto without a saved fit)
        Result s = cli("sample", "--model", without.toString(), "-n", "4", "--out", tmp.resolve("s.npy").toString());
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(without.resolve("sampler-gmm-10.json")).doesNotExist();
    }
}
