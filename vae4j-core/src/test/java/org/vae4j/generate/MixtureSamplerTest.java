package org.vae4j.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.CvaeFixture;
import org.vae4j.model.ModelStore;
import org.vae4j.model.Posterior;
import org.vae4j.model.VaeModel;
import org.vae4j.train.Inputs;

class MixtureSamplerTest {
    static VaeModel cvae;

    @BeforeAll
    static void train() {
        cvae = CvaeFixture.train();
    }

    @AfterAll
    static void close() {
        cvae.close();
    }

    @Test
    void specsParse() {
        assertThat(CodeSampler.Spec.parse("prior").isPrior()).isTrue();
        assertThat(CodeSampler.Spec.parse(" GMM:25 ")).isEqualTo(new CodeSampler.Spec("gmm", 25));
        assertThat(CodeSampler.Spec.parse("gmm").components()).isEqualTo(10);
        assertThatThrownBy(() -> CodeSampler.Spec.parse("gmm:0")).hasMessageContaining("1 <= K");
        assertThatThrownBy(() -> CodeSampler.Spec.parse("gmm:x")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> CodeSampler.Spec.parse("flow")).hasMessageContaining("prior or gmm:K");
    }

    @Test
    void thePriorSamplerDrawsTheCodesSamplingAlwaysDrew() {
        float[] codes = PriorSamples.codes(cvae, 20, 4, PriorSamples.Labels.none(), CodeSampler.PRIOR);
        assertThat(codes).isEqualTo(cvae.priorCodes(20, 4));
    }

    @Test
    void aConditionalModelGetsOneMixtureFittedToEachLabelsCodes() {
        MixtureSampler s = MixtureSampler.fit(cvae, CvaeFixture.DATA.train(), 2, 1, 100_000, null);
        assertThat(s.describe().mixtures()).hasSize(cvae.classes());
        assertThat(s.spec()).isEqualTo("gmm:2");
        // the mixture of label y sits on the codes of label y's records: its mean is their mean
        var train = CvaeFixture.DATA.train();
        int d = train.featureSize();
        int l = cvae.latent();
        for (int y = 0; y < cvae.classes(); y++) {
            double[] mean = new double[l];
            int count = 0;
            float[] x = new float[d];
            for (int i = 0; i < train.size(); i++) {
                if (train.labels()[i] != y) {
                    continue;
                }
                train.copyRecord(i, x, 0);
                Posterior p = cvae.encode(Inputs.forEvaluation(x, cvae.config().transform()), 1, new int[] {y});
                for (int t = 0; t < l; t++) {
                    mean[t] += p.mu()[t];
                }
                count++;
            }
            GaussianMixture g = s.mixture(y);
            double[] w = g.weights();
            for (int t = 0; t < l; t++) {
                double m = w[0] * g.mean(0)[t] + w[1] * g.mean(1)[t];
                assertThat(m).as("label %d, dimension %d", y, t).isCloseTo(mean[t] / count, within(1e-3));
            }
            assertThat(s.describe().mixtures().get(y).records()).isEqualTo(count);
        }
    }

    @Test
    void gmmSamplesLandOnTheirLabelAndAreReproducible() {
        MixtureSampler s = MixtureSampler.fit(cvae, CvaeFixture.DATA.train(), 3, 1, 100_000, null);
        for (int y = 0; y < 4; y++) {
            float[] x = PriorSamples.sample(cvae, 100, 3, PriorSamples.Labels.fixed(y), s);
            int hits = 0;
            for (int i = 0; i < 100; i++) {
                hits += CvaeFixture.quadrant(x, i * 144) == y ? 1 : 0;
            }
            assertThat(hits).as("label %d", y).isGreaterThanOrEqualTo(95);
            assertThat(PriorSamples.sample(cvae, 100, 3, PriorSamples.Labels.fixed(y), s)).isEqualTo(x);
        }
        // the codes the latent tools get are those the samples were decoded from
        float[] codes = PriorSamples.codes(cvae, 10, 5, PriorSamples.Labels.fixed(1), s);
        assertThat(cvae.decode(codes, 10, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}))
                .isEqualTo(PriorSamples.sample(cvae, 10, 5, PriorSamples.Labels.fixed(1), s));
    }

    @Test
    void aFitIsSavedBesideTheModelAndIgnoredOnceTheWeightsChange(@TempDir Path dir) throws Exception {
        ModelStore.save(cvae, dir, null);
        Samplers.Obtained first = Samplers.obtain(dir, cvae, CodeSampler.Spec.parse("gmm:2"), CvaeFixture.DATA::train, 1);
        assertThat(first.fitted()).isTrue();
        assertThat(first.file()).isEqualTo(dir.resolve("sampler-gmm-2.json")).exists();
        Samplers.Obtained again = Samplers.obtain(dir, cvae, CodeSampler.Spec.parse("gmm:2"),
                () -> { throw new AssertionError("a saved fit needs no data"); }, 1);
        assertThat(again.fitted()).isFalse();
        float[] a = PriorSamples.sample(cvae, 16, 2, PriorSamples.Labels.fixed(0), first.sampler());
        float[] b = PriorSamples.sample(cvae, 16, 2, PriorSamples.Labels.fixed(0), again.sampler());
        assertThat(b).isEqualTo(a); // the saved doubles round-trip exactly
        // other weights: the old fit is not used
        byte[] w = Files.readAllBytes(dir.resolve(ModelStore.WEIGHTS));
        w[w.length - 1] ^= 1;
        Files.write(dir.resolve(ModelStore.WEIGHTS), w);
        assertThat(MixtureSampler.load(dir, 2, cvae)).isNull();
        // a damaged file is named
        Files.writeString(dir.resolve("sampler-gmm-2.json"), "{\"formatVersion\": 1,");
        assertThatThrownBy(() -> MixtureSampler.load(dir, 2, cvae)).hasMessageStartingWith(dir.resolve("sampler-gmm-2.json").toString());
        // the prior needs nothing
        assertThat(Samplers.obtain(dir, cvae, CodeSampler.Spec.PRIOR, () -> null, 1).sampler()).isSameAs(CodeSampler.PRIOR);
    }
}
