package org.vae4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vae4j.TestData;
import org.vae4j.data.DataSplits;
import org.vae4j.latent.Interpolation;
import org.vae4j.likelihood.LikelihoodKind;
import org.vae4j.train.EpochMetrics;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;
import org.vae4j.train.TrainingListener;

/**
 * The contract every registered model variant passes (pythae's per-model test sections): build, forward shapes,
 * finite loss, save/load round trip, interpolation endpoints, and a short training run that lowers the loss.
 */
class ModelVariantContractTest {
    static final DataSplits DATA = TestData.splits(256, 64, 1, 16);

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (ModelVariant v : ModelVariants.list().stream().filter(mv -> !mv.name().startsWith("test-")).toList()) {
            for (String arch : List.of("mlp", "conv")) {
                for (LikelihoodKind k : LikelihoodKind.values()) {
                    if (k.needsTable()) {
                        continue; // needs table data; see TableTrainingTest
                    }
                    out.add(Arguments.of(v.name(), arch, k.id()));
                }
            }
        }
        return out.stream();
    }

    static ModelConfig config(String variant, String arch, String likelihood) {
        ArchConfig a = arch.equals("mlp") ? ArchConfig.mlp(32) : ArchConfig.conv(List.of(4, 8), 16).withDropout(0.1);
        // TestData's blobs carry 4 labels (the quadrant of the blob), the condition of conditional models
        Record settings = ModelVariants.get(variant).settings(java.util.Map.of(), 4);
        return new ModelConfig(ModelConfig.FORMAT_VERSION, variant, List.of(1, 16, 16), 3, a, likelihood, 0.2, 1.0, DataTransform.NONE,
                settings);
    }

    @ParameterizedTest(name = "{0}/{1}/{2}")
    @MethodSource("cases")
    void buildsForwardsAndRoundTrips(String variant, String arch, String likelihood, @TempDir Path dir) {
        ModelConfig mc = config(variant, arch, likelihood);
        try (VaeModel m = VaeModel.create(mc, 7)) {
            assertThat(m.parameters().keySet()).contains("encoder.head.weight", "encoder.head.bias")
                    .allMatch(k -> k.startsWith("encoder.") || k.startsWith("decoder."));
            int n = 5;
            int p = m.likelihood().paramsPerValue();
            try (NDManager sub = m.manager().newSubManager()) {
                float[] x = DATA.test().head(n).materialize().data();
                ModelOutput out = m.forward(m.batch(sub.create(x, m.batchShape(n)), labels(m, 0, n)), false, Objective.elbo(1),
                        Noise.perRecord(1, x, 0, n, 256));
                assertThat(out.loss().getShape().dimension()).isZero();
                assertThat(out.recon().getShape().getShape()).containsExactly(n);
                assertThat(out.kl().getShape().getShape()).containsExactly(n);
                assertThat(out.z().getShape().getShape()).containsExactly(n, 3);
                assertThat(out.params().getShape().getShape()).containsExactly(n, p, 256);
                assertThat(Float.isFinite(out.loss().getFloat())).isTrue();
                for (float k : out.kl().toFloatArray()) {
                    assertThat(k).isGreaterThanOrEqualTo(m.variant().variational() ? 0f : 0f);
                }
                if (!m.variant().variational()) {
                    assertThat(out.logvar()).isNull();
                    assertThat(out.kl().toFloatArray()).containsOnly(0f);
                }
            }
            float[] x = DATA.test().head(4).materialize().data();
            float[] before = m.reconstruct(x, 4, labels(m, 0, 4));
            ModelStore.save(m, dir, null);
            try (VaeModel loaded = VaeModel.load(dir)) {
                assertThat(loaded.config()).isEqualTo(mc);
                assertThat(loaded.reconstruct(x, 4, labels(m, 0, 4))).containsExactly(before);
                // interpolation endpoints decode to the reconstructions of the endpoints (within record 0's class)
                int[] l0 = labels(m, 0, 1);
                float[] a = loaded.encode(DATA.test().record(0), 1, l0).mu();
                float[] b = loaded.encode(DATA.test().record(1), 1, l0).mu();
                int[] five = l0 == null ? null : new int[] {l0[0], l0[0], l0[0], l0[0], l0[0]};
                int[] two = l0 == null ? null : new int[] {l0[0], l0[0]};
                float[] path = loaded.decode(Interpolation.path(a, b, 5, Interpolation.Mode.SLERP), 5, five);
                float[] ends = loaded.reconstruct(concat(DATA.test().record(0), DATA.test().record(1)), 2, two);
                // (batches of different size round differently in the last bit; the continuous Bernoulli mean near 0.5 amplifies it)
                assertThat(java.util.Arrays.copyOfRange(path, 0, 256))
                        .containsExactly(java.util.Arrays.copyOfRange(ends, 0, 256), org.assertj.core.api.Assertions.within(5e-5f));
                assertThat(java.util.Arrays.copyOfRange(path, 4 * 256, 5 * 256))
                        .containsExactly(java.util.Arrays.copyOfRange(ends, 256, 512), org.assertj.core.api.Assertions.within(5e-5f));
            }
        }
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("shortTrainingCases")
    void shortTrainingLowersTheTestLoss(String variant, String arch) {
        List<EpochMetrics> rows = new ArrayList<>();
        ModelConfig mc = config(variant, arch, "bernoulli");
        TrainConfig tc = TrainConfig.defaults().withEpochs(4).withBatchSize(32).withLr(3e-3);
        try (VaeModel m = Training.of(mc, tc).data(DATA, "blobs").listener(new TrainingListener() {
            @Override
            public void epoch(EpochMetrics e) {
                rows.add(e);
            }
        }).fit()) {
            assertThat(rows).hasSize(4);
            assertThat(rows.get(3).testNegElbo()).isLessThan(rows.get(0).testNegElbo());
            assertThat(rows).allMatch(r -> Double.isFinite(r.trainLoss()) && r.imagesPerSecond() > 0);
        }
    }

    static Stream<Arguments> shortTrainingCases() {
        return ModelVariants.list().stream().filter(v -> !v.name().startsWith("test-")).flatMap(v -> Stream.of(Arguments.of(v.name(), "mlp"), Arguments.of(v.name(), "conv")));
    }

    /** The test records' labels {@code [from, from + n)} for a conditional model, else null. */
    static int[] labels(VaeModel m, int from, int n) {
        return m.conditional() ? java.util.Arrays.copyOfRange(DATA.test().labels(), from, from + n) : null;
    }

    static float[] concat(float[] a, float[] b) {
        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
