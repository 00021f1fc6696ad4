package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vae4j.cli.CliRun.cli;
import static org.vae4j.cli.LatentCommandsTest.assertUsageError;
import static org.vae4j.cli.LatentCommandsTest.same;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.CliRun.Result;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;
import org.vae4j.model.cvae.CvaeVariant;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

/**
 * {@code --label} on the latent-space commands: a tiny conditional VAE (shapes: 0 square, 1 ellipse, 2 heart; 2-D
 * latent, so manifold works too) and a tiny VAE that must refuse the option.
 */
class ConditionalLatentCommandsTest {
    static final String GREY = "shapes:n=400,test=80,size=16";
    static final String RGB = "shapes:rgb,n=400,test=80,size=16";

    @TempDir
    static Path tmp;

    static Path cvae;
    static Path rgbCvae;
    static Path vae;
    static int[] testLabels;

    static Path trainCvae(String spec, String name) {
        Path run = tmp.resolve(name);
        DataSplits data = DataSources.load(spec, null);
        List<Integer> shape = java.util.Arrays.stream(data.train().shape()).boxed().toList();
        ModelConfig config = ModelConfig.vae(shape, 2, ArchConfig.mlp(32), "bernoulli", 1.0).withModel("cvae", new CvaeVariant.Settings(3));
        try (VaeModel m = Training.of(config, TrainConfig.defaults().withEpochs(2).withBatchSize(32).withThreads(1))
                .data(data, spec).runDirectory(run).force(true).fit()) {
            assertThat(m.conditional()).isTrue();
        }
        return run;
    }

    @BeforeAll
    static void trainOnce() {
        cvae = trainCvae(GREY, "cvae");
        rgbCvae = trainCvae(RGB, "cvae-rgb");
        vae = LatentCommandsTest.train(GREY, "3", tmp.resolve("vae"));
        testLabels = DataSources.load(GREY, null).test().labels();
    }

    /** The first test record after record 0 with the same label, and the first with another. */
    static int[] sameAndOther() {
        int same = -1;
        int other = -1;
        for (int i = 1; i < testLabels.length && (same < 0 || other < 0); i++) {
            if (testLabels[i] == testLabels[0] && same < 0) {
                same = i;
            } else if (testLabels[i] != testLabels[0] && other < 0) {
                other = i;
            }
        }
        return new int[] {same, other};
    }

    static Result ok(String... args) {
        Result r = cli(args);
        assertThat(r.code()).as(r.err()).isZero();
        return r;
    }

    /** Runs a command that must succeed with {@code --out FILE} appended and returns the picture. */
    static BufferedImage png(String name, String... args) throws Exception {
        Path f = tmp.resolve(name);
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--out");
        all.add(f.toString());
        Result r = ok(all.toArray(new String[0]));
        assertThat(r.out()).contains("wrote " + f);
        return ImageIO.read(f.toFile());
    }

    @Test
    void interpolateRunsWithinTheRecordsClassOrTheLabelGiven() throws Exception {
        int[] so = sameAndOther();
        String c = cvae.toString();
        String name = List.of("square", "ellipse", "heart").get(testLabels[0]);
        Path f = tmp.resolve("i-own.png");
        Result own = ok("interpolate", "--model", c, "--from", "0", "--to", Integer.toString(so[0]), "--steps", "5", "--out", f.toString());
        assertThat(own.out()).contains("within class " + testLabels[0] + " (" + name + ")");
        // the records' own label is the label given explicitly, by number or by name
        BufferedImage a = ImageIO.read(f.toFile());
        BufferedImage byNumber = png("i-num.png", "interpolate", "--model", c, "--from", "0", "--to", Integer.toString(so[0]), "--steps", "5",
                "--label", Integer.toString(testLabels[0]));
        BufferedImage byName = png("i-name.png", "interpolate", "--model", c, "--from", "0", "--to", Integer.toString(so[0]), "--steps", "5",
                "--label", name);
        assertThat(same(a, byNumber)).isTrue();
        assertThat(same(a, byName)).isTrue();
        // another class gives another path
        BufferedImage another = png("i-other.png", "interpolate", "--model", c, "--from", "0", "--to", Integer.toString(so[0]), "--steps", "5",
                "--label", Integer.toString((testLabels[0] + 1) % 3));
        assertThat(same(a, another)).isFalse();
        // records of two classes: no class to interpolate within unless one is given
        assertUsageError(cli("interpolate", "--model", c, "--from", "0", "--to", Integer.toString(so[1]), "--out", tmp.resolve("x.png").toString()),
                "have different labels");
        ok("interpolate", "--model", c, "--from", "0", "--to", Integer.toString(so[1]), "--label", "heart", "--out", tmp.resolve("i-mixed.png").toString());
        // an image file has no label
        Path file = LatentCommandsTest.recordPng(GREY, 2, tmp.resolve("record2.png"));
        assertUsageError(cli("interpolate", "--model", c, "--from", "0", "--to", file.toString(), "--out", tmp.resolve("x.png").toString()),
                "interpolate --to " + file + ": a 'cvae' model is conditional: give --label K (a label name or 0..2)");
        ok("interpolate", "--model", c, "--from", "0", "--to", file.toString(), "--label", "1", "--out", tmp.resolve("i-file.png").toString());
    }

