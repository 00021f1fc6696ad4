package org.vae4j.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vae4j.TestData;
import org.vae4j.data.DataSplits;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelVariant;
import org.vae4j.model.UnsupportedCapabilityException;
import org.vae4j.model.VaeModel;
import org.vae4j.model.cvae.CvaeVariant;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

/**
 * The latent tools on a conditional VAE (blobs labelled by the quadrant of their centre: 0 tl, 1 tr, 2 bl, 3 br) with
 * a 2-D latent: interpolation and traversal within a class, labels for the tools that start from records, and the
 * one-line refusals of models that lack what a tool needs.
 */
class ConditionalLatentTest {
    static final int S = 12;
    static final int D = S * S;
    static final DataSplits DATA = TestData.splits(1200, 100, 1, S);
    static VaeModel cvae;
    static VaeModel vae;
    static VaeModel decoderOnly;

    @BeforeAll
    static void train() {
        ModelConfig base = ModelConfig.vae(List.of(1, S, S), 2, ArchConfig.mlp(96), "bernoulli", 1.0);
        cvae = Training.of(base.withModel("cvae", new CvaeVariant.Settings(4)),
                TrainConfig.defaults().withEpochs(8).withBatchSize(32).withThreads(1)).data(DATA, "blobs").fit();
        vae = VaeModel.create(base, 1);
        decoderOnly = VaeModel.create(base.withModel("test-decoder-only", ModelVariant.NoSettings.INSTANCE), 1);
    }

    @AfterAll
    static void close() {
        cvae.close();
        vae.close();
        decoderOnly.close();
    }

    static float[] test(int n) {
        return DATA.test().head(n).materialize().data();
    }

    static int[] testLabels(int n) {
        return Arrays.copyOf(DATA.test().labels(), n);
    }

    static float[] image(float[] x, int i) {
        return Arrays.copyOfRange(x, i * D, (i + 1) * D);
    }

