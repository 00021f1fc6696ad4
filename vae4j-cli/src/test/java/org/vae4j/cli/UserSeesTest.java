package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vae4j.cli.CliRun.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.CliRun.Result;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.DataSources;
import org.vae4j.data.LoadContext;
import org.vae4j.data.ShapesDataset;
import org.vae4j.image.ImageGrid;
import org.vae4j.latent.LatentProjection;
import org.vae4j.train.EpochMetrics;

/**
 * What a user sees (issue 15): labelled pictures, the commands' fallbacks and aliases, one −ELBO in the quickstart,
 * throughput named after the records.
 */
class UserSeesTest {
    static final String GREY = LatentCommandsTest.GREY;
    static final int PAD = 2;

    @TempDir
    static Path tmp;

    static Path grey;
    static Path rgb;

    @BeforeAll
    static void trainOnce() {
        grey = LatentCommandsTest.train(GREY, "3", tmp.resolve("grey"));
        rgb = LatentCommandsTest.train(LatentCommandsTest.RGB, "2", tmp.resolve("rgb"));
    }

    static BufferedImage png(String name, String... args) throws Exception {
        Path f = tmp.resolve(name);
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--out";
        all[args.length + 1] = f.toString();
        Result r = cli(all);
        assertThat(r.code()).as(r.err()).isZero();
        return ImageIO.read(f.toFile());
    }

