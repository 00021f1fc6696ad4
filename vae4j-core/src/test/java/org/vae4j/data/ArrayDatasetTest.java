package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArrayDatasetTest {

    /** 4 records of shape {1,2,2}: record i holds values (i*4 + k) / 16. */
    private static ArrayDataset small() {
        float[] d = new float[16];
        for (int i = 0; i < 16; i++) {
            d[i] = i / 16f;
        }
        Map<String, int[]> f = new LinkedHashMap<>();
        f.put("a", new int[] {10, 11, 12, 13});
        f.put("b", new int[] {0, 1, 0, 1});
        return new ArrayDataset("tiny", d, new int[] {1, 2, 2}, new int[] {0, 1, 2, 1},
                List.of("zero", "one", "two"), f);
    }

    @Test
    void accessorsDescribeTheData() {
        ArrayDataset ds = small();
        assertThat(ds.name()).isEqualTo("tiny");
        assertThat(ds.size()).isEqualTo(4);
        assertThat(ds.shape()).containsExactly(1, 2, 2);
        assertThat(ds.featureSize()).isEqualTo(4);
        assertThat(ds.isImage()).isTrue();
        assertThat(ds.hasLabels()).isTrue();
        assertThat(ds.labels()).containsExactly(0, 1, 2, 1);
        assertThat(ds.labelNames()).containsExactly("zero", "one", "two");
        assertThat(ds.factors()).containsOnlyKeys("a", "b");
        assertThat(ds.record(2)).containsExactly(8 / 16f, 9 / 16f, 10 / 16f, 11 / 16f);
        assertThat(ds.toString()).contains("tiny", "4 x [1, 2, 2]");
    }

    @Test
    void shapeIsACopyButDataIsShared() {
        float[] d = {0.5f, 0.25f};
        ArrayDataset ds = new ArrayDataset("v", d, new int[] {2}, null, null, Map.of());
        ds.shape()[0] = 99;
        assertThat(ds.shape()).containsExactly(2);
        assertThat(ds.data()).isSameAs(d);
        assertThat(ds.isImage()).isFalse();
        assertThat(ds.hasLabels()).isFalse();
        assertThat(ds.labels()).isNull();
        assertThat(ds.labelNames()).isEmpty();
        assertThat(ds.factors()).isEmpty();
    }

    @Test
    void copyRecordWritesAtOffsetAndChecksBounds() {
        ArrayDataset ds = small();
        float[] dst = new float[6];
        ds.copyRecord(1, dst, 2);
        assertThat(dst).containsExactly(0f, 0f, 4 / 16f, 5 / 16f, 6 / 16f, 7 / 16f);
        assertThatThrownBy(() -> ds.copyRecord(4, dst, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ds.copyRecord(0, dst, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ds.record(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void subsetKeepsLabelsFactorsAndOrder() {
        ArrayDataset s = small().subset(new int[] {3, 0, 3});
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.record(0)).containsExactly(12 / 16f, 13 / 16f, 14 / 16f, 15 / 16f);
        assertThat(s.record(1)).containsExactly(0f, 1 / 16f, 2 / 16f, 3 / 16f);
        assertThat(s.labels()).containsExactly(1, 0, 1);
        assertThat(s.labelNames()).containsExactly("zero", "one", "two");
        assertThat(s.factors().get("a")).containsExactly(13, 10, 13);
        assertThat(s.factors().get("b")).containsExactly(1, 0, 1);
        assertThat(s.shape()).containsExactly(1, 2, 2);
        assertThatThrownBy(() -> small().subset(new int[] {4})).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void headTakesPrefixAndClamps() {
        ArrayDataset ds = small();
        ArrayDataset h = ds.head(2);
        assertThat(h.size()).isEqualTo(2);
        assertThat(h.data()).containsExactly(0f, 1 / 16f, 2 / 16f, 3 / 16f, 4 / 16f, 5 / 16f, 6 / 16f, 7 / 16f);
        assertThat(h.labels()).containsExactly(0, 1);
        assertThat(h.factors().get("a")).containsExactly(10, 11);
        assertThat(ds.head(0).size()).isZero();
        assertThat(ds.head(100)).isSameAs(ds);
        assertThatThrownBy(() -> ds.head(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contentHashIsSha256OfLittleEndianFloatsAndShape() throws Exception {
        ArrayDataset ds = small();
        ByteBuffer b = ByteBuffer.allocate(16 * 4 + 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : ds.data()) {
            b.putFloat(v);
        }
        b.putInt(1).putInt(2).putInt(2);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        assertThat(ds.contentHash()).isEqualTo(expected).matches("[0-9a-f]{64}");
        assertThat(ds.contentHash()).isSameAs(ds.contentHash());
        // same floats, different shape: different hash
        ArrayDataset flat = new ArrayDataset("tiny", ds.data(), new int[] {4}, null, null, null);
        assertThat(flat.contentHash()).isNotEqualTo(ds.contentHash());
        assertThat(ds.subset(new int[] {0, 1, 2, 3}).contentHash()).isEqualTo(ds.contentHash());
    }

    @Test
    void contentHashHandlesDataLargerThanTheInternalBuffer() throws Exception {
        float[] d = new float[40_000];
        for (int i = 0; i < d.length; i++) {
            d[i] = (i % 255) / 255f;
        }
        ByteBuffer b = ByteBuffer.allocate(d.length * 4 + 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : d) {
            b.putFloat(v);
        }
        b.putInt(100);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        assertThat(new ArrayDataset("big", d, new int[] {100}, null, null, null).contentHash()).isEqualTo(expected);
    }

    @Test
    void constructorRejectsInconsistentArguments() {
        float[] four = new float[4];
        assertThatThrownBy(() -> new ArrayDataset(" ", four, new int[] {4}, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> new ArrayDataset("x", four, new int[] {2, 2}, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{D} or {C,H,W}");
        assertThatThrownBy(() -> new ArrayDataset("x", four, new int[] {1, 0, 4}, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new ArrayDataset("x", four, new int[] {3}, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a multiple of the record size 3");
        assertThatThrownBy(() -> new ArrayDataset("x", new float[] {0f, 1.5f}, new int[] {1}, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5 at index 1");
        assertThatThrownBy(() -> new ArrayDataset("x", new float[] {Float.NaN}, new int[] {1}, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new ArrayDataset("x", four, new int[] {2}, new int[] {0}, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 labels for 2 records");
        assertThatThrownBy(() -> new ArrayDataset("x", four, new int[] {2}, new int[] {0, -1}, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label -1");
        assertThatThrownBy(() -> new ArrayDataset("x", four, new int[] {2}, new int[] {0, 2}, List.of("a", "b"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 2 of record 1");
        assertThatThrownBy(() -> new ArrayDataset("x", four, new int[] {2}, null, null, Map.of("f", new int[3])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("factor 'f' must have 2 values");
        assertThatThrownBy(() -> new ArrayDataset("x", four, new int[] {Integer.MAX_VALUE, 2, 2}, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
    }

    @Test
    void recordIdsFollowSubsetAndHead() {
        float[] three = {0f, 0.5f, 1f};
        ArrayDataset plain = new ArrayDataset("x", three, new int[] {1}, null, null, null);
        assertThat(plain.hasIds()).isFalse();
        assertThat(plain.recordId(2)).isEqualTo("2");
        ArrayDataset named = new ArrayDataset("x", three, new int[] {1}, null, null, null, List.of("a.png", "b.png", "c.png"));
        assertThat(named.subset(new int[] {2, 0}).recordId(0)).isEqualTo("c.png");
        assertThat(named.subset(new int[] {2, 0}).recordId(1)).isEqualTo("a.png");
        assertThat(named.head(2).recordId(1)).isEqualTo("b.png");
        assertThatThrownBy(() -> named.recordId(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new ArrayDataset("x", three, new int[] {1}, null, null, null, List.of("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 ids for 3 records");
    }

    @Test
    void splitsRequireSameShape() {
        ArrayDataset a = small();
        ArrayDataset b = new ArrayDataset("flat", new float[4], new int[] {4}, null, null, null);
        assertThat(new DataSplits(a, a.head(1)).test().size()).isEqualTo(1);
        assertThatThrownBy(() -> new DataSplits(a, b))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 2, 2]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> new DataSplits(null, a)).isInstanceOf(IllegalArgumentException.class);
    }
}
