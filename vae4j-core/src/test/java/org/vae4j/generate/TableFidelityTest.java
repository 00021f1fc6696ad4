package org.vae4j.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.data.TableSchema;

/** The fidelity figures on rows constructed so that every number is known. */
class TableFidelityTest {
    static final TableSchema T = new TableSchema(List.of(TableSchema.Column.continuous("a", 10, 2), TableSchema.Column.binary("b", 0.5),
            TableSchema.Column.categorical("c", List.of("x", "y"))));
    static final float N = Float.NaN;

    @Test
    void marginalsAndCorrelationsOfAConstructedCase() {
        // real: a = 8, 12, 8, 12 and one missing; b = 1, 0, 0, 0, 0; c = x, x, y, y, x
        float[] real = {
            -1, 1, 1, 0, 0,
            1, 0, 1, 0, 0,
            -1, 0, 0, 1, 0,
            1, 0, 0, 1, 0,
            N, 0, 1, 0, 0};
        // synthetic: a = 10, 10, 14, 14; b = 1, 1, 0, 0; c = x, x, x, y
        float[] synth = {
            0, 1, 1, 0, 0,
            0, 1, 1, 0, 0,
            2, 0, 1, 0, 0,
            2, 0, 0, 1, 0};
        TableFidelity f = TableFidelity.compare(T, real, 5, synth, 4);
        assertThat(f.realRows()).isEqualTo(5);
        assertThat(f.syntheticRows()).isEqualTo(4);
        TableFidelity.ColumnFidelity a = f.columns().get(0);
        assertThat(a.real()).containsExactly(new double[] {10, 2}, within(1e-9));
        assertThat(a.synthetic()).containsExactly(new double[] {12, 2}, within(1e-9));
        assertThat(a.distance()).isCloseTo(1.0, within(1e-9));
        TableFidelity.ColumnFidelity b = f.columns().get(1);
        assertThat(b.real()[0]).isCloseTo(0.2, within(1e-9));
        assertThat(b.synthetic()[0]).isCloseTo(0.5, within(1e-9));
        assertThat(b.distance()).isCloseTo(0.3, within(1e-9));
        TableFidelity.ColumnFidelity c = f.columns().get(2);
        assertThat(c.real()).containsExactly(new double[] {0.6, 0.4, 0}, within(1e-9));
        assertThat(c.synthetic()).containsExactly(new double[] {0.75, 0.25, 0}, within(1e-9));
        assertThat(c.distance()).isCloseTo(0.15, within(1e-9));
        // one pair of numeric columns (a, b); the real correlation over the 4 rows where both are observed
        assertThat(f.pairs()).hasSize(1);
        TableFidelity.PairFidelity p = f.pairs().get(0);
        assertThat(p.real()).isCloseTo(-0.25 / Math.sqrt(0.1875), within(1e-9));
        assertThat(p.synthetic()).isCloseTo(-1, within(1e-9));
        assertThat(f.meanCorrelationDifference()).isCloseTo(1 - 0.25 / Math.sqrt(0.1875), within(1e-9));
        assertThat(f.worstPair()).isEqualTo(p);
        assertThat(f.worstColumn().name()).isEqualTo("a");
    }

    @Test
    void aConstantColumnHasNoCorrelationAndIdenticalRowsNoGap() {
        float[] rows = {
            0, 1, 1, 0, 0,
            0, 0, 0, 1, 0,
            0, 1, 1, 0, 0};
        TableFidelity f = TableFidelity.compare(T, rows, 3, rows, 3);
        assertThat(f.pairs().get(0).real()).isNaN();
        assertThat(f.meanCorrelationDifference()).isNaN();
        assertThat(f.worstPair()).isNull();
        assertThat(f.columns().get(1).distance()).isZero();
        assertThat(f.columns().get(2).distance()).isZero();
        assertThat(f.columns().get(0).distance()).isZero();
    }

    @Test
    void streamedRowsGiveTheSameFiguresAsOneArray() {
        float[] rows = new float[5 * 500];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 500; i++) {
            rows[i * 5] = (float) r.nextDouble();
            rows[i * 5 + 1] = r.nextDouble() < rows[i * 5] ? 1 : 0;
            rows[i * 5 + 2 + r.nextInt(2)] = 1;
        }
        TableFidelity.Accumulator acc = new TableFidelity.Accumulator(T);
        for (int i = 0; i < 500; i += 70) {
            acc.add(rows, i * 5, Math.min(70, 500 - i));
        }
        TableFidelity whole = TableFidelity.compare(T, rows, 500, rows, 500);
        TableFidelity streamed = TableFidelity.of(acc, acc);
        assertThat(streamed.pairs().get(0).real()).isEqualTo(whole.pairs().get(0).real());
        assertThat(streamed.pairs().get(0).real()).isGreaterThan(0.5);
        assertThat(streamed.columns().get(0).real()).containsExactly(whole.columns().get(0).real());
    }
}
