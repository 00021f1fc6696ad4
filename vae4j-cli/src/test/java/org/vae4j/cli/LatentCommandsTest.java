package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vae4j.cli.CliRun.cli;

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
import org.vae4j.image.ImageGrid;

/**
 * The latent-space commands on two tiny models trained once: a grey one with a 3-D latent and an RGB one with a
 * 2-D latent (for manifold, colorize and the direct latent map).
 */
class LatentCommandsTest {
    static final String GREY = "shapes:n=400,test=80,size=16";
    static final String RGB = "shapes:rgb,n=400,test=80,size=16";
    /** Tile side in pixels: 16-pixel images are drawn at ImageGrid's automatic scale. */
    static final int TILE = 16 * ImageGrid.autoScale(new int[] {1, 16, 16});
    static final int PAD = 2;

    @TempDir
    static Path tmp;

    static Path grey;
    static Path rgb;

    static Path train(String data, String latent, String name) {
        return train(data, latent, tmp.resolve(name));
    }

    /** Trains a tiny MLP VAE on {@code data} into {@code run}. */
    static Path train(String data, String latent, Path run) {
        Result r = cli("train", "--data", data, "--arch", "mlp", "--hidden", "32", "--latent", latent, "--epochs", "2",
                "--batch-size", "32", "--threads", "1", "-q", "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return run;
    }

    @BeforeAll
    static void trainOnce() {
        grey = train(GREY, "3", "grey");
        rgb = train(RGB, "2", "rgb");
    }

    /** Runs a command that must succeed and returns its PNG. */
    static BufferedImage png(String name, String... args) throws Exception {
        Path f = tmp.resolve(name);
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--out");
        all.add(f.toString());
        Result r = cli(all.toArray(new String[0]));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + f);
        BufferedImage img = ImageIO.read(f.toFile());
        assertThat(img).as(name).isNotNull();
        assertThat(notBlank(img)).as(name + " is blank").isTrue();
        return img;
    }

    static Result run(String... args) {
        return cli(args);
    }

