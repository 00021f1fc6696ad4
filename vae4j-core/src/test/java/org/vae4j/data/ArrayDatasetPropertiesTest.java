package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Property-based checks of {@link ArrayDataset} (kept apart from the JUnit tests so surefire counts both). */
class ArrayDatasetPropertiesTest {

    @Property(tries = 50)
    void subsetThenRecordMatchesOriginal(@ForAll @IntRange(min = 1, max = 20) int n,
                                         @ForAll @IntRange(min = 1, max = 5) int d,
                                         @ForAll @IntRange(min = 0, max = 1000) int salt) {
        float[] data = new float[n * d];
        for (int i = 0; i < data.length; i++) {
            data[i] = ((i * 31 + salt) % 101) / 100f;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i + salt) % 3;
        }
        ArrayDataset ds = new ArrayDataset("p", data, new int[] {d}, labels, null, null);
        int[] idx = new int[n];
        for (int j = 0; j < n; j++) {
            idx[j] = (j * 7 + salt) % n;
        }
        ArrayDataset s = ds.subset(idx);
        for (int j = 0; j < n; j++) {
            assertThat(s.record(j)).containsExactly(ds.record(idx[j]));
            assertThat(s.labels()[j]).isEqualTo(labels[idx[j]]);
        }
    }
}
