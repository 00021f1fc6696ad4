package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelFilterTest {
    static ArrayDataset labelled() {
        // 6 one-value records with labels 0,1,2,0,1,2 named a,b,c
        return new ArrayDataset("toy", new float[] {0, .1f, .2f, .3f, .4f, .5f}, new int[] {1},
                new int[] {0, 1, 2, 0, 1, 2}, List.of("a", "b", "c"), null, List.of("r0", "r1", "r2", "r3", "r4", "r5"));
    }

    @Test
    void keepsOnlyTheNamedOrNumberedLabelsWithTheirIds() {
        Dataset kept = new LabelFilter(List.of("a", "2"), List.of()).apply(labelled(), "train");
        assertThat(kept.size()).isEqualTo(4);
        assertThat(kept.labels()).containsExactly(0, 2, 0, 2);
        assertThat(kept.recordId(1)).isEqualTo("r2");
        assertThat(kept.record(3)).containsExactly(.5f);
    }

    @Test
    void recordsWithoutIdsKeepTheirOriginalIndexAsId() {
        ArrayDataset plain = new ArrayDataset("toy", new float[] {0, .1f, .2f, .3f}, new int[] {1}, new int[] {0, 1, 0, 1},
                null, null);
        Dataset kept = new LabelFilter(List.of("1"), List.of()).apply(plain, "train");
        assertThat(kept.recordId(0)).isEqualTo("1");
        assertThat(kept.recordId(1)).isEqualTo("3");
    }

    @Test
    void excludesLabels() {
        Dataset kept = new LabelFilter(List.of(), List.of("b")).apply(labelled(), "train");
        assertThat(kept.labels()).containsExactly(0, 2, 0, 2);
        DataSplits s = new LabelFilter(List.of(), List.of("b")).apply(new DataSplits(labelled(), labelled()));
        assertThat(s.test().size()).isEqualTo(4);
        assertThat(LabelFilter.NONE.apply(s)).isSameAs(s);
    }

    @Test
    void badRequestsSayWhatIsValid() {
        assertThatThrownBy(() -> new LabelFilter(List.of("z"), List.of()).apply(labelled(), "train"))
                .hasMessage("--only-labels: unknown label 'z' in toy; valid: a (0), b (1), c (2)");
        assertThatThrownBy(() -> new LabelFilter(List.of(), List.of("3")).apply(labelled(), "train"))
                .hasMessageContaining("--exclude-labels: unknown label '3'");
        ArrayDataset unlabelled = new ArrayDataset("plain", new float[] {0, 1}, new int[] {1}, null, null, null);
        assertThatThrownBy(() -> new LabelFilter(List.of("a"), List.of()).apply(unlabelled, "train"))
                .hasMessage("--only-labels needs labelled data, but plain has no labels");
        assertThatThrownBy(() -> new LabelFilter(List.of("a"), List.of("b"))).hasMessageContaining("not both");
        assertThatThrownBy(() -> new LabelFilter(List.of(), List.of("a", "b", "c")).apply(labelled(), "test"))
                .hasMessageContaining("toy (test): no records left after --exclude-labels a,b,c");
    }
}
