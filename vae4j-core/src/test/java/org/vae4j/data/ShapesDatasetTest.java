package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.data.ShapesDataset.Config;

class ShapesDatasetTest {

    private static final Config SMALL = new Config(32, 1, 300, 50, 42L, Map.of());

    private static double mass(float[] img, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) {
            m += img[i];
        }
        return m;
    }

    /** Centre of mass {x, y} of a grey image. */
    private static double[] centre(float[] img, int s) {
        double m = 0;
        double mx = 0;
        double my = 0;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                float v = img[y * s + x];
                m += v;
                mx += v * (x + 0.5);
                my += v * (y + 0.5);
            }
        }
        return new double[] {mx / m, my / m};
    }

    private static double l1(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.abs(a[i] - b[i]);
        }
        return d;
    }

    @Test
    void defaultsAreAsDocumented() {
        Config d = Config.defaults();
        assertThat(d).isEqualTo(new Config(32, 1, 20_000, 2_000, 0L, null));
        assertThat(d.factorWeights()).isEmpty();
        assertThat(ShapesDataset.factorSizes(1)).containsExactly(
                Map.entry("shape", 3), Map.entry("scale", 6), Map.entry("rotation", 8), Map.entry("x", 8), Map.entry("y", 8));
        assertThat(ShapesDataset.factorSizes(3)).containsEntry("color", 6).hasSize(6);
    }

    @Test
    void generatesDefaultSizedDataQuickly() {
        long t0 = System.nanoTime();
        DataSplits s = ShapesDataset.generate(Config.defaults());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(s.train().size()).isEqualTo(20_000);
        assertThat(s.test().size()).isEqualTo(2_000);
        assertThat(s.train().shape()).containsExactly(1, 32, 32);
        assertThat(s.train().name()).isEqualTo("shapes");
        assertThat(seconds).as("generation time in seconds").isLessThan(15);
    }

    @Test
    void sameSeedSameImagesOtherSeedOtherImages() {
        DataSplits a = ShapesDataset.generate(SMALL);
        DataSplits b = ShapesDataset.generate(SMALL);
        DataSplits c = ShapesDataset.generate(SMALL.withSeed(43));
        assertThat(a.train().contentHash()).isEqualTo(b.train().contentHash());
        assertThat(a.test().contentHash()).isEqualTo(b.test().contentHash());
        assertThat(a.train().factors().get("x")).isEqualTo(b.train().factors().get("x"));
        assertThat(c.train().contentHash()).isNotEqualTo(a.train().contentHash());
        assertThat(c.test().contentHash()).isNotEqualTo(a.test().contentHash());
        // the test set is not a prefix/copy of the training set
        assertThat(a.test().contentHash()).isNotEqualTo(a.train().head(50).contentHash());
        // more training images do not change the test images
        assertThat(ShapesDataset.generate(SMALL.withTrainCount(301)).test().contentHash()).isEqualTo(a.test().contentHash());
    }

    @Test
    void valuesAreAntiAliasedAndInRange() {
        ArrayDataset t = ShapesDataset.generate(SMALL).train().materialize();
        float min = 1;
        float max = 0;
        int partial = 0;
        for (float v : t.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (v > 0 && v < 1) {
                partial++;
            }
            // 4x4 supersampling: multiples of 1/16
            assertThat(v * 16).isCloseTo(Math.round(v * 16), within(1e-4f));
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
        assertThat(partial).as("anti-aliased edge pixels").isGreaterThan(300 * 10);
        // every image has a visible shape but leaves most of the image black
        for (int i = 0; i < t.size(); i++) {
            double m = mass(t.record(i), 0, 1024);
            assertThat(m).isBetween(0.3 * 0.3 * 1024 * 0.4, 0.6 * 0.6 * 1024 * 0.7);
        }
    }

    @Test
    void recordedFactorsReproduceEachImage() {
        ArrayDataset t = ShapesDataset.generate(SMALL.withChannels(3).withTrainCount(40)).train().materialize();
        Map<String, int[]> f = t.factors();
        assertThat(f.keySet()).containsExactly("shape", "scale", "rotation", "x", "y", "color");
        assertThat(t.labels()).isEqualTo(f.get("shape"));
        assertThat(t.labelNames()).containsExactly("square", "ellipse", "heart");
        for (int i = 0; i < t.size(); i++) {
            float[] img = ShapesDataset.render(32, 3, f.get("shape")[i], f.get("scale")[i], f.get("rotation")[i],
                    f.get("x")[i], f.get("y")[i], f.get("color")[i]);
            assertThat(t.record(i)).containsExactly(img);
        }
    }

    @Test
    void changingOnlyXOrYMovesTheCentreOfMass() {
        double step = 32 * 0.4 / 7;
        for (int shape = 0; shape < 3; shape++) {
            double[] c0 = centre(ShapesDataset.render(32, 1, shape, 3, 1, 0, 4, 0), 32);
            double[] c1 = centre(ShapesDataset.render(32, 1, shape, 3, 1, 1, 4, 0), 32);
            double[] c7 = centre(ShapesDataset.render(32, 1, shape, 3, 1, 7, 4, 0), 32);
            assertThat(c1[0] - c0[0]).isCloseTo(step, within(0.05));
            assertThat(c7[0] - c0[0]).isCloseTo(7 * step, within(0.05));
            assertThat(c7[1]).isCloseTo(c0[1], within(0.02));
            double[] d = centre(ShapesDataset.render(32, 1, shape, 3, 1, 0, 7, 0), 32);
            assertThat(d[1] - c0[1]).as("y grows downwards").isCloseTo(3 * step, within(0.05));
            assertThat(d[0]).isCloseTo(c0[0], within(0.02));
        }
    }

    @Test
    void scaleGrowsTheAreaQuadratically() {
        for (int shape = 0; shape < 3; shape++) {
            double small = mass(ShapesDataset.render(64, 1, shape, 0, 0, 4, 4, 0), 0, 4096);
            double large = mass(ShapesDataset.render(64, 1, shape, 5, 0, 4, 4, 0), 0, 4096);
            assertThat(large / small).isCloseTo(4.0, within(0.2));
        }
        // square area: side = diameter / sqrt 2, diameter 0.6 * 64
        double square = mass(ShapesDataset.render(64, 1, 0, 5, 0, 4, 4, 0), 0, 4096);
        assertThat(square).isCloseTo(Math.pow(0.6 * 64, 2) / 2, within(15.0));
    }

    @Test
    void rotationAndShapeChangeTheImage() {
        float[] heart0 = ShapesDataset.render(32, 1, 2, 5, 0, 4, 4, 0);
        float[] heart1 = ShapesDataset.render(32, 1, 2, 5, 1, 4, 4, 0);
        float[] heart4 = ShapesDataset.render(32, 1, 2, 5, 4, 4, 4, 0);
        assertThat(l1(heart0, heart1)).isGreaterThan(20);
        assertThat(mass(heart1, 0, 1024)).isCloseTo(mass(heart0, 0, 1024), within(0.03 * mass(heart0, 0, 1024)));
        // 180 degrees turns the heart upside down: its centre of mass moves to the other side of the centre
        double cy = 32 * (0.3 + 0.4 * 4 / 7);
        assertThat(centre(heart0, 32)[1] - cy).as("upright heart: heavy lobes on top").isLessThan(-0.2);
        assertThat(centre(heart4, 32)[1] - cy).isCloseTo(-(centre(heart0, 32)[1] - cy), within(0.05));
        float[] square0 = ShapesDataset.render(32, 1, 0, 5, 0, 4, 4, 0);
        assertThat(l1(square0, ShapesDataset.render(32, 1, 0, 5, 1, 4, 4, 0))).as("square at 45 degrees").isGreaterThan(20);
        assertThat(l1(square0, ShapesDataset.render(32, 1, 0, 5, 2, 4, 4, 0))).as("square at 90 degrees").isLessThan(1);
        assertThat(l1(square0, ShapesDataset.render(32, 1, 1, 5, 0, 4, 4, 0))).isGreaterThan(20);
        assertThat(l1(square0, heart0)).isGreaterThan(20);
    }

    @Test
    void shapesStayInsideTheImage() {
        // at the largest scale and extreme positions no part of any shape is cut off (the mass
        // differs from a central copy only by sampling phase, a few percent, not by clipping)
        for (int shape = 0; shape < 3; shape++) {
            for (int rot = 0; rot < 8; rot++) {
                double full = mass(ShapesDataset.render(32, 1, shape, 5, rot, 3, 4, 0), 0, 1024);
                for (int[] xy : new int[][] {{0, 0}, {7, 7}, {0, 7}, {7, 0}}) {
                    float[] img = ShapesDataset.render(32, 1, shape, 5, rot, xy[0], xy[1], 0);
                    assertThat(mass(img, 0, 1024)).as("shape %d rot %d at %d,%d", shape, rot, xy[0], xy[1])
                            .isCloseTo(full, within(0.05 * full));
                }
            }
        }
    }

    @Test
    void rgbImagesAreColouredByTheColourFactor() {
        DataSplits s = ShapesDataset.generate(SMALL.withChannels(3));
        assertThat(s.train().shape()).containsExactly(3, 32, 32);
        assertThat(s.train().name()).isEqualTo("shapes-rgb");
        float[] red = ShapesDataset.render(32, 3, 1, 3, 0, 4, 4, 0);
        float[] yellow = ShapesDataset.render(32, 3, 1, 3, 0, 4, 4, 3);
        float[] cyan = ShapesDataset.render(32, 3, 1, 3, 0, 4, 4, 5);
        double m = mass(red, 0, 1024);
        assertThat(m).isGreaterThan(50);
        assertThat(mass(red, 1024, 3072)).isZero();
        assertThat(mass(yellow, 0, 1024)).isEqualTo(m);
        assertThat(mass(yellow, 1024, 2048)).isEqualTo(m);
        assertThat(mass(yellow, 2048, 3072)).isZero();
        assertThat(mass(cyan, 0, 1024)).isZero();
        assertThat(mass(cyan, 2048, 3072)).isEqualTo(m);
        // each of the six colours gives a different image
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int c = 0; c < 6; c++) {
            seen.add(java.util.Arrays.toString(ShapesDataset.render(16, 3, 0, 0, 0, 0, 0, c)));
        }
        assertThat(seen).hasSize(6);
        // grey: white shape, identical coverage to any single colour plane
        float[] grey = ShapesDataset.render(32, 1, 1, 3, 0, 4, 4, 0);
        assertThat(java.util.Arrays.copyOf(red, 1024)).containsExactly(grey);
    }

    @Test
    void factorsAreUniformByDefault() {
        ArrayDataset t = ShapesDataset.generate(SMALL.withTrainCount(6000)).train().materialize();
        int[] counts = new int[8];
        for (int v : t.factors().get("x")) {
            counts[v]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(750 - 110, 750 + 110);
        }
    }

    @Test
    void skewedWeightsChangeFactorFrequencies() {
        Map<String, double[]> w = new LinkedHashMap<>();
        w.put("shape", new double[] {1, 0, 3});
        w.put("x", new double[] {0, 0, 0, 0, 0, 0, 1, 1});
        ArrayDataset t = ShapesDataset.generate(SMALL.withTrainCount(4000).withFactorWeights(w)).train().materialize();
        int[] shapes = new int[3];
        for (int v : t.factors().get("shape")) {
            shapes[v]++;
        }
        assertThat(shapes[1]).isZero();
        assertThat(shapes[0]).isBetween(1000 - 120, 1000 + 120);
        assertThat(shapes[2]).isBetween(3000 - 120, 3000 + 120);
        assertThat(t.factors().get("x")).containsOnly(6, 7);
        // factors without weights stay uniform
        int[] scales = new int[6];
        for (int v : t.factors().get("scale")) {
            scales[v]++;
        }
        for (int c : scales) {
            assertThat(c).isBetween(667 - 110, 667 + 110);
        }
    }

    @Test
    void configIsValidatedAndCopied() {
        double[] weights = {1, 2, 3};
        Config c = SMALL.withFactorWeights(Map.of("shape", weights));
        weights[0] = 100;
        assertThat(c.factorWeights().get("shape")).containsExactly(1, 2, 3);
        c.factorWeights().get("shape")[1] = 50;
        assertThat(c.factorWeights().get("shape")).containsExactly(1, 2, 3);
        assertThat(c).isEqualTo(SMALL.withFactorWeights(Map.of("shape", new double[] {1, 2, 3})));
        assertThat(c.hashCode()).isEqualTo(SMALL.withFactorWeights(Map.of("shape", new double[] {1, 2, 3})).hashCode());
        assertThat(c.toString()).contains("shape=[1.0, 2.0, 3.0]");

        assertThatThrownBy(() -> SMALL.withSize(4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> SMALL.withChannels(2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels");
        assertThatThrownBy(() -> SMALL.withTestCount(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> SMALL.withSize(1024).withChannels(3).withTrainCount(1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit");
        assertThatThrownBy(() -> SMALL.withFactorWeights(Map.of("colour", new double[6])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown factor 'colour'");
        assertThatThrownBy(() -> SMALL.withFactorWeights(Map.of("color", new double[] {1, 1, 1, 1, 1, 1})))
                .as("grey images have no colour factor").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SMALL.withFactorWeights(Map.of("x", new double[] {1, 2})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 8 weights but has 2");
        assertThatThrownBy(() -> SMALL.withFactorWeights(Map.of("shape", new double[] {1, -1, 1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-negative");
        assertThatThrownBy(() -> SMALL.withFactorWeights(Map.of("shape", new double[] {0, 0, 0})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum to zero");
        assertThatThrownBy(() -> SMALL.withFactorWeights(Map.of("shape", new double[] {1, Double.NaN, 1})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShapesDataset.render(32, 1, 3, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shape must be 0..2");
        assertThatThrownBy(() -> ShapesDataset.render(32, 3, 0, 0, 0, 0, 0, 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("color");
    }
}
