package org.vae4j.data;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads batches of records ahead on a background (daemon) thread, so that reading a streamed data
 * set (page faults on a memory-mapped cache, uint8 to float conversion) overlaps with the model's
 * work on the previous batch.
 *
 * <p>Batch {@code b} holds the records {@code order[b*batchSize ..]} (the last batch may be
 * shorter), each passed through the optional {@link Transform}. At most {@code depth} batches are
 * buffered; their arrays are recycled, so the array returned by {@link #next()} is valid only
 * until the following call. An exception in the reader thread is rethrown by {@link #next()};
 * {@link #close()} stops the thread and waits for it.
 *
 * <pre>{@code
 * try (BatchReader r = new BatchReader(ds, order, 128, 4, null)) {
 *     for (int b = 0; b < r.batches(); b++) {
 *         float[] x = r.next(); // r.batchSize(b) records, row-major
 *     }
 * }
 * }</pre>
 */
public final class BatchReader implements AutoCloseable {

    /** Changes one record in place after it is read (for example binarises it). */
    @FunctionalInterface
    public interface Transform {
        /**
         * Transforms record {@code record} of the data set, stored at {@code values[offset ..
         * offset+featureSize)}.
         *
         * @param record the record's index in the data set
         * @param values the batch array
         * @param offset where the record starts
         * @param featureSize values per record
         */
        void apply(int record, float[] values, int offset, int featureSize);
    }

    /** Marks the end of the batches or a failure in the queue. */
    private static final float[] END = new float[0];

    private final int[] order;
    private final int batchSize;
    private final int batches;
    private final BlockingQueue<float[]> full;
    private final BlockingQueue<float[]> free;
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean closed;
    private float[] current;
    private int taken;

    /**
     * Starts reading.
     *
     * @param ds the data set
     * @param order the record indices in reading order
     * @param batchSize records per batch, positive
     * @param depth batches read ahead, positive
     * @param transform applied to every record after reading, or {@code null}
     */
    public BatchReader(Dataset ds, int[] order, int batchSize, int depth, Transform transform) {
        Objects.requireNonNull(ds, "ds");
        this.order = Objects.requireNonNull(order, "order");
        if (batchSize < 1 || depth < 1) {
            throw new IllegalArgumentException("batch size and depth must be positive: " + batchSize + ", " + depth);
        }
        this.batchSize = batchSize;
        this.batches = (order.length + batchSize - 1) / batchSize;
        this.full = new ArrayBlockingQueue<>(depth + 1);
        // depth buffers in the queue, one being filled, one held by the consumer
        this.free = new ArrayBlockingQueue<>(depth + 2);
        int d = ds.featureSize();
        for (int i = 0; i < depth + 2; i++) {
            free.add(new float[Math.multiplyExact(batchSize, d)]);
        }
        this.thread = new Thread(() -> read(ds, transform), "vae4j-batch-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void read(Dataset ds, Transform transform) {
        int d = ds.featureSize();
        try {
            for (int b = 0; b < batches && !closed; b++) {
                float[] buf = free.take();
                int start = b * batchSize;
                int size = batchSize(b);
                for (int i = 0; i < size; i++) {
                    int record = order[start + i];
                    ds.copyRecord(record, buf, i * d);
                    if (transform != null) {
                        transform.apply(record, buf, i * d, d);
                    }
                }
                full.put(buf);
            }
        } catch (InterruptedException e) {
            // closed while waiting: nothing more to do
        } catch (Throwable t) {
            failure = t;
            full.offer(END);
        }
    }

    /**
     * Returns the number of batches.
     *
     * @return {@code ceil(order.length / batchSize)}
     */
    public int batches() {
        return batches;
    }

    /**
     * Returns the number of records in batch {@code b}.
     *
     * @param b the batch index
     * @return {@code batchSize}, or fewer for the last batch
     */
    public int batchSize(int b) {
        return Math.min(batchSize, order.length - b * batchSize);
    }

    /**
     * Returns the next batch, waiting for the reader if needed.
     *
     * @return an array whose first {@code batchSize(b) * featureSize} values are the batch; valid
     *     until the next call
     * @throws java.util.NoSuchElementException if every batch has been taken
     * @throws RuntimeException the reader thread's exception (an {@link Error} is rethrown as is)
     */
    public float[] next() {
        if (taken >= batches) {
            throw new java.util.NoSuchElementException("all " + batches + " batches have been read");
        }
        if (current != null) {
            free.offer(current);
            current = null;
        }
        float[] b;
        try {
            while ((b = full.poll(100, TimeUnit.MILLISECONDS)) == null) {
                if (!thread.isAlive() && full.isEmpty()) {
                    rethrow();
                    throw new IllegalStateException("batch reader stopped early");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        }
        if (b == END) {
            rethrow();
        }
        taken++;
        current = b;
        return b;
    }

    private void rethrow() {
        Throwable t = failure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException("batch reader failed: " + t, t);
        }
    }

    /** Stops the reader thread and waits for it to end. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