    /** Pixel variance over everything that is not the grid's padding colour. */
    static boolean notBlank(BufferedImage img) {
        double s = 0;
        double s2 = 0;
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb == 0x404040) {
                    continue;
                }
                double v = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
                s += v;
                s2 += v * v;
                n++;
            }
        }
        return n > 0 && s2 / n - (s / n) * (s / n) > 0;
    }

    static boolean same(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Expected size of a grid of {@code cols × rows} tiles. */
    static void assertGrid(BufferedImage img, int cols, int rows) {
        assertThat(img.getWidth()).isEqualTo(cols * TILE + (cols + 1) * PAD);
        assertThat(img.getHeight()).isEqualTo(rows * TILE + (rows + 1) * PAD);
    }

    /** Pixel (x, y) of the image inside tile (col, row), at the tile's top-left scaled pixel. */
    static int pixel(BufferedImage img, int col, int row, int x, int y) {
        int scale = TILE / 16;
        return img.getRGB(PAD + col * (TILE + PAD) + x * scale, PAD + row * (TILE + PAD) + y * scale) & 0xffffff;
    }

    @Test
    void interpolateDrawsALatentRowAndACrossFadeRow() throws Exception {
        BufferedImage a = png("interp-a.png", "interpolate", "--model", grey.toString(), "--data", GREY, "--from", "0", "--to", "5", "--steps", "6");
        assertGrid(a, 6, 2);
        // the cross-fade row starts with the first record itself and ends with the second
        BufferedImage b = png("interp-b.png", "interpolate", "--model", grey.toString(), "--data", GREY, "--from", "1", "--to", "7",
                "--steps", "6", "--mode", "slerp");
        assertThat(same(a, b)).isFalse();
        // without --data the run's own data set is used
        BufferedImage c = png("interp-c.png", "interpolate", "--model", grey.toString(), "--from", "0", "--to", "5", "--steps", "6");
        assertThat(same(a, c)).isTrue();
    }

    /** Writes record {@code i} of a data set's test split as an 8-bit PNG. */
    static Path recordPng(String data, int i, String name) throws Exception {
        return recordPng(data, i, tmp.resolve(name));
    }

    /** Writes record {@code i} of a data set's test split as an 8-bit PNG to {@code f}. */
    static Path recordPng(String data, int i, Path f) throws Exception {
        org.vae4j.data.ArrayDataset ds = org.vae4j.data.DataSources.load(data, null).test().materialize();
        int[] shape = ds.shape();
        int c = shape[0];
        int h = shape[1];
        int w = shape[2];
        float[] x = ds.record(i);
        BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                if (c == 1) {
                    img.getRaster().setSample(xx, y, 0, Math.round(x[y * w + xx] * 255));
                } else {
                    int r = Math.round(x[y * w + xx] * 255);
                    int g = Math.round(x[h * w + y * w + xx] * 255);
                    int b = Math.round(x[2 * h * w + y * w + xx] * 255);
                    img.setRGB(xx, y, (r << 16) | (g << 8) | b);
                }
            }
        }
        ImageIO.write(img, "png", f.toFile());
        return f;
    }

    static int maxDifference(BufferedImage a, BufferedImage b) {
        assertThat(a.getWidth()).isEqualTo(b.getWidth());
        assertThat(a.getHeight()).isEqualTo(b.getHeight());
        int max = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                for (int shift = 0; shift <= 16; shift += 8) {
                    max = Math.max(max, Math.abs(((a.getRGB(x, y) >> shift) & 0xff) - ((b.getRGB(x, y) >> shift) & 0xff)));
                }
            }
        }
        return max;
    }

    @Test
    void imageFilesStandInForTestRecords() throws Exception {
        Path f0 = recordPng(GREY, 0, "record0.png");
        Path f5 = recordPng(GREY, 5, "record5.png");
        BufferedImage byIndex = png("interp-idx.png", "interpolate", "--model", grey.toString(), "--data", GREY, "--from", "0", "--to", "5", "--steps", "4");
        BufferedImage byFile = png("interp-file.png", "interpolate", "--model", grey.toString(), "--from", f0.toString(), "--to", f5.toString(), "--steps", "4");
        assertThat(maxDifference(byIndex, byFile)).as("8-bit files decode like the records").isLessThanOrEqualTo(3);
        BufferedImage other = png("interp-file2.png", "interpolate", "--model", grey.toString(), "--from", f5.toString(), "--to", f0.toString(), "--steps", "4");
        assertThat(maxDifference(byFile, other)).isGreaterThan(30);

        Path noisy = tmp.resolve("restore-file.png");
        Result r = cli("restore", "--model", grey.toString(), "--data", GREY, "--noise", f0.toString(), "--index", "0", "--out", noisy.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("record0.png against test record 0, method map: PSNR noisy (\\d+\\.\\d\\d|Infinity) dB");
        assertGrid(ImageIO.read(noisy.toFile()), 1, 3);
        // replacing the picture needs --force (issue 15: existing outputs are kept otherwise)
        r = cli("restore", "--model", grey.toString(), "--noise", f5.toString(), "--out", noisy.toString(), "--force");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("no clean reference");
        assertGrid(ImageIO.read(noisy.toFile()), 1, 2);

        Path c3 = recordPng(RGB, 3, "rgb3.png");
        BufferedImage col = png("colorize-file.png", "colorize", "--model", rgb.toString(), "--image", c3.toString(), "--iterations", "20");
        assertGrid(col, 3, 1);

        Result missing = cli("interpolate", "--model", grey.toString(), "--from", tmp.resolve("nope.png").toString(), "--to", "3",
                "--data", GREY, "--out", tmp.resolve("x.png").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.png: no such image file");
        Result both = cli("colorize", "--model", rgb.toString(), "--data", RGB, "--index", "1", "--image", c3.toString(), "--out", tmp.resolve("y.png").toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("give one of --index I and --image FILE");
    }

    @Test
    void traverseLabelsOneRowPerDimension() throws Exception {
        Path f = tmp.resolve("trav-a.png");
        Result r = cli("traverse", "--model", grey.toString(), "--data", GREY, "--index", "0", "--dims", "2", "--steps", "5", "--out", f.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("dimensions by mean KL (nats) on the 80 test records: z");
        BufferedImage a = ImageIO.read(f.toFile());
        assertThat(notBlank(a)).isTrue();
        assertThat(a.getHeight()).isEqualTo(2 * TILE + 3 * PAD);
        int grid = 5 * TILE + 6 * PAD;
        assertThat(a.getWidth()).isGreaterThan(grid + 20); // room for the labels
        // the label margin holds white text
        boolean text = false;
        for (int y = 0; y < a.getHeight() && !text; y++) {
            for (int x = 0; x < a.getWidth() - grid && !text; x++) {
                text = (a.getRGB(x, y) & 0xffffff) == 0xffffff;
            }
        }
        assertThat(text).isTrue();
        BufferedImage b = png("trav-b.png", "traverse", "--model", grey.toString(), "--data", GREY, "--index", "3", "--dims", "2", "--steps", "5");
        assertThat(same(a, b)).isFalse();
        Result noData = cli("traverse", "--model", grey.toString(), "--steps", "4", "--out", tmp.resolve("trav-c.png").toString());
        assertThat(noData.code()).as(noData.err()).isZero();
        assertThat(noData.out()).contains("no data: first 3 dimensions");
        assertThat(ImageIO.read(tmp.resolve("trav-c.png").toFile()).getHeight()).isEqualTo(3 * TILE + 4 * PAD);
    }

    @Test
    void latentMapPlotsPcaOrTheLatentItself() throws Exception {
        Path f = tmp.resolve("map-grey.png");
        Result r = cli("latent-map", "--model", grey.toString(), "--data", GREY, "--limit", "60", "--out", f.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("60 test records").contains("PCA projection of the 3-D latent");
        BufferedImage a = ImageIO.read(f.toFile());
        assertThat(a.getWidth()).isEqualTo(800);
        assertThat(a.getHeight()).isEqualTo(640);
        assertThat(notBlank(a)).isTrue();
        Path g = tmp.resolve("map-rgb.png");
        Result direct = cli("latent-map", "--model", rgb.toString(), "--data", RGB, "--out", g.toString());
        assertThat(direct.code()).as(direct.err()).isZero();
        assertThat(direct.out()).contains("80 test records").contains("the 2-D latent").doesNotContain("PCA");
        BufferedImage b = ImageIO.read(g.toFile());
        assertThat(same(a, b)).isFalse();
    }

    /** The grid of tiles inside a picture with axes: it starts at the first column whose top pixel is padding. */
    static BufferedImage withoutAxes(BufferedImage img, int cols, int rows) {
        int left = 0;
        while ((img.getRGB(left, 0) & 0xffffff) != 0x404040) {
            left++;
        }
        return img.getSubimage(left, 0, cols * TILE + (cols + 1) * PAD, rows * TILE + (rows + 1) * PAD);
    }

    /** The strip of an inpaint/outfill --index picture below its header of column labels, and its tile scale. */
    static BufferedImage strip(BufferedImage img) {
        int tile = 16 * LatentPictures.stripScale(new int[] {1, 16, 16});
        assertThat(img.getWidth()).isEqualTo(4 * tile + 5 * PAD);
        int h = tile + 2 * PAD;
        return img.getSubimage(0, img.getHeight() - h, img.getWidth(), h);
    }

    /** Pixel (x, y) of the 16-pixel record in column {@code col} of a {@link #strip}. */
    static int stripPixel(BufferedImage strip, int col, int x, int y) {
        int scale = LatentPictures.stripScale(new int[] {1, 16, 16});
        return strip.getRGB(PAD + col * (16 * scale + PAD) + x * scale, PAD + y * scale) & 0xffffff;
    }

    @Test
    void manifoldDecodesAGridOfQuantiles() throws Exception {
        BufferedImage a = withoutAxes(png("manifold-a.png", "manifold", "--model", rgb.toString(), "--grid", "4"), 4, 4);
        assertGrid(a, 4, 4);
        // colours: an RGB model's tiles are not all grey
        boolean colour = false;
        for (int y = 0; y < a.getHeight() && !colour; y++) {
            for (int x = 0; x < a.getWidth() && !colour; x++) {
                int p = a.getRGB(x, y);
                colour = ((p >> 16) & 0xff) != (p & 0xff);
            }
        }
        assertThat(colour).isTrue();
        BufferedImage b = withoutAxes(png("manifold-b.png", "manifold", "--model", rgb.toString(), "--grid", "5"), 5, 5);
        assertGrid(b, 5, 5);
        // opposite corners decode different codes
        assertThat(pixel(a, 0, 0, 8, 8)).isNotEqualTo(pixel(a, 3, 3, 8, 8));
    }

    @Test
    void inpaintKeepsObservedPixelsAndGreysTheHole() throws Exception {
        for (String method : List.of("iterative", "optimize")) {
            // input (holes grey) | mask | fill | truth
            BufferedImage a = strip(png("inpaint-" + method + ".png", "inpaint", "--model", grey.toString(), "--data", GREY, "--index", "2",
                    "--mask", "bottom-half", "--method", method, "--iterations", "20"));
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    if (y < 8) {
                        assertThat(stripPixel(a, 2, x, y)).as("observed (%d,%d)", x, y).isEqualTo(stripPixel(a, 3, x, y));
                        assertThat(stripPixel(a, 0, x, y)).isEqualTo(stripPixel(a, 3, x, y));
                    } else {
                        assertThat(stripPixel(a, 0, x, y)).as("hole (%d,%d)", x, y).isEqualTo(0x808080);
                    }
                }
            }
        }
        BufferedImage a = ImageIO.read(tmp.resolve("inpaint-iterative.png").toFile());
        BufferedImage b = png("inpaint-b.png", "inpaint", "--model", grey.toString(), "--data", GREY, "--index", "3",
                "--mask", "bottom-half", "--iterations", "20");
        assertThat(same(a, b)).isFalse();
        Result r = cli("inpaint", "--model", grey.toString(), "--data", GREY, "--index", "2", "--mask", "box:2,3,4,5",
                "--out", tmp.resolve("inpaint-box.png").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("inpainted 20 missing pixels of test record 2 (mask box:2,3,4,5, optimize, 200 iterations)");
    }

    static double number(String text, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("'%s' in %s", regex, text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void inpaintIndicesPrintsTheMeanMaskedErrorAndTheTrainingMeanBaseline() throws Exception {
        Result r = cli("inpaint", "--model", grey.toString(), "--data", GREY, "--indices", "0-9", "--mask", "bottom-half");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("inpainted 10 test records 0..9 (mask bottom-half, 128 missing values each, optimize, 200 iterations)");
        double model = number(r.out(), "mean squared error on the masked pixels (\\d+\\.\\d+) per value");
        double mean = number(r.out(), "training-mean image fill of the same pixels: mean squared error (\\d+\\.\\d+) per value");
        assertThat(model).isPositive();
        // the baseline, computed here independently from the data
        org.vae4j.data.DataSplits d = org.vae4j.data.DataSources.load(GREY, org.vae4j.data.LoadContext.defaults());
        float[] train = d.train().materialize().data();
        int n = d.train().size();
        double sum = 0;
        for (int i = 0; i < 10; i++) {
            float[] x = d.test().record(i);
            for (int y = 8; y < 16; y++) {
                for (int c = 0; c < 16; c++) {
                    double m = 0;
                    for (int k = 0; k < n; k++) {
                        m += train[k * 256 + y * 16 + c];
                    }
                    double e = x[y * 16 + c] - m / n;
                    sum += e * e;
                }
            }
        }
        assertThat(mean).isCloseTo(sum / (10 * 128), org.assertj.core.api.Assertions.within(1e-5));
        // a one-record range agrees with --index on the same record
        Result one = cli("inpaint", "--model", grey.toString(), "--data", GREY, "--indices", "2-2", "--mask", "bottom-half");
        Result single = cli("inpaint", "--model", grey.toString(), "--data", GREY, "--index", "2", "--mask", "bottom-half",
                "--out", tmp.resolve("inpaint-one.png").toString());
        assertThat(number(one.out(), "masked pixels (\\d+\\.\\d+) per value"))
                .isCloseTo(number(single.out(), "\\((\\d+\\.\\d+) per value\\)"), org.assertj.core.api.Assertions.within(1e-4));
        // with --out: the first 8 records, three rows
        BufferedImage pic = png("inpaint-range.png", "inpaint", "--model", grey.toString(), "--data", GREY, "--indices", "0-9",
                "--mask", "bottom-half");
        // rows labelled on the left: the grid is at the right
        int gridWidth = 8 * TILE + 9 * PAD;
        assertGrid(pic.getSubimage(pic.getWidth() - gridWidth, 0, gridWidth, pic.getHeight()), 8, 3);
        assertUsageError(cli("inpaint", "--model", grey.toString(), "--data", GREY, "--index", "1", "--indices", "0-3", "--mask", "bottom-half"),
                "give either --index I or --indices A-B");
        assertUsageError(cli("inpaint", "--model", grey.toString(), "--data", GREY, "--indices", "0-80", "--mask", "bottom-half"),
                "--indices 0-80 is out of range (the test split has 80 records)");
        assertUsageError(cli("outfill", "--model", grey.toString(), "--data", GREY, "--indices", "5-2", "--window", "6"),
                "the first index is larger than the last");
        assertUsageError(cli("inpaint", "--model", grey.toString(), "--data", GREY, "--index", "1", "--mask", "bottom-half"),
                "--out FILE.png is required with --index");
    }

    @Test
    void restoreIndicesMatchesTheSameRecordsGivenWithN() throws Exception {
        Result a = cli("restore", "--model", grey.toString(), "--data", GREY, "--indices", "0-19", "--noise", "gaussian:0.3");
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).contains("gaussian:0.3 noise on test records 0..19 (seed 1), method map: PSNR noisy");
        assertThat(a.out()).containsPattern("reconstruction of the clean records: \\d+\\.\\d\\d dB");
        double restored = number(a.out(), "restored (\\d+\\.\\d+) dB");
        Result rec = cli("restore", "--model", grey.toString(), "--data", GREY, "--indices", "0-19", "--noise", "gaussian:0.3",
                "--method", "reconstruct");
        assertThat(rec.out()).contains("method reconstruct:");
        assertThat(number(rec.out(), "restored (\\d+\\.\\d+) dB")).isNotEqualTo(restored);
        Result b = cli("restore", "--model", grey.toString(), "--data", GREY, "-n", "20", "--noise", "gaussian:0.3",
                "--out", tmp.resolve("restore-n20.png").toString());
        String psnr = "PSNR noisy (\\d+\\.\\d+) dB -> restored (\\d+\\.\\d+) dB";
        assertThat(number(a.out(), psnr)).isEqualTo(number(b.out(), psnr));
        assertThat(number(a.out(), "restored (\\d+\\.\\d+) dB")).isEqualTo(number(b.out(), "restored (\\d+\\.\\d+) dB"));
        assertUsageError(cli("restore", "--model", grey.toString(), "--data", GREY, "--noise", "gaussian:0.3"),
                "--out FILE.png is required (except with --indices)");
        assertUsageError(cli("restore", "--model", grey.toString(), "--data", GREY, "--indices", "0-3", "-n", "3", "--noise", "gaussian:0.3"),
                "give only one of --index, -n and --indices");
    }

    @Test
    void outfillKeepsTheCentreWindow() throws Exception {
        BufferedImage a = png("outfill-a.png", "outfill", "--model", grey.toString(), "--data", GREY, "--index", "2", "--window", "6");
        BufferedImage st = strip(a);
        assertThat(stripPixel(st, 2, 8, 8)).isEqualTo(stripPixel(st, 3, 8, 8));
        assertThat(stripPixel(st, 0, 0, 0)).isEqualTo(0x808080);
        assertThat(stripPixel(st, 0, 15, 15)).isEqualTo(0x808080);
        BufferedImage b = png("outfill-b.png", "outfill", "--model", grey.toString(), "--data", GREY, "--index", "2", "--window", "10");
        assertThat(same(a, b)).isFalse();
    }

    @Test
    void restoreReportsPsnrAndDrawsThreeRows() throws Exception {
        Path f = tmp.resolve("restore-a.png");
        Result r = cli("restore", "--model", grey.toString(), "--data", GREY, "-n", "4", "--noise", "gaussian:0.3", "--seed", "1",
                "--out", f.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("gaussian:0.3 noise on the first 4 test records \\(seed 1\\), method map: PSNR noisy \\d+\\.\\d\\d dB -> restored \\d+\\.\\d\\d dB");
        BufferedImage a = ImageIO.read(f.toFile());
        assertGrid(a, 4, 3);
        assertThat(notBlank(a)).isTrue();
        // clean row unchanged between seeds, noisy row differs
        BufferedImage b = png("restore-b.png", "restore", "--model", grey.toString(), "--data", GREY, "-n", "4", "--noise", "gaussian:0.3", "--seed", "2");
        assertThat(pixel(a, 1, 0, 5, 5)).isEqualTo(pixel(b, 1, 0, 5, 5));
        assertThat(same(a, b)).isFalse();
        BufferedImage one = png("restore-c.png", "restore", "--model", grey.toString(), "--data", GREY, "--index", "5", "--noise", "salt-pepper:0.2");
        assertGrid(one, 1, 3);
    }

    @Test
    void colorizeWritesGreyColourAndOriginal() throws Exception {
        BufferedImage a = png("colorize-a.png", "colorize", "--model", rgb.toString(), "--data", RGB, "--index", "0", "--iterations", "30");
        assertGrid(a, 3, 1);
        // the first tile is grey, the third is the coloured original
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int p = pixel(a, 0, 0, x, y);
                assertThat((p >> 16) & 0xff).isEqualTo(p & 0xff);
            }
        }
        BufferedImage b = png("colorize-b.png", "colorize", "--model", rgb.toString(), "--data", RGB, "--index", "1", "--iterations", "30");
        assertThat(same(a, b)).isFalse();
    }

    static void assertUsageError(Result r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().trim()).doesNotContain("\n").contains(message);
    }

    @Test
    void badArgumentsGiveExitCodeTwoAndOneLine() {
        String out = tmp.resolve("bad.png").toString();
        assertUsageError(cli("interpolate", "--model", grey.toString(), "--data", GREY, "--from", "70000", "--to", "1", "--out", out),
                "--from 70000 is out of range (the test split has 80 records)");
        assertUsageError(cli("inpaint", "--model", grey.toString(), "--data", GREY, "--index", "80", "--mask", "bottom-half", "--out", out),
                "--index 80 is out of range (the test split has 80 records)");
        assertUsageError(cli("inpaint", "--model", grey.toString(), "--data", GREY, "--index", "0", "--mask", "box:30,30,10,10", "--out", out),
                "mask box:30,30,10,10 lies outside the 16×16 image");
        assertUsageError(cli("inpaint", "--model", grey.toString(), "--data", GREY, "--index", "0", "--mask", "lower-half", "--out", out),
                "unknown mask 'lower-half'");
        assertUsageError(cli("inpaint", "--model", grey.toString(), "--data", GREY, "--index", "0", "--mask", "bottom-half",
                "--method", "magic", "--out", out), "--method must be iterative or optimize");
        assertUsageError(cli("outfill", "--model", grey.toString(), "--data", GREY, "--index", "0", "--window", "16", "--out", out),
                "nothing is left to fill");
        assertUsageError(cli("manifold", "--model", grey.toString(), "--out", out), "manifold needs a 2-D latent; this model has 3");
        assertUsageError(cli("colorize", "--model", grey.toString(), "--data", GREY, "--index", "0", "--out", out),
                "colorize needs an RGB model; this one has 1 channel");
        assertUsageError(cli("restore", "--model", grey.toString(), "--data", GREY, "--noise", "speckle:0.1", "--out", out),
                "unknown noise 'speckle'");
        assertUsageError(cli("restore", "--model", grey.toString(), "--data", GREY, "--index", "1", "-n", "3", "--noise", "gaussian:0.3",
                "--out", out), "give either --index or -n, not both");
        assertUsageError(cli("traverse", "--model", grey.toString(), "--dims", "4", "--out", out), "--dims must be in 1..3");
        assertUsageError(cli("interpolate", "--model", grey.toString(), "--data", GREY, "--from", "0", "--to", "1", "--mode", "spline",
                "--out", out), "interpolation mode must be linear (lerp) or slerp");
        // records of the wrong shape are bad data for this model, not a bad option (issue 15): exit 1
        Result shape = cli("interpolate", "--model", grey.toString(), "--data", RGB, "--from", "0", "--to", "1", "--out", out);
        assertThat(shape.code()).as(shape.err()).isEqualTo(1);
        assertThat(shape.err().trim()).doesNotContain("\n").contains("but the model expects [1, 16, 16]");
        assertUsageError(cli("manifold", "--model", rgb.toString(), "--out", tmp.resolve("bad.jpg").toString()), "output must be a .png file");
        assertThat(Files.exists(tmp.resolve("bad.png"))).isFalse();
    }
}