    @Test
    void traverseAndManifoldNeedALabelWithoutARecord() throws Exception {
        String c = cvae.toString();
        String out = tmp.resolve("x.png").toString();
        Result t = ok("traverse", "--model", c, "--index", "1", "--out", tmp.resolve("t-own.png").toString());
        assertThat(t.out()).contains("other dimensions fixed at the posterior mean of test record 1, within class " + testLabels[1]);
        assertUsageError(cli("traverse", "--model", c, "--out", out),
                "traverse without data: a 'cvae' model is conditional: give --label K (a label name or 0..2)");
        BufferedImage t0 = png("t-0.png", "traverse", "--model", c, "--label", "0");
        BufferedImage t2 = png("t-2.png", "traverse", "--model", c, "--label", "2");
        assertThat(same(t0, t2)).isFalse();

        assertUsageError(cli("manifold", "--model", c, "--grid", "4", "--out", out),
                "manifold: a 'cvae' model is conditional: give --label K (a label name or 0..2)");
        // a name is resolved with the run's own data set
        BufferedImage hearts = png("m-heart.png", "manifold", "--model", c, "--grid", "4", "--label", "heart");
        BufferedImage two = png("m-2.png", "manifold", "--model", c, "--grid", "4", "--label", "2");
        BufferedImage squares = png("m-square.png", "manifold", "--model", c, "--grid", "4", "--label", "square");
        assertThat(same(hearts, two)).isTrue();
        assertThat(same(hearts, squares)).isFalse();
        assertUsageError(cli("manifold", "--model", c, "--label", "3", "--out", out), "--label 3 is out of range: this model knows labels 0..2");
        assertUsageError(cli("manifold", "--model", c, "--label", "circle", "--out", out),
                "--label: unknown label 'circle'; valid: 0 square, 1 ellipse, 2 heart");
        assertThat(Files.exists(Path.of(out))).isFalse();
    }

