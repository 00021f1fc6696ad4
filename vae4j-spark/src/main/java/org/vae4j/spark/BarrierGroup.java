package org.vae4j.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.apache.spark.BarrierTaskContext;

/**
 * The workers of a barrier stage as one group: every call is a collective that all of them make in the same order
 * (Spark's {@link BarrierTaskContext#allGather}, whose answer lists the messages by partition, so every worker sums
 * them in the same order and gets bit-identical results). Messages travel as text through the driver; the bytes and
 * seconds spent are counted for the report.
 */
final class BarrierGroup {
    private final BarrierTaskContext context;
    private final int rank;
    private final int size;
    private long calls;
    private long bytes;
    private long nanos;

    BarrierGroup(BarrierTaskContext context) {
        this.context = context;
        this.rank = context.partitionId();
        this.size = context.getTaskInfos().length;
    }

    int rank() {
        return rank;
    }

    int size() {
        return size;
    }

    /** The element-wise mean of every worker's {@code local} (all of the same length). */
    float[] average(float[] local) {
        String[] all = gather(local);
        double[] sum = new double[local.length];
        for (String m : all) {
            float[] v = decode(m);
            if (v.length != local.length) {
                throw new VaeSparkException("data-parallel workers disagree on the message length (" + v.length + " vs " + local.length + ")");
            }
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
        }
        float[] out = new float[local.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sum[i] / size);
        }
        return out;
    }

    /** The first worker's {@code values} on every worker (the others' arguments are ignored and not sent). */
    float[] fromFirst(float[] values) {
        String[] all = gather(rank == 0 ? values : new float[0]);
        return decode(all[0]);
    }

    /** Waits until every worker gets here. */
    void barrier() {
        long t0 = System.nanoTime();
        context.barrier();
        nanos += System.nanoTime() - t0;
        calls++;
    }

    private String[] gather(float[] values) {
        long t0 = System.nanoTime();
        String msg = encode(values);
        String[] all = context.allGather(msg);
        nanos += System.nanoTime() - t0;
        calls++;
        for (String m : all) {
            bytes += m.length();
        }
        return all;
    }

    /** Collectives made, characters received, seconds spent in them (including waiting for the slowest worker). */
    String stats() {
        return String.format(java.util.Locale.ROOT, "%d collectives, %.1f MB received, %.1f s in them", calls, bytes / 1e6, nanos / 1e9);
    }

    double seconds() {
        return nanos / 1e9;
    }

    static String encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(b.array());
    }

    static float[] decode(String s) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }
}
