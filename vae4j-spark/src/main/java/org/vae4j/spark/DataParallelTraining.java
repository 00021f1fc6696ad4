package org.vae4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.data.LoadContext;
import org.vae4j.io.AtomicFiles;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;
import org.vae4j.train.Checkpoints;
import org.vae4j.train.DataSelection;
import org.vae4j.train.EpochListener;
import org.vae4j.train.EpochMetrics;
import org.vae4j.train.RunState;
import org.vae4j.train.Seeds;
import org.vae4j.train.StepStrategy;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;
import org.vae4j.train.TrainingListener;
import org.vae4j.util.Json;
import org.vae4j.util.Permutations;

/**
 * Data-parallel training on Spark in barrier execution mode: one task per worker, all started together; each loads the
 * data from the same spec (a shared file system, like the model path for scoring), keeps its own share of the training
 * records (a seeded split into equal parts, so every worker takes the same number of steps), and trains with core's
 * {@link Training} loop and a {@link DataParallelStep} that keeps the workers in lock-step. The first worker owns the
 * run directory: train.json, metrics, checkpoints and the model are written there, by it alone, exactly as a
 * single-process run writes them, so the result is an ordinary vae4j model directory. {@code --resume} restarts every
 * worker from that directory's newest checkpoint.
 */
public final class DataParallelTraining {
    /** The run's data-parallel settings, written beside train.json (needed to resume it the same way). */
    public static final String SETTINGS = "spark.json";

    /** Test records each worker other than the first evaluates (the first evaluates the whole test split). */
    static final int SIDE_TEST_RECORDS = 64;

    private DataParallelTraining() {}

    /**
     * The data-parallel settings of a run.
     *
     * @param workers barrier tasks
     * @param sync {@code gradients} or {@code parameters}
     * @param syncEvery steps between parameter averages (parameters only)
     * @param globalBatch records per step over all workers (each worker takes {@code globalBatch / workers})
     */
    public record Settings(int workers, String sync, int syncEvery, int globalBatch) {
        /** Validates. */
        public Settings {
            if (workers < 1) {
                throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
            }
            if (!sync.equals("gradients") && !sync.equals("parameters")) {
                throw new IllegalArgumentException("--sync must be gradients or parameters, got '" + sync + "'");
            }
            if (syncEvery < 1) {
                throw new IllegalArgumentException("--sync-every must be >= 1, got " + syncEvery);
            }
            if (globalBatch % workers != 0) {
                throw new IllegalArgumentException("--batch-size " + globalBatch + " is the batch over all workers: it must be a multiple of --workers "
                        + workers);
            }
        }

        DataParallelStep.Sync mode() {
            return sync.equals("gradients") ? DataParallelStep.Sync.GRADIENTS : DataParallelStep.Sync.PARAMETERS;
        }
    }

    /** What every worker needs, as text and numbers (the core records travel as their JSON). */
    record Plan(String model, String training, String selection, String dataSpec, String dataDir, boolean offline, String runDir,
            boolean force, boolean resume, int resumeEpochs, int workers, String sync, int syncEvery) implements Serializable {}

    /** What a worker reports when done. */
    record Report(int rank, int trainRecords, int testRecords, long steps, double commSeconds, String comm) implements Serializable {}

    /**
     * Trains a new run on {@code settings.workers()} barrier tasks.
     *
     * @param tc the training settings as for a single process ({@code batchSize} = the global batch)
     * @return one line per worker (records, steps, time spent synchronising)
     */
    public static List<String> fit(SparkSession spark, ModelConfig mc, TrainConfig tc, DataSelection selection, String dataSpec,
            String dataDir, boolean offline, Path runDir, boolean force, Settings settings) {
        check(tc, settings);
        if (selection.weighted()) {
            throw new IllegalArgumentException("--sample-weights is not supported by data-parallel training");
        }
        // threads 0: the training loop leaves the engine's thread count alone. SharedModels.configure sets one intra-op
        // thread once per JVM before any work; a worker setting it again while another is inside backward crashed the JVM
        TrainConfig local = tc.withBatchSize(tc.batchSize() / settings.workers()).withThreads(0);
        Plan p = new Plan(Json.write(mc), Json.write(local), Json.write(selection), dataSpec, dataDir == null ? "" : dataDir, offline,
                runDir.toAbsolutePath().toString(), force, false, 0, settings.workers(), settings.sync(), settings.syncEvery());
        return run(spark, p);
    }

