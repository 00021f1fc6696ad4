package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchReaderTest {

    /** Ten records of two values: record i is {i/10, 1 - i/10}. */
    static ArrayDataset ten() {
        float[] d = new float[20];
        for (int i = 0; i < 10; i++) {
            d[2 * i] = i / 10f;
            d[2 * i + 1] = 1 - i / 10f;
        }
        return new ArrayDataset("ten", d, new int[] {2}, null, null, null);
    }

    @Test
    void readsBatchesInOrderWithTheTransformAndAShortLastBatch() {
        int[] order = {9, 3, 3, 0, 7, 1, 2};
        try (BatchReader r = new BatchReader(ten(), order, 3, 1, (rec, v, off, d) -> v[off + 1] = rec)) {
            assertThat(r.batches()).isEqualTo(3);
            assertThat(r.batchSize(2)).isEqualTo(1);
            float[] expected = new float[14];
            int k = 0;
            for (int b = 0; b < r.batches(); b++) {
                float[] x = r.next();
                for (int i = 0; i < r.batchSize(b); i++) {
                    expected[2 * k] = order[k] / 10f;
                    expected[2 * k + 1] = order[k];
                    assertThat(new float[] {x[2 * i], x[2 * i + 1]}).containsExactly(expected[2 * k], expected[2 * k + 1]);
                    k++;
                }
            }
            assertThatThrownBy(r::next).isInstanceOf(java.util.NoSuchElementException.class);
        }
    }

    @Test
    void readerExceptionsReachTheConsumer() {
        Dataset failing = new Dataset() {
            final ArrayDataset inner = ten();

            @Override public String name() { return "failing"; }
            @Override public int size() { return 10; }
            @Override public int[] shape() { return new int[] {2}; }
            @Override public int featureSize() { return 2; }
            @Override public int[] labels() { return null; }
            @Override public List<String> labelNames() { return List.of(); }
            @Override public Map<String, int[]> factors() { return Map.of(); }
            @Override public String recordId(int i) { return "" + i; }
            @Override public String contentHash() { return inner.contentHash(); }
            @Override public Dataset subset(int[] indices) { return inner.subset(indices); }
            @Override public Dataset head(int n) { return inner.head(n); }
            @Override public ArrayDataset materialize() { return inner; }

            @Override
            public void copyRecord(int i, float[] dst, int off) {
                if (i == 5) {
                    throw new DataException("cache.bin: record 5 is unreadable");
                }
                inner.copyRecord(i, dst, off);
            }
        };
        try (BatchReader r = new BatchReader(failing, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 2, 4, null)) {
            r.next();
            r.next();
            assertThatThrownBy(r::next).isInstanceOf(DataException.class).hasMessage("cache.bin: record 5 is unreadable");
        }
    }

    @Test
    void closeStopsTheThreadEvenWhenBatchesAreLeft() throws Exception {
        int[] order = new int[10_000];
        BatchReader r = new BatchReader(ten(), order, 1, 2, null);
        r.next();
        r.close();
        Thread.sleep(50);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("vae4j-batch-reader") && t.isAlive());
    }
}
