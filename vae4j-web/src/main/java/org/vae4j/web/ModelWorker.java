package org.vae4j.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.vae4j.model.VaeModel;

/**
 * The one thread that touches the model. HTTP threads hand it work and wait on a future; all DJL calls happen here,
 * each in its own NDManager sub-manager (the model's float-array methods open one per call).
 *
 * <p>Decode requests are micro-batched: when the worker takes a decode request it keeps collecting further decode
 * requests until {@code window} has passed since that first request arrived or {@code maxBatch} codes are
 * collected, then decodes them all in one forward pass and completes each request with its own rows. Under load the
 * queue fills while a batch runs, so batches grow and throughput grows with the number of clients; a lone client
 * waits at most one window. Other tasks (encode, inpaint, ...) run one at a time in arrival order. A conditional
 * model's decode requests carry their label; requests of different labels share a forward pass.
 */
public final class ModelWorker implements AutoCloseable {
    /** Thrown (in a future) when the queue is full. */
    public static final class BusyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BusyException(String m) {
            super(m);
        }
    }

    private sealed interface Job permits DecodeJob, TaskJob, StopJob {}

    /** A code to decode, with its label for a conditional model ({@link #NO_LABEL} otherwise). */
    private record DecodeJob(float[] code, int label, long arrivedNanos, CompletableFuture<float[]> result) implements Job {}

    /** The label of a decode request to a model that takes none. */
    private static final int NO_LABEL = -1;

    private record TaskJob(Callable<?> task, CompletableFuture<Object> result) implements Job {}

    private record StopJob() implements Job {}

    private final VaeModel model;
    private final long windowNanos;
    private final int maxBatch;
    private final BlockingQueue<Job> queue;
    private final Thread thread;
    private final AtomicLong forwardPasses = new AtomicLong();
    private final AtomicLong decodedCodes = new AtomicLong();
    private final AtomicLong largestBatch = new AtomicLong();
    private volatile boolean closed;

    /**
     * Starts the worker thread.
     *
     * @param model the model; the worker does not close it
     * @param windowMicros how long a batch stays open after its first request arrived, 0..100000 µs
     * @param maxBatch most codes per forward pass, 1..4096
     * @param queueCapacity most waiting jobs; beyond that requests fail with {@link BusyException}
     */
    public ModelWorker(VaeModel model, long windowMicros, int maxBatch, int queueCapacity) {
        if (windowMicros < 0 || windowMicros > 100_000) {
            throw new IllegalArgumentException("batch window must be in 0..100000 µs, got " + windowMicros);
        }
        if (maxBatch < 1 || maxBatch > 4096) {
            throw new IllegalArgumentException("max batch must be in 1..4096, got " + maxBatch);
        }
        this.model = model;
        this.windowNanos = TimeUnit.MICROSECONDS.toNanos(windowMicros);
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = new Thread(this::loop, "vae4j-model-worker");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Decodes one code (the decoder mean), batched with concurrent requests.
     *
     * @param code {@code latent} finite values
     * @return the decoded record, {@code featureSize} values
     */
    public CompletableFuture<float[]> decode(float[] code) {
        return decode(code, NO_LABEL);
    }

    /**
     * Decodes one code given a label (conditional models), batched with concurrent requests of any label.
     *
     * @param code {@code latent} finite values
     * @param label the class, 0..classes-1, for a conditional model; {@code -1} for a model that takes none
     * @return the decoded record, {@code featureSize} values
     */
    public CompletableFuture<float[]> decode(float[] code, int label) {
        if (code.length != model.latent()) {
            throw new IllegalArgumentException("code has " + code.length + " values but the latent has " + model.latent());
        }
        if (label != NO_LABEL) {
            model.require(org.vae4j.model.Capability.CONDITIONAL, "label");
            if (label < 0 || label >= model.classes()) {
                throw new IllegalArgumentException("label " + label + " is out of range: this model knows labels 0.." + (model.classes() - 1));
            }
        }
        CompletableFuture<float[]> f = new CompletableFuture<>();
        offer(new DecodeJob(code, label, System.nanoTime(), f), f);
        return f;
    }

    /**
     * Runs a task on the worker thread (for anything else that touches the model).
     *
     * @param task the work
     * @param <T> its result type
     * @return its result
     */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        offer(new TaskJob(task, f), f);
        return (CompletableFuture<T>) (CompletableFuture<?>) f;
    }

    private void offer(Job job, CompletableFuture<?> f) {
        if (closed) {
            f.completeExceptionally(new IllegalStateException("the server is shutting down"));
        } else if (!queue.offer(job)) {
            f.completeExceptionally(new BusyException("the model is busy (" + queue.size() + " requests waiting); try again"));
        }
    }

    /** Decoder forward passes run for decode requests so far. */
    public long forwardPasses() {
        return forwardPasses.get();
    }

    /** Codes decoded through {@link #decode} so far. */
    public long decodedCodes() {
        return decodedCodes.get();
    }

    /** The largest batch so far. */
    public long largestBatch() {
        return largestBatch.get();
    }

    /** The model this worker serves. */
    public VaeModel model() {
        return model;
    }

    private void loop() {
        List<DecodeJob> batch = new ArrayList<>(maxBatch);
        List<Job> deferred = new ArrayList<>();
        while (true) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            if (job instanceof StopJob) {
                break;
            }
            if (job instanceof TaskJob t) {
                runTask(t);
                continue;
            }
            DecodeJob first = (DecodeJob) job;
            batch.add(first);
            long deadline = first.arrivedNanos() + windowNanos;
            boolean stop = false;
            while (batch.size() < maxBatch) {
                Job next = queue.poll();
                if (next == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        next = queue.poll(left, TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        stop = true;
                        break;
                    }
                    if (next == null) {
                        break;
                    }
                }
                if (next instanceof DecodeJob d) {
                    batch.add(d);
                } else if (next instanceof StopJob) {
                    stop = true;
                    break;
                } else {
                    deferred.add(next);
                }
            }
            runBatch(batch);
            batch.clear();
            for (Job d : deferred) {
                runTask((TaskJob) d);
            }
            deferred.clear();
            if (stop) {
                break;
            }
        }
        failPending();
    }

    private void runBatch(List<DecodeJob> all) {
        List<DecodeJob> batch = all;
        if (model.conditional()) {
            // a request without a label fails alone, without spoiling the others in its batch
            batch = new ArrayList<>(all.size());
            for (DecodeJob j : all) {
                if (j.label() == NO_LABEL) {
                    j.result().completeExceptionally(new IllegalArgumentException("a '" + model.config().model()
                            + "' model is conditional: give a label (0.." + (model.classes() - 1) + ")"));
                } else {
                    batch.add(j);
                }
            }
            if (batch.isEmpty()) {
                return;
            }
        }
        int n = batch.size();
        int l = model.latent();
        int d = model.featureSize();
        float[] codes = new float[n * l];
        int[] labels = model.conditional() ? new int[n] : null;
        for (int i = 0; i < n; i++) {
            System.arraycopy(batch.get(i).code(), 0, codes, i * l, l);
            if (labels != null) {
                labels[i] = batch.get(i).label();
            }
        }
        float[] out;
        try {
            out = model.decode(codes, n, labels); // one forward pass, in its own sub-manager
        } catch (RuntimeException | Error e) {
            for (DecodeJob j : batch) {
                j.result().completeExceptionally(e);
            }
            return;
        }
        forwardPasses.incrementAndGet();
        decodedCodes.addAndGet(n);
        largestBatch.accumulateAndGet(n, Math::max);
        for (int i = 0; i < n; i++) {
            batch.get(i).result().complete(java.util.Arrays.copyOfRange(out, i * d, (i + 1) * d));
        }
    }

    private static void runTask(TaskJob t) {
        try {
            t.result().complete(t.task().call());
        } catch (Exception | Error e) {
            t.result().completeExceptionally(e);
        }
    }

    private void failPending() {
        closed = true;
        Job j;
        while ((j = queue.poll()) != null) {
            IllegalStateException e = new IllegalStateException("the server is shutting down");
            if (j instanceof DecodeJob d) {
                d.result().completeExceptionally(e);
            } else if (j instanceof TaskJob t) {
                t.result().completeExceptionally(e);
            }
        }
    }

    /** Stops the worker after the work already queued, and waits for it (at most 30 s). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (thread.isAlive()) {
            try {
                if (queue.offer(new StopJob(), 100, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