    /**
     * Resumes a run trained by {@link #fit} with its recorded settings.
     *
     * @param epochs the new total (0: the run's own)
     */
    public static List<String> resume(SparkSession spark, Path runDir, int epochs, String dataDir, boolean offline) {
        Settings s = settings(runDir);
        RunState state = Training.readState(runDir);
        Plan p = new Plan(Json.write(state.model()), Json.write(state.training()), Json.write(state.selection()), state.dataSpec(),
                dataDir != null ? dataDir : state.dataDir(), offline, runDir.toAbsolutePath().toString(), false, true, epochs,
                s.workers(), s.sync(), s.syncEvery());
        return run(spark, p);
    }

    /** A data-parallel run's recorded settings. */
    public static Settings settings(Path runDir) {
        Path f = runDir.resolve(SETTINGS);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(f + ": missing; not a run trained with 'vae4j spark train' (resume it with 'vae4j train --resume')");
        }
        try {
            return Json.readStrict(Files.readString(f), Settings.class, f.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(f + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void check(TrainConfig tc, Settings s) {
        if (tc.nanPolicy() != org.vae4j.train.NanPolicy.STOP) {
            throw new IllegalArgumentException("--on-nan skip-batch is not supported by data-parallel training (the workers must take the same steps)");
        }
    }

    private static List<String> run(SparkSession spark, Plan p) {
        int slots = spark.sparkContext().defaultParallelism();
        if (p.workers() > slots) {
            throw new IllegalArgumentException("--workers " + p.workers() + " needs as many task slots at once; the cluster has " + slots);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> ranks = new ArrayList<>();
        for (int i = 0; i < p.workers(); i++) {
            ranks.add(i);
        }
        scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Report>> f = worker(p);
        Object collected = jsc.parallelize(ranks, p.workers()).rdd().barrier()
                .mapPartitions(f, false, scala.reflect.ClassTag$.MODULE$.apply(Report.class)).collect();
        List<String> lines = new ArrayList<>();
        for (Object o : (Object[]) collected) {
            Report r = (Report) o;
            lines.add(String.format(Locale.ROOT, "worker %d: %d train records, %d test records, %d steps; %s", r.rank(), r.trainRecords(),
                    r.testRecords(), r.steps(), r.comm()));
        }
        return lines;
    }

    // a serializable Scala function (the barrier RDD has no Java-friendly API)
    @SuppressWarnings("unchecked")
    private static scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Report>> worker(Plan p) {
        return (scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Report>> & Serializable) it -> {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            Report r;
            try (BarrierGroup group = new BarrierGroup(ctx)) {
                r = work(p, group);
            } catch (RuntimeException | Error e) {
                // Spark reports a failed barrier stage without its task's exception: say it here (executor stderr) and
                // carry it in the one-line message
                String line = "worker " + ctx.partitionId() + " on " + SharedModels.host() + ": " + VaeSparkException.firstLine(e);
                System.err.println("vae4j: " + line);
                throw new VaeSparkException(line, e);
            }
            return scala.jdk.javaapi.CollectionConverters.asScala(List.of(r).iterator());
        };
    }

    /** One worker: its share of the data, core's training loop with the data-parallel step. */
    static Report work(Plan p, BarrierGroup group) {
        SharedModels.configure();
        int rank = group.rank();
        int w = group.size();
        ModelConfig mc = Json.readStrict(p.model(), ModelConfig.class, "model config");
        TrainConfig tc = Json.readStrict(p.training(), TrainConfig.class, "training config");
        DataSelection sel = Json.readStrict(p.selection(), DataSelection.class, "data selection");
        Path run = Path.of(p.runDir());
        DataSplits all = sel.labelFilter().apply(DataSources.load(p.dataSpec(),
                new LoadContext(p.dataDir().isEmpty() ? null : Path.of(p.dataDir()), p.offline(), null, mc.transform().table())));
        int n = all.train().size() / w;
        if (n < tc.batchSize()) {
            throw new IllegalArgumentException(all.train().name() + ": " + all.train().size() + " training records are too few for " + w
                    + " workers with a batch of " + tc.batchSize() + " each");
        }
        // a seeded split into equal shares (the n mod workers records left over are not trained on)
        int[] perm = Permutations.shuffled(all.train().size(), Seeds.derive(tc.seed(), 0, 0x5a11));
        int[] mine = Arrays.copyOfRange(perm, rank * n, (rank + 1) * n);
        Arrays.sort(mine);
        org.vae4j.data.Dataset test = rank == 0 ? all.test() : all.test().head(Math.min(SIDE_TEST_RECORDS, all.test().size()));
        DataSplits local = new DataSplits(all.train().subset(mine), test);
        int batches = (n + tc.batchSize() - 1) / tc.batchSize();
        Settings settings = new Settings(w, p.sync(), p.syncEvery(), tc.batchSize() * w);
        long[] steps = new long[1];
        StepStrategy.Factory factory = (model, cfg, position) -> {
            DataParallelStep s = new DataParallelStep(model, cfg, position, group, settings.mode(), p.syncEvery(), batches);
            return new CountingStep(s, steps);
        };
        // the other workers draw their own noise and batch order; the first keeps the run's seed (train.json records it)
        TrainConfig own = rank == 0 ? tc : tc.withSeed(Seeds.derive(tc.seed(), rank, 0x5a12));
        VaeModel model;
        if (rank == 0) {
            EpochListener writeSettings = e -> writeSettings(run, settings);
            if (p.resume()) {
                model = Training.resume(run, local, p.resumeEpochs(), new EpochLines(), factory);
            } else {
                model = Training.of(mc, own).data(local, p.dataSpec()).dataDirectory(p.dataDir()).runDirectory(run).force(p.force())
                        .selection(sel).listener(new EpochLines()).epochListener(writeSettings).stepStrategy(factory).fit();
            }
        } else {
            Training t = Training.of(mc, p.resumeEpochs() > 0 ? own.withEpochs(p.resumeEpochs()) : own).data(local, p.dataSpec())
                    .stepStrategy(factory);
            if (p.resume()) {
                t.startingFrom(Checkpoints.latest(run, m -> { }));
            }
            model = t.fit();
        }
        model.close();
        group.barrier();
        return new Report(rank, n, test.size(), steps[0], group.seconds(), group.stats());
    }

    private static void writeSettings(Path run, Settings s) {
        Path f = run.resolve(SETTINGS);
        if (!Files.exists(f)) {
            AtomicFiles.writeString(f, Json.write(s));
        }
    }

    /** The first worker's epochs on its stderr (the driver's console in local mode). */
    static final class EpochLines implements TrainingListener {
        @Override
        public void epoch(EpochMetrics m) {
            System.err.printf(Locale.ROOT, "worker 0: epoch %d  train loss %.2f  test -ELBO %.2f  %.1f s%n", m.epoch(), m.trainLoss(),
                    m.testNegElbo(), m.seconds());
        }

        @Override
        public void warning(String message) {
            System.err.println("worker 0: warning: " + message);
        }
    }

    /** Counts the steps taken (for the report). */
    private record CountingStep(DataParallelStep inner, long[] count) implements StepStrategy {
        @Override
        public Result step(org.vae4j.model.Batch batch, org.vae4j.model.Objective objective, ai.djl.ndarray.NDManager sub) {
            count[0]++;
            return inner.step(batch, objective, sub);
        }

        @Override
        public List<String> valueNames() {
            return inner.valueNames();
        }

        @Override
        public java.util.Map<String, ai.djl.ndarray.NDArray> state() {
            return inner.state();
        }

        @Override
        public long steps() {
            return inner.steps();
        }

        @Override
        public void restore(java.util.Map<String, float[]> state, long s) {
            inner.restore(state, s);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