    /** Pixels in the rectangle brighter than the label text threshold (white text on the dark margin). */
    static int whitePixels(BufferedImage img, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int p = img.getRGB(x, y);
                if (((p >> 16) & 0xff) > 200 && ((p >> 8) & 0xff) > 200 && (p & 0xff) > 200) {
                    n++;
                }
            }
        }
        return n;
    }

    static boolean sameRegion(BufferedImage a, int ax, int ay, BufferedImage b, int bx, int by, int w, int h) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (a.getRGB(ax + x, ay + y) != b.getRGB(bx + x, by + y)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void reconstructFallsBackToTheRunsDataAndLabelsItsRows() throws Exception {
        BufferedImage withData = png("rec-data.png", "reconstruct", "--model", grey.toString(), "--data", GREY, "-n", "4");
        // no --data: the run's own data set, as every other latent command
        BufferedImage fromRun = png("rec-run.png", "reconstruct", "--model", grey.toString(), "-n", "4");
        assertThat(LatentCommandsTest.same(withData, fromRun)).isTrue();
        // 4 records: one row of inputs above one row of reconstructions, with a margin of labels on the left
        int tile = LatentCommandsTest.TILE;
        int gridWidth = 4 * tile + 5 * PAD;
        assertThat(fromRun.getHeight()).isEqualTo(2 * tile + 3 * PAD);
        int margin = fromRun.getWidth() - gridWidth;
        assertThat(margin).as("label margin").isGreaterThan(40);
        int inputText = whitePixels(fromRun, 0, PAD, margin, PAD + tile);
        int reconText = whitePixels(fromRun, 0, 2 * PAD + tile, margin, 2 * PAD + 2 * tile);
        assertThat(inputText).as("'input' label").isPositive();
        // "reconstruction" is a longer word than "input"
        assertThat(reconText).as("'reconstruction' label").isGreaterThan(inputText);
    }

    @Test
    void pairsRepeatTheirRowLabelsForEveryPairOfRows() {
        int[] shape = {1, 16, 16};
        float[] x = new float[16 * 256];
        java.util.Arrays.fill(x, 0.5f);
        BufferedImage img = Pictures.pairsImage(x, x, 16, shape, 8);
        int tile = 16 * ImageGrid.autoScale(shape);
        assertThat(img.getHeight()).isEqualTo(4 * tile + 5 * PAD);
        int margin = img.getWidth() - (8 * tile + 9 * PAD);
        for (int row = 0; row < 4; row++) {
            int top = PAD + row * (tile + PAD);
            assertThat(whitePixels(img, 0, top, margin, top + tile)).as("label of row %d", row).isPositive();
        }
        int first = whitePixels(img, 0, PAD, margin, PAD + tile);
        int third = whitePixels(img, 0, PAD + 2 * (tile + PAD), margin, PAD + 2 * (tile + PAD) + tile);
        assertThat(third).isEqualTo(first);
    }

    @Test
    void interpolateAcceptsLerpAsLinear() throws Exception {
        BufferedImage linear = png("interp-linear.png", "interpolate", "--model", grey.toString(), "--from", "0", "--to", "5",
                "--steps", "6", "--mode", "linear");
        BufferedImage lerp = png("interp-lerp.png", "interpolate", "--model", grey.toString(), "--from", "0", "--to", "5",
                "--steps", "6", "--mode", "lerp");
        assertThat(LatentCommandsTest.same(linear, lerp)).isTrue();
        Result bad = cli("interpolate", "--model", grey.toString(), "--from", "0", "--to", "5", "--mode", "curvy",
                "--out", tmp.resolve("curvy.png").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().trim()).contains("interpolation mode must be linear (lerp) or slerp, got 'curvy'");
    }

    @Test
    void inpaintAndOutfillStripsAreScaledUpWithLabelledColumns() throws Exception {
        for (String[] cmd : new String[][] {{"inpaint", "--mask", "bottom-half"}, {"outfill", "--window", "6"}}) {
            BufferedImage img = png(cmd[0] + "-strip.png", cmd[0], "--model", grey.toString(), "--index", "2", cmd[1], cmd[2],
                    "--iterations", "20");
            // 16-pixel records at 8×: 128-pixel tiles (autoScale draws them at 4×)
            int tile = 16 * LatentPictures.stripScale(new int[] {1, 16, 16});
            assertThat(tile).isEqualTo(128);
            assertThat(img.getWidth()).isEqualTo(4 * tile + 5 * PAD);
            int header = img.getHeight() - (tile + 2 * PAD);
            assertThat(header).as("header").isEqualTo(LatentPictures.headerHeight(tile)).isGreaterThan(10);
            for (int c = 0; c < 4; c++) {
                int left = PAD + c * (tile + PAD);
                assertThat(whitePixels(img, left, 0, left + tile, header)).as("%s column %d label", cmd[0], c).isPositive();
            }
            int top = header + PAD;
            int scale = tile / 16;
            java.util.function.IntBinaryOperator at = (col, xy) -> img.getRGB(PAD + col * (tile + PAD) + (xy % 16) * scale,
                    top + (xy / 16) * scale) & 0xffffff;
            // input (holes grey) | mask (white = missing, black = observed) | fill | truth
            org.vae4j.latent.Mask mask = cmd[0].equals("inpaint") ? org.vae4j.latent.Mask.parse("bottom-half", 16, 16)
                    : org.vae4j.latent.Mask.outside(16, 16, 6);
            float[] holes = mask.fill(new float[256], 1, 1, 1f);
            for (int p = 0; p < 256; p++) {
                if (holes[p] == 1f) {
                    assertThat(at.applyAsInt(1, p)).as("mask pixel %d", p).isEqualTo(0xffffff);
                    assertThat(at.applyAsInt(0, p)).isEqualTo(0x808080);
                } else {
                    assertThat(at.applyAsInt(1, p)).as("mask pixel %d", p).isEqualTo(0);
                    assertThat(at.applyAsInt(0, p)).isEqualTo(at.applyAsInt(3, p));
                    assertThat(at.applyAsInt(2, p)).as("observed pixels kept").isEqualTo(at.applyAsInt(3, p));
                }
            }
        }
    }

    @Test
    void inpaintIndicesPictureLabelsItsRows() throws Exception {
        BufferedImage img = png("inpaint-rows.png", "inpaint", "--model", grey.toString(), "--indices", "0-9", "--mask", "bottom-half",
                "--iterations", "5");
        int tile = LatentCommandsTest.TILE;
        assertThat(img.getHeight()).isEqualTo(3 * tile + 4 * PAD);
        int margin = img.getWidth() - (8 * tile + 9 * PAD);
        assertThat(margin).isGreaterThan(20);
        for (int row = 0; row < 3; row++) {
            int top = PAD + row * (tile + PAD);
            assertThat(whitePixels(img, 0, top, margin, top + tile)).as("label of row %d", row).isPositive();
        }
    }

    @Test
    void manifoldHasAxes() throws Exception {
        BufferedImage img = png("manifold-axes.png", "manifold", "--model", rgb.toString(), "--grid", "4");
        int tile = LatentCommandsTest.TILE;
        int grid = 4 * tile + 5 * PAD;
        assertThat(img.getWidth()).isGreaterThan(grid + 30);
        assertThat(img.getHeight()).isGreaterThan(grid + 20);
        // the x axis: a black line along the bottom of the grid, with tick labels below it
        int left = findGridLeft(img);
        int black = 0;
        for (int x = left; x < left + grid; x++) {
            if ((img.getRGB(x, grid) & 0xffffff) == 0) {
                black++;
            }
        }
        assertThat(black).as("x-axis line").isEqualTo(grid);
        assertThat(darkPixels(img, left, grid + 3, left + grid, img.getHeight())).as("x ticks and z0").isGreaterThan(50);
        assertThat(darkPixels(img, 0, 0, left - 2, grid)).as("y ticks and z1").isGreaterThan(50);
        // the tiles are those of the plain grid
        float[] decoded;
        try (org.vae4j.model.VaeModel m = org.vae4j.model.ModelStore.load(rgb)) {
            decoded = org.vae4j.latent.Manifold.decode(m, 4);
        }
        BufferedImage plain = LatentPictures.grid(decoded, 16, new int[] {3, 16, 16}, 4);
        assertThat(sameRegion(img, left, 0, plain, 0, 0, grid, grid)).isTrue();
    }

    /** The left edge of the grid in a manifold picture: the first column whose top pixel is the grid's padding colour. */
    static int findGridLeft(BufferedImage img) {
        for (int x = 0; x < img.getWidth(); x++) {
            if ((img.getRGB(x, 0) & 0xffffff) == 0x404040) {
                return x;
            }
        }
        throw new AssertionError("no grid");
    }

    static int darkPixels(BufferedImage img, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if ((img.getRGB(x, y) & 0xff) < 100) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void scoreTopGridHasBalancedRows() throws Exception {
        assertThat(LatentPictures.balancedColumns(12, 10)).isEqualTo(6);
        assertThat(LatentPictures.balancedColumns(11, 10)).isEqualTo(6);
        assertThat(LatentPictures.balancedColumns(10, 10)).isEqualTo(10);
        assertThat(LatentPictures.balancedColumns(21, 10)).isEqualTo(7);
        assertThat(LatentPictures.balancedColumns(3, 10)).isEqualTo(3);
        for (int n = 1; n <= 100; n++) {
            int cols = LatentPictures.balancedColumns(n, 10);
            int rows = (n + cols - 1) / cols;
            assertThat(cols).isBetween(1, 10);
            assertThat(rows * cols - n).as("empty tiles for %d", n).isLessThan(rows);
        }
        Path f = tmp.resolve("scores.csv");
        Result r = cli("score", "--model", grey.toString(), "--top", "12", "--out", f.toString());
        assertThat(r.code()).as(r.err()).isZero();
        BufferedImage top = ImageIO.read(tmp.resolve("scores-top.png").toFile());
        LatentCommandsTest.assertGrid(top, 6, 2);
    }

    @Test
    void latentMapTitleSaysPosteriorMeansOnce() {
        ArrayDataset ds = DataSources.load(GREY, LoadContext.defaults()).test().materialize().head(4).materialize();
        LatentProjection p = new LatentProjection(new float[] {0, 0, 1, 1, 2, 0, 0, 2}, 4, 2, false, new double[0]);
        String title = LatentMapCommand.chart(p, ds).getTitle();
        Matcher m = Pattern.compile("(?i)posterior means").matcher(title);
        int count = 0;
        while (m.find()) {
            count++;
        }
        assertThat(count).as(title).isEqualTo(1);
        assertThat(title).isEqualTo("Posterior means: the 2-D latent");
    }

    @Test
    void tableTrainingReportsRowsPerSecond() throws Exception {
        Path csv = tmp.resolve("table.csv");
        StringBuilder sb = new StringBuilder("a,b,c\n");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            sb.append(String.format(java.util.Locale.ROOT, "%.3f,%.3f,%.3f%n", rnd.nextDouble(), rnd.nextDouble() * 10, rnd.nextGaussian()));
        }
        Files.writeString(csv, sb.toString());
        Result r = cli("train", "--data", "csv:" + csv, "--epochs", "1", "--hidden", "8", "--latent", "2", "--threads", "1", "-q",
                "--out", tmp.resolve("table-run").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("epoch 1/1 .* [\\d,]+ rows/s").doesNotContain("img/s");
        // images keep images per second
        Result img = cli("train", "--data", GREY, "--arch", "mlp", "--hidden", "8", "--latent", "2", "--epochs", "1", "--threads", "1",
                "-q", "--out", tmp.resolve("img-run").toString());
        assertThat(img.code()).as(img.err()).isZero();
        assertThat(img.out()).containsPattern("epoch 1/1 .* [\\d,]+ img/s");
    }

    @Test
    void demoEndpointsAreTwoLargeDifferentShapesAtOnePlace() {
        ArrayDataset test = DataSources.load("shapes:n=100,test=1000", LoadContext.defaults()).test().materialize();
        Map<String, int[]> f = test.factors();
        int[] ends = DemoEndpoints.pick(test);
        int a = ends[0];
        int b = ends[1];
        int maxScale = java.util.Arrays.stream(f.get(ShapesDataset.SCALE)).max().orElseThrow();
        assertThat(f.get(ShapesDataset.SHAPE)[a]).isNotEqualTo(f.get(ShapesDataset.SHAPE)[b]);
        assertThat(f.get(ShapesDataset.SCALE)[a]).isEqualTo(maxScale);
        assertThat(f.get(ShapesDataset.SCALE)[b]).isEqualTo(maxScale);
        assertThat(f.get(ShapesDataset.X)[a]).isEqualTo(f.get(ShapesDataset.X)[b]);
        assertThat(f.get(ShapesDataset.Y)[a]).isEqualTo(f.get(ShapesDataset.Y)[b]);
        // records 0 and the first of another shape (the old choice) are not what the lectures' claim needs: often small
        // and far apart; the new pair is drawn large: both images cover many pixels
        float[] ra = test.record(a);
        float[] rb = test.record(b);
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < ra.length; i++) {
            ma += ra[i];
            mb += rb[i];
        }
        assertThat(Math.min(ma, mb)).isGreaterThan(0.08 * ra.length);
        // given posterior means, the equally good pair whose means lie farthest apart
        List<int[]> good = DemoEndpoints.contrastingShapes(f, test.size());
        assertThat(good).isNotEmpty();
        if (good.size() > 1) {
            int[] far = good.get(good.size() - 1);
            float[] mu = new float[test.size()];
            mu[far[0]] = -5;
            mu[far[1]] = 5;
            assertThat(DemoEndpoints.pick(test, mu, 1)).containsExactly(far[0], far[1]);
        }
        // data without shape factors: record 0 and the first with another label
        Map<String, int[]> none = new HashMap<>();
        ArrayDataset plain = new ArrayDataset("plain", new float[4 * 4], new int[] {4}, new int[] {1, 1, 0, 1}, List.of("a", "b"), none);
        assertThat(DemoEndpoints.pick(plain)).containsExactly(0, 2);
    }

    @Test
    void quickstartPrintsTheReportsTestElbo() throws Exception {
        Path out = tmp.resolve("qs");
        Result r = cli("quickstart", "--data", "shapes:n=300,test=60,size=16", "--epochs", "2", "-q", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<EpochMetrics> rows = EpochMetrics.readCsv(out.resolve("metrics.csv"));
        String last = String.format(java.util.Locale.ROOT, "%.2f", rows.get(rows.size() - 1).testNegElbo());
        // every "-ELBO X" printed after training is the last epoch's test -ELBO, which report.html shows
        Matcher m = Pattern.compile("-ELBO (\\d+\\.\\d\\d) nats").matcher(r.out().substring(r.out().indexOf("done in")));
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(m.group(1)).isEqualTo(last);
        assertThat(r.out()).doesNotContain("first epoch -ELBO");
        assertThat(Files.readString(out.resolve("report.html"))).contains("<td>" + last + "</td>");
        assertThat(r.out()).contains("--data mnist").doesNotContain("../shared/data/mnist");
    }
}
