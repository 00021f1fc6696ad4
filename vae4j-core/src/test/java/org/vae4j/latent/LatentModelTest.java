package org.vae4j.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vae4j.TestData;
import org.vae4j.data.DataSplits;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

/** The model-based latent tools on one small VAE trained on soft blobs (1×12×12). */
class LatentModelTest {
    static final int S = 12;
    static final DataSplits DATA = TestData.splits(1200, 100, 1, S);
    static VaeModel model;

    @BeforeAll
    static void train() {
        ModelConfig mc = ModelConfig.vae(List.of(1, S, S), 4, ArchConfig.mlp(128), "bernoulli", 1.0);
        model = Training.of(mc, TrainConfig.defaults().withEpochs(8).withBatchSize(32).withThreads(1)).data(DATA, "blobs").fit();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static float[] test(int n) {
        return DATA.test().head(n).materialize().data();
    }

    @Test
    void interpolationStartsAndEndsAtTheReconstructionsOfTheEndpoints() {
        float[] a = DATA.test().record(0);
        float[] b = DATA.test().record(1);
        float[] path = Interpolation.decodedPath(model, a, b, 7, Interpolation.Mode.SLERP);
        int d = S * S;
        assertThat(path).hasSize(7 * d);
        float[] ra = model.reconstruct(a, 1);
        float[] rb = model.reconstruct(b, 1);
        for (int j = 0; j < d; j++) {
            assertThat(path[j]).isCloseTo(ra[j], within(1e-5f));
            assertThat(path[6 * d + j]).isCloseTo(rb[j], within(1e-5f));
        }
        // the middle differs from both ends
        float[] mid = java.util.Arrays.copyOfRange(path, 3 * d, 4 * d);
        assertThat(ImageMetrics.meanSquaredError(mid, ra)).isGreaterThan(1e-4);
        float[] fade = Interpolation.crossFade(a, b, 3);
        assertThat(fade[d + 5]).isCloseTo((a[5] + b[5]) / 2, within(1e-6f));
        assertThat(java.util.Arrays.copyOfRange(fade, 2 * d, 3 * d)).containsExactly(b);
    }

    static double[] inpaintingErrors(String maskSpec, Inpainting.Method method, int iterations) {
        int n = 40;
        float[] x = test(n);
        Mask mask = Mask.parse(maskSpec, S, S);
        float[] filled = Inpainting.inpaint(model, x, n, mask, method, iterations);
        boolean[] missing = mask.values(1);
        int d = S * S;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (!missing[j]) {
                    assertThat(filled[i * d + j]).isEqualTo(x[i * d + j]);
                }
            }
        }
        float[] mean = Inpainting.meanImage(DATA.train().materialize().data(), DATA.train().size(), d);
        float[] baseline = Inpainting.fillWith(x, n, 1, mask, mean);
        return new double[] {ImageMetrics.maskedSquaredError(x, filled, n, 1, mask), ImageMetrics.maskedSquaredError(x, baseline, n, 1, mask)};
    }

    @Test
    void iterativeInpaintingKeepsObservedPixelsAndBeatsTheMeanImage() {
        double[] e = inpaintingErrors("bottom-half", Inpainting.Method.ITERATIVE, 20);
        assertThat(e[0]).isLessThan(e[1]);
    }

    @Test
    void optimisedInpaintingKeepsObservedPixelsBeatsTheMeanImageAndLeavesTheWeightsAlone() {
        Map<String, float[]> before = new java.util.LinkedHashMap<>();
        model.parameters().forEach((k, v) -> before.put(k, v.toFloatArray()));
        double[] e = inpaintingErrors("right-half", Inpainting.Method.OPTIMIZE, 150);
        assertThat(e[0]).isLessThan(e[1]);
        model.parameters().forEach((k, v) -> {
            assertThat(v.toFloatArray()).as(k).containsExactly(before.get(k));
            assertThat(v.hasGradient()).as(k).isTrue();
        });
    }

    /** Latent optimisation gives bit-identical results when a GC runs between every forward and backward. */
    @Test
    void latentOptimisationDoesNotDependOnGcTiming() {
        float[] x = test(8);
        Mask mask = Mask.parse("center:6", S, S);
        float[] plain = Inpainting.inpaint(model, x, 8, mask, Inpainting.Method.OPTIMIZE, 30);
        LatentOptimizer.gcBetweenForwardAndBackward = true;
        try {
            assertThat(Inpainting.inpaint(model, x, 8, mask, Inpainting.Method.OPTIMIZE, 30)).containsExactly(plain);
        } finally {
            LatentOptimizer.gcBetweenForwardAndBackward = false;
        }
    }

    @Test
    void restorationRaisesPsnrForGaussianNoise() {
        Restoration.Result r = Restoration.run(model, test(50), 50, Noise.parse("gaussian:0.3"), 3);
        assertThat(r.psnrRestored()).isGreaterThan(r.psnrNoisy() + 3);
        assertThat(r.psnrNoisy()).isBetween(10.0, 15.0);
    }

    @Test
    void mapRestorationRaisesPsnrForBothNoisesAndStaysNearTheCeiling() {
        for (String noise : new String[] {"gaussian:0.3", "salt-pepper:0.2"}) {
            Restoration.Result map = Restoration.run(model, test(50), 50, Noise.parse(noise), 3, Restoration.Method.MAP, 100);
            assertThat(map.psnrRestored()).as(noise).isGreaterThan(map.psnrNoisy() + 3);
            assertThat(map.psnrRestored()).as(noise).isGreaterThan(map.psnrCleanReconstruction() - 6);
            Restoration.Result rec = Restoration.run(model, test(50), 50, Noise.parse(noise), 3);
            assertThat(map.noisy()).as("same seed, same corruption").containsExactly(rec.noisy());
            assertThat(map.psnrCleanReconstruction()).isEqualTo(rec.psnrCleanReconstruction());
        }
        assertThatThrownBy(() -> Restoration.Method.parse("median")).hasMessageContaining("reconstruct or map");
    }

    @Test
    void traversalRanksByKlAndSweepsOneDimensionPerRow() {
        Traversal.Ranking rank = Traversal.rank(model, test(100), 100);
        assertThat(rank.measure()).isEqualTo("KL");
        assertThat(rank.scores()).hasSize(4);
        int[] top = rank.top(2);
        assertThat(rank.scores()[top[0]]).isGreaterThanOrEqualTo(rank.scores()[top[1]]);
        float[] base = model.encode(DATA.test().record(0), 1).mu();
        float[] codes = Traversal.codes(base, top, 3, 5);
        assertThat(codes[top[0]]).isEqualTo(-3f);
        assertThat(codes[4 * 4 + top[0]]).isEqualTo(3f);
        int other = (top[0] + 1) % 4;
        assertThat(codes[2 * 4 + other]).isEqualTo(base[other]);
        float[] img = Traversal.decode(model, base, top, 3, 5);
        assertThat(img).hasSize(10 * S * S);
        assertThatThrownBy(() -> rank.top(5)).hasMessageContaining("--dims must be in 1..4");
    }

    @Test
    void latentProjectionUsesPcaAboveTwoDimensionsAndManifoldNeedsTwo() {
        LatentProjection p = LatentProjection.of(model, test(100), 100);
        assertThat(p.pca()).isTrue();
        assertThat(p.points()).hasSize(200);
        assertThat(p.explained()[0]).isGreaterThanOrEqualTo(p.explained()[1]);
        assertThat(p.describe()).startsWith("PCA projection of the 4-D latent");
        assertThatThrownBy(() -> Manifold.decode(model, 5)).hasMessage("manifold needs a 2-D latent; this model has 4");
        assertThatThrownBy(() -> Colorization.colorize(model, new float[3 * S * S], 1, 5, 0.05))
                .hasMessage("colorize needs an RGB model; this one has 1 channel");
    }
}
