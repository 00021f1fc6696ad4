package org.vae4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The workers' collectives over direct links give the same bits as through Spark's allGather (the first worker sums
 * every worker's message in rank order), fall back to Spark's transport when a worker cannot join, and turn a worker
 * that stops into an error for the others instead of a hang. Workers are threads here; Spark's allGather and barrier
 * are stood in for by a cyclic barrier.
 */
class BarrierGroupTest {

    /** allGather and barrier among {@code size} threads; {@code tamper} may change what a rank receives. */
    static final class FakeStage {
        final int size;
        final String[] slots;
        final CyclicBarrier in;
        final CyclicBarrier out;
        final java.util.function.BiFunction<Integer, String[], String[]> tamper;

        FakeStage(int size, java.util.function.BiFunction<Integer, String[], String[]> tamper) {
            this.size = size;
            this.slots = new String[size];
            this.in = new CyclicBarrier(size);
            this.out = new CyclicBarrier(size);
            this.tamper = tamper;
        }

        BarrierGroup.Stage forRank(int rank) {
            return new BarrierGroup.Stage() {
                @Override
                public String[] allGather(String message) {
                    try {
                        slots[rank] = message;
                        in.await();
                        String[] copy = slots.clone();
                        out.await();
                        return tamper.apply(rank, copy);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void barrier() {
                    allGather("");
                }

                @Override
                public void checkAlive() {}

                @Override
                public String host() {
                    return "127.0.0.1";
                }
            };
        }
    }

    static <T> List<T> onThreads(int size, Function<Integer, T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(size);
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                int rank = r;
                fs.add(pool.submit(() -> work.apply(rank)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static float[] values(int rank, int n) {
        Random r = new Random(rank * 31L + 7);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
        }
        return v;
    }

    record Outcome(float[] mean, float[] first, float[] mean2, String stats) {}

    static List<Outcome> session(int size, int connectMillis, java.util.function.BiFunction<Integer, String[], String[]> tamper)
            throws Exception {
        FakeStage stage = new FakeStage(size, tamper);
        return onThreads(size, rank -> {
            try (BarrierGroup g = new BarrierGroup(stage.forRank(rank), rank, size, connectMillis)) {
                float[] mean = g.average(values(rank, 1000));
                float[] first = g.fromFirst(rank == 0 ? values(99, 300) : new float[0]);
                g.barrier();
                float[] mean2 = g.average(values(rank + 10, 5));
                g.barrier();
                return new Outcome(mean, first, mean2, g.stats());
            }
        });
    }

    @Test
    void directLinksGiveTheBitsOfSparksTransport() throws Exception {
        int size = 3;
        List<Outcome> direct = session(size, 5000, (r, m) -> m);
        List<Outcome> spark = session(size, 0, (r, m) -> m);
        float[] want = new float[1000];
        for (int i = 0; i < want.length; i++) {
            double s = 0;
            for (int r = 0; r < size; r++) {
                s += values(r, 1000)[i];
            }
            want[i] = (float) (s / size);
        }
        for (int r = 0; r < size; r++) {
            assertThat(direct.get(r).mean()).as("rank " + r).containsExactly(want);
            assertThat(spark.get(r).mean()).containsExactly(want);
            assertThat(direct.get(r).first()).containsExactly(values(99, 300));
            assertThat(direct.get(r).mean2()).containsExactly(spark.get(r).mean2());
            assertThat(direct.get(r).stats()).contains("direct links to worker 0 at 127.0.0.1:");
            assertThat(spark.get(r).stats()).endsWith("; Spark allGather");
        }
    }

    @Test
    void oneWorkerSendsNothing() throws Exception {
        List<Outcome> alone = session(1, 5000, (r, m) -> {
            throw new AssertionError("one worker needs no collective");
        });
        assertThat(alone.get(0).mean()).containsExactly(values(0, 1000));
        assertThat(alone.get(0).first()).containsExactly(values(99, 300));
        assertThat(alone.get(0).stats()).endsWith("; one worker, no collectives");
    }

    @Test
    void aWorkerThatCannotJoinLeavesEveryoneOnSparksTransport() throws Exception {
        // worker 2 is told a wrong token: the first worker refuses it, and all three keep Spark's transport
        List<Outcome> out = session(3, 1500, (r, m) -> {
            if (r == 2 && m[0].split(" ").length == 3) {
                m[0] = m[0].substring(0, m[0].lastIndexOf(' ')) + " 0123456789abcdef0123456789abcdef";
            }
            return m;
        });
        for (Outcome o : out) {
            assertThat(o.stats()).contains("Spark allGather (direct links failed: worker 0: only 1 of 2 workers connected");
            assertThat(o.mean()).containsExactly(out.get(0).mean());
        }
    }

    @Test
    void aWorkerThatStopsIsAnErrorForTheOthersNotAHang() throws Exception {
        FakeStage stage = new FakeStage(2, (r, m) -> m);
        List<String> errors = onThreads(2, rank -> {
            BarrierGroup g = new BarrierGroup(stage.forRank(rank), rank, 2, 5000);
            if (rank == 1) {
                g.close(); // this worker fails before its first step
                return "";
            }
            try {
                g.average(new float[] {1f});
                return "no error";
            } catch (VaeSparkException e) {
                return e.getMessage();
            } finally {
                g.close();
            }
        });
        assertThat(errors.get(0)).isEqualTo("worker 0: the link between workers failed (another worker stopped)");
    }
}