    @Test
    void commandsStartingFromRecordsUseTheirOwnLabelsUnlessOneIsGiven() throws Exception {
        String c = cvae.toString();
        Result map = ok("latent-map", "--model", c, "--out", tmp.resolve("map.png").toString());
        assertThat(map.out()).contains("80 test records, given each record's own label: the 2-D latent");
        Result map1 = ok("latent-map", "--model", c, "--label", "ellipse", "--out", tmp.resolve("map1.png").toString());
        assertThat(map1.out()).contains("given class 1 (ellipse)");

        Result fill = ok("inpaint", "--model", c, "--indices", "0-19", "--mask", "bottom-half", "--iterations", "5");
        assertThat(fill.out()).contains("given each record's own label");
        BufferedImage in0 = png("in-0.png", "inpaint", "--model", c, "--index", "0", "--mask", "bottom-half", "--iterations", "5", "--label", "0");
        BufferedImage in2 = png("in-2.png", "inpaint", "--model", c, "--index", "0", "--mask", "bottom-half", "--iterations", "5", "--label", "2");
        assertThat(same(in0, in2)).isFalse();
        assertThat(ok("outfill", "--model", c, "--index", "3", "--window", "8", "--iterations", "5", "--out", tmp.resolve("of.png").toString()).out())
                .contains("given its own label");

        Result restore = ok("restore", "--model", c, "--indices", "0-9", "--noise", "gaussian:0.3", "--iterations", "5");
        assertThat(restore.out()).contains("method map, given each record's own label: PSNR");
        Path noisy = LatentCommandsTest.recordPng(GREY, 4, tmp.resolve("noisy4.png"));
        assertUsageError(cli("restore", "--model", c, "--noise", noisy.toString(), "--out", tmp.resolve("x.png").toString()),
                "restore --noise " + noisy + ": a 'cvae' model is conditional: give --label K");
        ok("restore", "--model", c, "--noise", noisy.toString(), "--label", "heart", "--iterations", "5", "--out", tmp.resolve("rf.png").toString());

        Path weights = tmp.resolve("w.csv");
        ok("density", "--model", c, "--split", "test", "--top", "0", "--out", weights.toString());
        Path weights1 = tmp.resolve("w1.csv");
        ok("density", "--model", c, "--split", "test", "--top", "0", "--label", "1", "--out", weights1.toString());
        List<String> own = Files.readAllLines(weights);
        assertThat(own).hasSize(81);
        assertThat(own).isNotEqualTo(Files.readAllLines(weights1));
    }

    @Test
    void colorizeTakesTheRecordsLabelAndAsksForOneForAPicture() throws Exception {
        String c = rgbCvae.toString();
        assertThat(ok("colorize", "--model", c, "--index", "2", "--iterations", "5", "--out", tmp.resolve("c.png").toString()).out())
                .contains("colourised test record 2, given its own label");
        Path file = LatentCommandsTest.recordPng(RGB, 3, tmp.resolve("rgb3.png"));
        assertUsageError(cli("colorize", "--model", c, "--image", file.toString(), "--out", tmp.resolve("x.png").toString()),
                "colorize --image " + file + ": a 'cvae' model is conditional: give --label K");
        assertThat(ok("colorize", "--model", c, "--image", file.toString(), "--label", "0", "--iterations", "5", "--out",
                tmp.resolve("c0.png").toString()).out()).contains("given class 0");
    }

    @Test
    void anUnconditionalModelRefusesALabelWithExitCodeTwo() {
        String v = vae.toString();
        String out = tmp.resolve("refused.png").toString();
        String refused = "--label: a 'vae' model cannot condition on a label";
        assertUsageError(cli("interpolate", "--model", v, "--from", "0", "--to", "1", "--label", "1", "--out", out), refused);
        assertUsageError(cli("traverse", "--model", v, "--label", "1", "--out", out), refused);
        assertUsageError(cli("traverse", "--model", v, "--index", "0", "--label", "1", "--out", out), refused);
        assertUsageError(cli("latent-map", "--model", v, "--label", "heart", "--out", out), refused);
        assertUsageError(cli("manifold", "--model", v, "--label", "0", "--out", out), refused);
        assertUsageError(cli("inpaint", "--model", v, "--index", "0", "--mask", "bottom-half", "--label", "0", "--out", out), refused);
        assertUsageError(cli("outfill", "--model", v, "--index", "0", "--window", "8", "--label", "0", "--out", out), refused);
        assertUsageError(cli("restore", "--model", v, "-n", "2", "--noise", "gaussian:0.3", "--label", "0", "--out", out), refused);
        assertUsageError(cli("density", "--model", v, "--label", "0", "--out", tmp.resolve("refused.csv").toString()), refused);
        assertThat(Files.exists(Path.of(out))).isFalse();
        assertThat(Files.exists(tmp.resolve("refused.csv"))).isFalse();
        // without it the model works as before
        assertThat(cli("interpolate", "--model", v, "--from", "0", "--to", "1", "--out", tmp.resolve("v.png").toString()).code()).isZero();
    }
}
