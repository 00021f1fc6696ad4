package org.vae4j.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vae4j.data.LoadContext;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

/** Colourisation with a small MLP VAE trained a few epochs on coloured shapes (3×16×16). */
class ColorizationTest {
    static final String SPEC = "shapes:rgb,n=2000,test=100,size=16";
    static DataSplits data;
    static VaeModel model;

    @BeforeAll
    static void train() {
        data = DataSources.load(SPEC, LoadContext.defaults());
        ModelConfig mc = ModelConfig.vae(List.of(3, 16, 16), 8, ArchConfig.mlp(256), "bernoulli", 1.0);
        model = Training.of(mc, TrainConfig.defaults().withEpochs(15).withBatchSize(32).withThreads(1)).data(data, SPEC).fit();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void luminanceOfRgbUsesBt601Weights() {
        float[] rgb = {1, 0, 0, 1, 0, 0};
        assertThat(Colorization.luminance(rgb, 1)).containsExactly(0.299f, 0.587f);
        float[] grey = Colorization.toRgb(new float[] {0.25f, 0.5f}, 1);
        assertThat(grey).containsExactly(0.25f, 0.5f, 0.25f, 0.5f, 0.25f, 0.5f);
        assertThat(Colorization.luminance(grey, 1)[1]).isCloseTo(0.5f, within(1e-6f));
    }

    @Test
    void colourisedImagesMatchTheLuminanceAndAreCloserToTheOriginalsThanGrey() {
        int n = 20;
        float[] x = data.test().head(n).materialize().data();
        Colorization.Result r = Colorization.colorize(model, x, n, Colorization.DEFAULT_ITERATIONS, Colorization.DEFAULT_LR);
        double before = 0;
        double after = 0;
        for (int i = 0; i < n; i++) {
            before += r.initialLuminanceError()[i];
            after += r.luminanceError()[i];
        }
        double greyErr = ImageMetrics.meanSquaredError(x, r.grey());
        double colourErr = ImageMetrics.meanSquaredError(x, r.colour());
        assertThat(after).isLessThan(before);
        assertThat(colourErr).isLessThan(0.95 * greyErr);
        // the hue comes back for most shapes: the mean colour inside the shape points the original's way
        int hits = 0;
        for (int i = 0; i < n; i++) {
            double[] a = meanColour(x, i);
            double[] b = meanColour(r.colour(), i);
            double cos = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2])
                    / Math.sqrt((a[0] * a[0] + a[1] * a[1] + a[2] * a[2]) * (b[0] * b[0] + b[1] * b[1] + b[2] * b[2]));
            if (cos > 0.9) {
                hits++;
            }
        }
        // a grey image scores 0 here: its cosine with any of the six pure colours is at most √(2/3) ≈ 0.82
        assertThat(hits).isGreaterThanOrEqualTo(8);
    }

    /** Mean R, G, B of record i inside its shape (pixels whose original luminance exceeds 0.1). */
    private static double[] meanColour(float[] images, int i) {
        int plane = 256;
        float[] lum = Colorization.luminance(data.test().record(i), 1);
        double[] sum = new double[3];
        for (int p = 0; p < plane; p++) {
            if (lum[p] > 0.1) {
                for (int c = 0; c < 3; c++) {
                    sum[c] += images[i * 3 * plane + c * plane + p];
                }
            }
        }
        return sum;
    }
}