    /** Mean column and row of the intensity of images {@code n} images: where the blobs are. */
    static double[] centroid(float[] x, int n) {
        double sx = 0;
        double sy = 0;
        double m = 0;
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < D; p++) {
                double v = x[i * D + p];
                sx += v * (p % S);
                sy += v * (p / S);
                m += v;
            }
        }
        return new double[] {sx / m, sy / m};
    }

    @Test
    void interpolationWithinAClassStartsAndEndsAtTheReconstructionsGivenThatLabel() {
        float[] a = DATA.test().record(0);
        float[] b = DATA.test().record(1);
        float[][] paths = new float[4][];
        for (int label = 0; label < 4; label++) {
            float[] path = Interpolation.decodedPath(cvae, a, b, 6, Interpolation.Mode.LINEAR, label);
            assertThat(path).hasSize(6 * D);
            float[] ra = cvae.reconstruct(a, 1, new int[] {label});
            float[] rb = cvae.reconstruct(b, 1, new int[] {label});
            for (int j = 0; j < D; j++) {
                assertThat(path[j]).as("label %d, start", label).isCloseTo(ra[j], within(1e-5f));
                assertThat(path[5 * D + j]).as("label %d, end", label).isCloseTo(rb[j], within(1e-5f));
            }
            paths[label] = path;
        }
        // the same two records under another label give another path: the label reaches the decoder
        for (int label = 1; label < 4; label++) {
            assertThat(ImageMetrics.meanSquaredError(paths[0], paths[label])).as("label 0 vs %d", label).isGreaterThan(1e-3);
        }
        assertThatThrownBy(() -> Interpolation.decodedPath(cvae, a, b, 6, Interpolation.Mode.LINEAR))
                .hasMessage("interpolation: a 'cvae' model is conditional: give a label (0..3)");
        assertThatThrownBy(() -> Interpolation.decodedPath(cvae, a, b, 6, Interpolation.Mode.LINEAR, 4))
                .hasMessage("interpolation: label 4 is out of range: this model knows labels 0..3");
    }

    @Test
    void aPathBetweenCodesIsDecodedWithItsLabelHeldFixed() {
        float[] za = {-1.5f, 0.5f};
        float[] zb = {1f, -1f};
        float[] path = Interpolation.decodeCodes(cvae, za, zb, 5, Interpolation.Mode.SLERP, 2);
        float[] codes = Interpolation.path(za, zb, 5, Interpolation.Mode.SLERP);
        for (int s = 0; s < 5; s++) {
            float[] one = cvae.decode(Arrays.copyOfRange(codes, 2 * s, 2 * s + 2), 1, new int[] {2});
            for (int j = 0; j < D; j++) {
                assertThat(path[s * D + j]).isCloseTo(one[j], within(1e-6f));
            }
        }
    }

    @Test
    void traversalWithinAClassKeepsTheLabelOnEveryImage() {
        int n = 100;
        Traversal.Ranking rank = Traversal.rank(cvae, test(n), n, testLabels(n));
        assertThat(rank.measure()).isEqualTo("KL");
        assertThat(rank.scores()).hasSize(2);
        int[] top = rank.top(2);
        float[] base = cvae.encode(DATA.test().record(0), 1, new int[] {DATA.test().labels()[0]}).mu();
        float[] first = null;
        for (int label = 0; label < 4; label++) {
            float[] img = Traversal.decode(cvae, base, top, 2, 5, label);
            assertThat(img).hasSize(10 * D);
            float[] want = cvae.decode(Traversal.codes(base, top, 2, 5), 10, Conditions.fixed(label, 10));
            for (int j = 0; j < want.length; j++) {
                assertThat(img[j]).isCloseTo(want[j], within(1e-6f));
            }
            if (first == null) {
                first = img;
            } else {
                assertThat(ImageMetrics.meanSquaredError(first, img)).as("label 0 vs %d", label).isGreaterThan(1e-3);
            }
        }
        assertThatThrownBy(() -> Traversal.rank(cvae, test(n), n))
                .hasMessage("ranking latent dimensions: a 'cvae' model is conditional: give a label (0..3)");
        assertThatThrownBy(() -> Traversal.decode(cvae, base, top, 2, 5))
                .hasMessage("traversal: a 'cvae' model is conditional: give a label (0..3)");
    }

    @Test
    void theManifoldOfEachClassMovesTheBlobTowardsThatClasssQuadrant() {
        double[][] where = new double[4][];
        for (int label = 0; label < 4; label++) {
            where[label] = centroid(Manifold.decode(cvae, 6, label), 36);
        }
        // labels are quadrants of the blob's centre (tl, tr, bl, br): the right-hand classes lie further right than the
        // left-hand ones by more than half a pixel, the bottom ones further down than the top ones
        assertThat(where[1][0] - where[0][0]).as("tr vs tl, x").isGreaterThan(0.5);
        assertThat(where[3][0] - where[2][0]).as("br vs bl, x").isGreaterThan(0.5);
        assertThat(where[2][1] - where[0][1]).as("bl vs tl, y").isGreaterThan(0.5);
        assertThat(where[3][1] - where[1][1]).as("br vs tr, y").isGreaterThan(0.5);
    }

    @Test
    void inpaintingGivenTheTrueLabelsBeatsTheSameRecordsGivenTheWrongOnes() {
        int n = 40;
        float[] x = test(n);
        int[] labels = testLabels(n);
        int[] flipped = new int[n];
        for (int i = 0; i < n; i++) {
            flipped[i] = labels[i] ^ 2; // top <-> bottom: the hidden bottom half is where the label is wrong
        }
        Mask mask = Mask.parse("bottom-half", S, S);
        boolean[] missing = mask.values(1);
        for (Inpainting.Method method : Inpainting.Method.values()) {
            int its = method == Inpainting.Method.OPTIMIZE ? 100 : 10;
            float[] right = Inpainting.inpaint(cvae, x, n, labels, mask, method, its);
            float[] wrong = Inpainting.inpaint(cvae, x, n, flipped, mask, method, its);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < D; j++) {
                    if (!missing[j]) {
                        assertThat(right[i * D + j]).isEqualTo(x[i * D + j]);
                    }
                }
            }
            double eRight = ImageMetrics.maskedSquaredError(x, right, n, 1, mask);
            double eWrong = ImageMetrics.maskedSquaredError(x, wrong, n, 1, mask);
            assertThat(eRight).as(method + ": true labels %.4f vs wrong %.4f", eRight, eWrong).isLessThan(0.8 * eWrong);
        }
        assertThatThrownBy(() -> Inpainting.inpaint(cvae, x, n, mask, Inpainting.Method.ITERATIVE, 2))
                .hasMessage("inpainting: a 'cvae' model is conditional: give a label (0..3)");
        assertThatThrownBy(() -> Inpainting.inpaint(cvae, x, n, new int[3], mask, Inpainting.Method.ITERATIVE, 2))
                .hasMessage("inpainting: expected 40 labels, got 3");
    }

    @Test
    void restorationLatentMapAndManifoldTakeLabels() {
        int n = 30;
        float[] x = test(n);
        int[] labels = testLabels(n);
        Restoration.Result map = Restoration.run(cvae, x, n, labels, Noise.parse("gaussian:0.3"), 3, Restoration.Method.MAP, 60);
        assertThat(map.psnrRestored()).isGreaterThan(map.psnrNoisy() + 3);
        assertThat(map.psnrCleanReconstruction()).isEqualTo(ImageMetrics.psnr(x, Encodings.reconstruct(cvae, x, n, labels)));
        float[] rec = Restoration.restore(cvae, map.noisy(), n, labels);
        assertThat(rec).containsExactly(Encodings.reconstruct(cvae, map.noisy(), n, labels));

        LatentProjection p = LatentProjection.of(cvae, x, n, labels);
        assertThat(p.pca()).isFalse();
        assertThat(p.points()).containsExactly(cvae.encode(x, n, labels).mu());

        float[] grid = Manifold.decode(cvae, 4, 1);
        assertThat(grid).containsExactly(cvae.decode(Manifold.codes(4), 16, Conditions.fixed(1, 16)));
        assertThatThrownBy(() -> Manifold.decode(cvae, 4)).hasMessage("manifold: a 'cvae' model is conditional: give a label (0..3)");
        assertThatThrownBy(() -> LatentProjection.of(cvae, x, n)).hasMessage("latent map: a 'cvae' model is conditional: give a label (0..3)");
        assertThatThrownBy(() -> Restoration.restore(cvae, x, n)).hasMessage("restoration: a 'cvae' model is conditional: give a label (0..3)");
    }

    @Test
    void unconditionalModelsRefuseALabelInOneLine() {
        float[] a = DATA.test().record(0);
        float[] b = DATA.test().record(1);
        assertThatThrownBy(() -> Interpolation.decodedPath(vae, a, b, 4, Interpolation.Mode.LINEAR, 0))
                .isInstanceOf(UnsupportedCapabilityException.class)
                .hasMessage("interpolation: a 'vae' model cannot condition on a label");
        assertThatThrownBy(() -> Traversal.decode(vae, new float[2], new int[] {0}, 1, 3, 1))
                .hasMessage("traversal: a 'vae' model cannot condition on a label");
        assertThatThrownBy(() -> Manifold.decode(vae, 3, 0)).hasMessage("manifold: a 'vae' model cannot condition on a label");
        assertThatThrownBy(() -> Inpainting.inpaint(vae, test(2), 2, new int[2], Mask.parse("bottom-half", S, S), Inpainting.Method.OPTIMIZE, 2))
                .hasMessage("inpainting: a 'vae' model cannot condition on a label");
        assertThatThrownBy(() -> Encodings.encode(vae, test(2), 2, new int[2])).hasMessage("encoding: a 'vae' model cannot condition on a label");
        // and without labels they work as before
        assertThat(Interpolation.decodedPath(vae, a, b, 4, Interpolation.Mode.LINEAR)).hasSize(4 * D);
    }

    @Test
    void aModelThatCannotEncodeIsRefusedByEveryToolThatEncodesAndServedByThoseThatOnlyDecode() {
        float[] x = test(4);
        String cannot = "a 'test-decoder-only' model cannot encode records";
        assertThatThrownBy(() -> Interpolation.decodedPath(decoderOnly, image(x, 0), image(x, 1), 4, Interpolation.Mode.LINEAR))
                .isInstanceOf(UnsupportedCapabilityException.class).hasMessage("interpolation between records: " + cannot);
        assertThatThrownBy(() -> Traversal.rank(decoderOnly, x, 4)).hasMessage("ranking latent dimensions: " + cannot);
        assertThatThrownBy(() -> LatentProjection.of(decoderOnly, x, 4)).hasMessage("latent map: " + cannot);
        assertThatThrownBy(() -> Inpainting.inpaint(decoderOnly, x, 4, Mask.parse("bottom-half", S, S), Inpainting.Method.ITERATIVE, 2))
                .hasMessage("inpainting: " + cannot);
        assertThatThrownBy(() -> Restoration.run(decoderOnly, x, 4, Noise.parse("gaussian:0.3"), 1)).hasMessage("restoration: " + cannot);
        assertThatThrownBy(() -> Colorization.colorize(decoderOnly, new float[3 * D], 1, 5, 0.05)).hasMessage("colorize: " + cannot);
        assertThatThrownBy(() -> Encodings.encode(decoderOnly, x, 4)).hasMessage("encoding: " + cannot);
        assertThat(Manifold.decode(decoderOnly, 3)).hasSize(9 * D);
        assertThat(Traversal.decode(decoderOnly, new float[2], new int[] {1, 0}, 2, 3)).hasSize(6 * D);
        assertThat(Interpolation.decodeCodes(decoderOnly, new float[2], new float[] {1, 1}, 3, Interpolation.Mode.LINEAR)).hasSize(3 * D);
    }
}
