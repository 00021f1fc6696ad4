package org.vae4j.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vae4j.data.TableSchema;
import org.vae4j.nn.Scalars;

class CompositeLikelihoodTest {
    static NDManager manager;
    static Scalars s;
    /** c: continuous, b: binary (30% ones), k: categorical {u, v} + other → 5 values. */
    static final TableSchema SCHEMA = new TableSchema(List.of(
            TableSchema.Column.continuous("c", 0, 1),
            TableSchema.Column.binary("b", 0.3),
            TableSchema.Column.categorical("k", List.of("u", "v"))));
    static final float NAN = Float.NaN;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        s = new Scalars(manager);
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** params as (N, 2, 5): first row block p0, second p1, per record. */
    static NDArray params(float[][] p0, float[][] p1) {
        int n = p0.length;
        float[] flat = new float[n * 2 * 5];
        for (int i = 0; i < n; i++) {
            System.arraycopy(p0[i], 0, flat, i * 10, 5);
            System.arraycopy(p1[i], 0, flat, i * 10 + 5, 5);
        }
        return manager.create(flat, new Shape(n, 2, 5));
    }

    static double softplus(double v) {
        return Math.log1p(Math.exp(v));
    }

    @Test
    void nllIsTheSumOfGaussianBernoulliAndCategoricalTermsWithoutMissingCells() {
        CompositeLikelihood l = new CompositeLikelihood(SCHEMA);
        assertThat(l.paramsPerValue()).isEqualTo(2);
        NDArray p = params(new float[][] {{0.3f, 1.2f, 0.5f, -0.2f, 0.1f}, {5f, -0.7f, 2f, 2f, 2f}},
                new float[][] {{-0.4f, 9f, 9f, 9f, 9f}, {3f, 9f, 9f, 9f, 9f}});
        NDArray x = manager.create(new float[] {1.0f, 1f, 0f, 1f, 0f, NAN, 0f, NAN, NAN, NAN}, new Shape(2, 5));
        float[] nll = l.nll(p, x, s).toFloatArray();
        double gauss = 0.5 * (0.7 * 0.7 * Math.exp(0.4) - 0.4 + Math.log(2 * Math.PI));
        double bern = softplus(1.2) - 1.2;
        double lse = Math.log(Math.exp(0.5) + Math.exp(-0.2) + Math.exp(0.1));
        double cat = lse - (-0.2);
        assertThat((double) nll[0]).isCloseTo(gauss + bern + cat, within(1e-5));
        // record 1: the continuous and categorical cells are missing, only the Bernoulli term of b = 0 remains
        assertThat((double) nll[1]).isCloseTo(softplus(-0.7), within(1e-5));
    }

    @Test
    void gradientsStayFiniteWhereCellsAreMissing() {
        CompositeLikelihood l = new CompositeLikelihood(SCHEMA);
        NDArray p = params(new float[][] {{0.3f, 1.2f, 0.5f, -0.2f, 0.1f}}, new float[][] {{-0.4f, 0, 0, 0, 0}});
        p.setRequiresGradient(true);
        NDArray x = manager.create(new float[] {NAN, 1f, NAN, NAN, NAN}, new Shape(1, 5));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(l.nll(p, x, s).sum());
        }
        float[] g = p.getGradient().toFloatArray();
        for (float v : g) {
            assertThat(v).isFinite();
        }
        // only the binary logit gets a gradient: sigmoid(1.2) − 1
        assertThat(g[1]).isCloseTo((float) (1 / (1 + Math.exp(-1.2)) - 1), within(1e-5f));
        assertThat(g[0]).isZero();
        assertThat(g[5]).isZero();
    }

    @Test
    void meanIsTheExpectedValuePerColumn() {
        CompositeLikelihood l = new CompositeLikelihood(SCHEMA);
        NDArray p = params(new float[][] {{0.3f, 1.2f, 0.5f, -0.2f, 0.1f}}, new float[][] {{0, 0, 0, 0, 0}});
        float[] m = l.mean(p, s).toFloatArray();
        double z = Math.exp(0.5) + Math.exp(-0.2) + Math.exp(0.1);
        assertThat(m).containsExactly(new float[] {0.3f, (float) (1 / (1 + Math.exp(-1.2))), (float) (Math.exp(0.5) / z),
                (float) (Math.exp(-0.2) / z), (float) (Math.exp(0.1) / z)}, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void encoderSeesNeutralValuesInPlaceOfMissingCells() {
        CompositeLikelihood l = new CompositeLikelihood(SCHEMA);
        NDArray x = manager.create(new float[] {NAN, NAN, 0f, 1f, 0f, 2f, 1f, NAN, NAN, NAN}, new Shape(2, 5));
        assertThat(l.encoderInput(x, s).toFloatArray()).containsExactly(0f, 0.3f, 0f, 1f, 0f, 2f, 1f, 0f, 0f, 0f);
    }

    @Test
    void compositeNeedsASchema() {
        assertThat(LikelihoodKind.byId("composite").needsTable()).isTrue();
        assertThatThrownBy(() -> LikelihoodKind.COMPOSITE.create(1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table schema");
        assertThat(LikelihoodKind.COMPOSITE.create(1.0, SCHEMA)).isInstanceOf(CompositeLikelihood.class);
        assertThat(new CompositeLikelihood(new TableSchema(List.of(TableSchema.Column.continuous("a", 3, 2),
                TableSchema.Column.continuous("b", 0, 5)))).logScale()).isCloseTo(Math.log(10), within(1e-12));
    }
}
