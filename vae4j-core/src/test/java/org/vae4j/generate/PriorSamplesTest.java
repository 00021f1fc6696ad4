package org.vae4j.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vae4j.CvaeFixture;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;

class PriorSamplesTest {
    static VaeModel cvae;

    @BeforeAll
    static void train() {
        cvae = CvaeFixture.train();
    }

    @AfterAll
    static void close() {
        cvae.close();
    }

    /** All samples of {@code n}, drawn {@code batch} at a time. */
    static float[] drawn(VaeModel m, int n, long seed, PriorSamples.Labels labels, int batch) throws Exception {
        float[] out = new float[n * m.featureSize()];
        List<Long> starts = new ArrayList<>();
        PriorSamples.forEachBatch(m, n, seed, labels, batch, (start, v, b) -> {
            starts.add(start);
            assertThat(b).isLessThanOrEqualTo(batch);
            System.arraycopy(v, 0, out, (int) start * m.featureSize(), b * m.featureSize());
        });
        assertThat(starts).hasSize((n + batch - 1) / batch);
        return out;
    }

    @Test
    void aSampleDoesNotDependOnTheBatchSizeOrOnHowManyAreDrawn() throws Exception {
        PriorSamples.Labels two = PriorSamples.Labels.fixed(2);
        float[] a = drawn(cvae, 50, 9, two, 7);
        float[] b = drawn(cvae, 50, 9, two, 1000);
        float[] first = drawn(cvae, 13, 9, two, 4);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("value %d", i).isCloseTo(b[i], org.assertj.core.api.Assertions.within(1e-6f));
        }
        for (int i = 0; i < first.length; i++) {
            assertThat(first[i]).isCloseTo(a[i], org.assertj.core.api.Assertions.within(1e-6f));
        }
        // the codes are VaeModel.priorCodes's: the in-memory API gives the same samples
        float[] api = cvae.sample(50, 9, fill(50, 2));
        for (int i = 0; i < a.length; i++) {
            assertThat(api[i]).isCloseTo(a[i], org.assertj.core.api.Assertions.within(1e-6f));
        }
        // another seed, other samples
        float[] other = drawn(cvae, 50, 10, two, 1000);
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff += Math.abs(a[i] - other[i]);
        }
        assertThat(diff / a.length).isGreaterThan(1e-3);
    }

    @Test
    void theLabelDecidesWhereASampledBlobIs() {
        // the blobs' label is their quadrant: samples of label y should have their mass in quadrant y
        int n = 100;
        for (int y = 0; y < 4; y++) {
            float[] x = PriorSamples.sample(cvae, n, 3, PriorSamples.Labels.fixed(y));
            int hits = 0;
            for (int i = 0; i < n; i++) {
                hits += CvaeFixture.quadrant(x, i * 144) == y ? 1 : 0;
            }
            assertThat(hits).as("samples of label %d in quadrant %d", y, y).isGreaterThanOrEqualTo(90);
        }
        // cycling: sample i has label i mod 4, with the same code as a fixed-label draw of the same index
        float[] cyc = PriorSamples.sample(cvae, 8, 3, PriorSamples.Labels.cycle(4));
        float[] fixed1 = PriorSamples.sample(cvae, 8, 3, PriorSamples.Labels.fixed(1));
        for (int j = 0; j < 144; j++) { // (sample 5 of a 4-cycle has label 1)
            assertThat(cyc[5 * 144 + j]).isCloseTo(fixed1[5 * 144 + j], org.assertj.core.api.Assertions.within(1e-6f));
        }
        assertThat(PriorSamples.Labels.cycle(4).slice(6, 4)).containsExactly(2, 3, 0, 1);
        assertThat(PriorSamples.Labels.fixed(3).slice(100, 2)).containsExactly(3, 3);
        assertThat(PriorSamples.Labels.none().slice(0, 2)).isNull();
    }

    @Test
    void labelsMustSuitTheModel() {
        assertThatThrownBy(() -> PriorSamples.sample(cvae, 2, 1, PriorSamples.Labels.none()))
                .hasMessage("a 'cvae' model is conditional: give a label (0..3)");
        assertThatThrownBy(() -> PriorSamples.sample(cvae, 2, 1, PriorSamples.Labels.fixed(4)))
                .hasMessage("label 4 is out of range: this model knows labels 0..3");
        assertThatThrownBy(() -> PriorSamples.sample(cvae, 2, 1, PriorSamples.Labels.cycle(5)))
                .hasMessage("label 4 is out of range: this model knows labels 0..3");
        try (VaeModel vae = VaeModel.create(ModelConfig.vae(List.of(1, 12, 12), 4, ArchConfig.mlp(16), "bernoulli", 1.0), 1)) {
            assertThatThrownBy(() -> PriorSamples.sample(vae, 2, 1, PriorSamples.Labels.fixed(0)))
                    .hasMessage("a 'vae' model takes no label; only conditional models (cvae) do");
            assertThat(PriorSamples.sample(vae, 3, 1, PriorSamples.Labels.none())).hasSize(3 * 144)
                    .containsExactly(vae.sample(3, 1));
        }
    }

    static int[] fill(int n, int v) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
