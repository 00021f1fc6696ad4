package org.vae4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.BatchReader;
import org.vae4j.data.DataSplits;
import org.vae4j.data.Dataset;
import org.vae4j.data.TableSchema;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.RunLock;
import org.vae4j.likelihood.LikelihoodKind;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.ModelStore;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.nn.InputBuffer;
import org.vae4j.util.Engines;
import org.vae4j.util.Json;
import org.vae4j.util.Permutations;

/**
 * Trains a model with Adam: each step in its own {@link NDManager} sub-manager (else native memory grows by
 * gigabytes), each epoch evaluated on the test split, checkpointed and written as a loadable model directory.
 * Every epoch re-seeds the engine and the shuffle from (seed, epoch), so a resumed run replays exactly what an
 * uninterrupted one would (bit-identical with one intra-op thread).
 *
 * <pre>{@code
 * try (VaeModel model = Training.of(modelConfig, TrainConfig.defaults().withEpochs(5))
 *         .data(splits, "shapes")
 *         .runDirectory(Path.of("runs/demo"))
 *         .fit()) {
 *     float[] samples = model.sample(16, 42);
 * }
 * }</pre>
 */
public final class Training {
    /** Run-state file name. */
    public static final String STATE = "train.json";
    /** Metrics file name. */
    public static final String METRICS = "metrics.csv";

    private final ModelConfig modelConfig;
    private final TrainConfig config;
    private DataSplits data;
    private String dataSpec = "";
    private String dataDir = "";
    private Path runDir;
    private boolean force;
    private TrainingListener listener = TrainingListener.NONE;
    private DataSelection selection = DataSelection.NONE;
    private StepStrategy.Factory steps;
    private final List<EpochListener> epochListeners = new ArrayList<>();
    private Checkpoints.Loaded startFrom;

    private Training(ModelConfig modelConfig, TrainConfig config) {
        this.modelConfig = modelConfig;
        this.config = config;
    }

    /** Starts configuring a training run. */
    public static Training of(ModelConfig modelConfig, TrainConfig config) {
        if (modelConfig == null || config == null) {
            throw new IllegalArgumentException("model and training configs are required");
        }
        return new Training(modelConfig, config);
    }

    /** The data and the spec string it was loaded from (recorded for resume and provenance). */
    public Training data(DataSplits splits, String spec) {
        this.data = splits;
        this.dataSpec = spec == null ? "" : spec;
        return this;
    }

    /** The {@code --data-dir} option used to load the data (recorded for resume). */
    public Training dataDirectory(String dir) {
        this.dataDir = dir == null ? "" : dir;
        return this;
    }

    /** Where checkpoints, metrics and the model go (optional: without it nothing is written). */
    public Training runDirectory(Path dir) {
        this.runDir = dir;
        return this;
    }

    /** Allow replacing an existing run directory. */
    public Training force(boolean f) {
        this.force = f;
        return this;
    }

    /**
     * Label filter and sample weights (the weights file is read, matched to the training records by id and hashed
     * when training starts; both are recorded in {@code train.json} and re-applied on resume).
     */
    public Training selection(DataSelection s) {
        this.selection = s == null ? DataSelection.NONE : s;
        return this;
    }

    /**
     * How each batch is trained (default: the model's, see {@link StepStrategies}: {@link SingleOptimizerStep}, one
     * Adam over all parameters, unless the model registers another). A resumed run uses the model's default.
     */
    public Training stepStrategy(StepStrategy.Factory factory) {
        this.steps = factory;
        return this;
    }

    /** Adds a listener that runs after the trainer's own ones at the end of every epoch (e.g. early stopping). */
    public Training epochListener(EpochListener l) {
        if (l != null) {
            epochListeners.add(l);
        }
        return this;
    }

    /**
     * Starts {@link #fit()} from a checkpoint (weights, optimiser state, epoch) instead of fresh weights, without a run
     * directory of its own: for the other workers of a data-parallel run, whose first worker resumes the run directory
     * with {@link #resume(Path, DataSplits, int, TrainingListener, StepStrategy.Factory)}.
     *
     * @throws IllegalArgumentException at {@link #fit()} when a run directory is also set
     */
    public Training startingFrom(Checkpoints.Loaded checkpoint) {
        this.startFrom = checkpoint;
        return this;
    }

    /** Progress receiver. */
    public Training listener(TrainingListener l) {
        this.listener = l == null ? TrainingListener.NONE : l;
        return this;
    }

    /** Trains from scratch and returns the trained model (caller closes it). */
    public VaeModel fit() {
        if (!modelConfig.variant().weightsKl(modelConfig.settings()) && (modelConfig.beta() != 1 || config.klWarmupEpochs() > 0 || config.freeBits() > 0)) {
            throw new IllegalArgumentException("model '" + modelConfig.model() + "' has no weighted KL term: --beta, --kl-warmup and "
                    + "--free-bits do not apply to it");
        }
        if (data == null) {
            throw new IllegalArgumentException("no data: call data(splits, spec) first");
        }
        if (startFrom != null && runDir != null) {
            throw new IllegalArgumentException("a run directory is resumed with Training.resume, not started from a checkpoint");
        }
        DataSplits data = selection.labelFilter().apply(this.data);
        checkData(modelConfig, data);
        SampleWeights weights = selection.weighted() ? SampleWeights.read(Path.of(selection.sampleWeights()), data.train()) : null;
        DataSelection sel = weights == null ? selection : selection.withSha256(weights.sha256());
        RunLock lock = null;
        if (runDir != null) {
            prepareNewRunDirectory(runDir, force);
            lock = RunLock.acquire(runDir);
        }
        try (RunLock ignored = lock) {
            RunState state = new RunState(RunState.FORMAT_VERSION, modelConfig, config, data.train().name(), dataSpec,
                    dataDir, data.train().contentHash(), Instant.now().toString(), sel);
            if (runDir != null) {
                AtomicFiles.writeString(runDir.resolve(STATE), Json.write(state));
            }
            VaeModel model = VaeModel.create(modelConfig, config.seed());
            try {
                StepStrategy.Factory f = steps != null ? steps : StepStrategies.forModel(modelConfig.model());
                try (Loop loop = new Loop(model, state, data, weights, runDir, listener, f, epochListeners)) {
                    loop.run(startFrom);
                }
                return model;
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }
    }

    /**
     * Continues a run from its newest good checkpoint and trains to {@code epochs} (0: the run's own setting).
     *
     * @param runDir run directory written by {@link #fit()}
     * @param allData the same data, before the run's label filter (which is re-applied; the hash is checked)
     */
    public static VaeModel resume(Path runDir, DataSplits allData, int epochs, TrainingListener listener) {
        return resume(runDir, allData, epochs, listener, null);
    }

    /**
     * {@link #resume(Path, DataSplits, int, TrainingListener)} with a step strategy other than the model's (e.g. a
     * data-parallel one; null: the model's).
     */
    public static VaeModel resume(Path runDir, DataSplits allData, int epochs, TrainingListener listener, StepStrategy.Factory steps) {
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        RunState state = readState(runDir);
        if (epochs > 0) {
            state = new RunState(state.formatVersion(), state.model(), state.training().withEpochs(epochs), state.dataName(),
                    state.dataSpec(), state.dataDir(), state.dataHash(), state.started(), state.selection());
        }
        DataSplits data = state.selection().labelFilter().apply(allData);
        String hash = data.train().contentHash();
        if (!hash.equals(state.dataHash())) {
            throw new TrainingException(runDir.resolve(STATE) + ": the data differ from those the run started with (hash "
                    + shortHash(hash) + " vs " + shortHash(state.dataHash()) + ")");
        }
        checkData(state.model(), data);
        SampleWeights weights = null;
        if (state.selection().weighted()) {
            weights = SampleWeights.read(Path.of(state.selection().sampleWeights()), data.train());
            if (!weights.sha256().equals(state.selection().sampleWeightsSha256())) {
                throw new TrainingException(state.selection().sampleWeights() + ": the sample weights changed since the run started (SHA-256 "
                        + shortHash(weights.sha256()) + " vs " + shortHash(state.selection().sampleWeightsSha256()) + ")");
            }
        }
        try (RunLock ignored = RunLock.acquire(runDir)) {
            Checkpoints.Loaded ckpt = Checkpoints.latest(runDir, l::warning);
            if (epochs > 0) {
                AtomicFiles.writeString(runDir.resolve(STATE), Json.write(state));
            }
            VaeModel model = VaeModel.create(state.model(), state.training().seed());
            try {
                StepStrategy.Factory f = steps != null ? steps : StepStrategies.forModel(state.model().model());
                try (Loop loop = new Loop(model, state, data, weights, runDir, l, f, List.of())) {
                    loop.run(ckpt);
                }
                return model;
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }
    }

    /** Reads a run's {@code train.json}. */
    public static RunState readState(Path runDir) {
        Path f = runDir.resolve(STATE);
        if (!Files.isRegularFile(f)) {
            throw new TrainingException(f + ": missing; not a vae4j run directory (was it created by 'vae4j train'?)");
        }
        try {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            return Json.readStrict(text, RunState.class, f.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(f + ": cannot read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new TrainingException(e.getMessage());
        }
    }

    private static String shortHash(String h) {
        return h == null ? "none" : h.substring(0, Math.min(12, h.length()));
    }

    private static void checkData(ModelConfig mc, DataSplits data) {
        List<Integer> shape = new ArrayList<>();
        for (int s : data.train().shape()) {
            shape.add(s);
        }
        // the data, not an option, are at fault: DataException (exit 1), naming the data set
        if (!shape.equals(mc.inputShape())) {
            throw new org.vae4j.data.DataException(data.train().name() + ": records have shape " + shape
                    + " but the model expects " + mc.inputShape());
        }
        TableSchema table = data.train().table();
        boolean tableLikelihood = LikelihoodKind.byId(mc.likelihood()).needsTable();
        if (table != null && !tableLikelihood) {
            throw new IllegalArgumentException("likelihood " + mc.likelihood() + " models values in [0,1], but a table's values are "
                    + "standardised and unbounded: use --likelihood composite");
        }
        if (tableLikelihood && (table == null || !table.equals(mc.transform().table()))) {
            throw new IllegalArgumentException(table == null ? "likelihood " + mc.likelihood() + " is for tables (csv:FILE data)"
                    : "the data were encoded with a different table schema than the model's");
        }
        if (data.train().size() == 0) {
            throw new org.vae4j.data.DataException(data.train().name() + ": the training split is empty (no records to train on)");
        }
        if (data.test().size() == 0) {
            throw new org.vae4j.data.DataException(data.test().name() + ": the test split is empty (no records to evaluate on)");
        }
    }

    /**
     * The checks of a new run directory that touch nothing, for callers to make before loading data: a path that is
     * not a directory, or a non-empty directory without {@code force}, is refused with the message training would give.
     */
    public static void checkNewRunDirectory(Path dir, boolean force) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new TrainingException(dir + ": exists and is not a directory");
        }
        if (force) {
            return;
        }
        try (var s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                throw new TrainingException(dir + ": already exists and is not empty; use --resume to continue it, "
                        + "--force to replace it, or another --out");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** Refuses to touch a non-empty directory unless forced; with force, clears it. */
    static void prepareNewRunDirectory(Path dir, boolean force) {
        try {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new TrainingException(dir + ": exists and is not a directory");
                }
                boolean empty;
                try (var s = Files.list(dir)) {
                    empty = s.findAny().isEmpty();
                }
                if (!empty) {
                    if (!force) {
                        throw new TrainingException(dir + ": already exists and is not empty; use --resume to continue it, "
                                + "--force to replace it, or another --out");
                    }
                    try (RunLock ignored = RunLock.acquire(dir)) {
                        deleteContents(dir);
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot prepare run directory: " + e.getMessage(), e);
        }
    }

    private static void deleteContents(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            List<Path> paths = walk.sorted(java.util.Comparator.reverseOrder()).toList();
            for (Path p : paths) {
                if (!p.equals(dir) && !p.getFileName().toString().equals(".lock")) {
                    Files.delete(p);
                }
            }
        }
    }

    /**
     * The epoch loop of one training session: batches in a seeded order (in memory or streamed), each through the
     * {@link StepStrategy} in its own sub-manager, then the epoch listeners (evaluation, metrics, best model,
     * checkpoints, then the caller's), then progress.
     */
    private static final class Loop implements AutoCloseable {
        private final VaeModel model;
        private final RunState state;
        private final TrainConfig cfg;
        private final Dataset train;
        /** All training values when the data are in memory; {@code null} for streamed data, read by a {@link BatchReader}. */
        private final float[] trainValues;
        private final BatchReader.Transform trainTransform;
        private final boolean dynamic;
        private final TrainingListener listener;
        private final InputBuffer inputBuffer = new InputBuffer();
        private final WeightedSampler sampler;
        /** Training labels for conditional models (null otherwise). */
        private final int[] trainLabels;
        private final StepStrategy.Position position = new StepStrategy.Position();
        private final StepStrategy step;
        private final List<EpochListener> listeners = new ArrayList<>();

        Loop(VaeModel model, RunState state, DataSplits data, SampleWeights weights, Path runDir, TrainingListener listener,
                StepStrategy.Factory steps, List<EpochListener> extra) {
            this.sampler = weights == null ? null : new WeightedSampler(weights.weights());
            this.model = model;
            this.state = state;
            this.cfg = state.training();
            this.train = data.train();
            this.listener = listener;
            String bin = state.model().transform().binarize();
            this.dynamic = bin.equals("dynamic");
            boolean missingAllowed = train.table() != null; // NaN marks a missing cell, which the composite likelihood masks
            if (train instanceof ArrayDataset a) {
                float[] tv = a.data();
                Inputs.requireFinite(tv, train.featureSize(), train.name() + " (train)", missingAllowed);
                this.trainValues = bin.equals("static") ? Inputs.bernoulli(tv, Seeds.derive(cfg.seed(), 0, 7)) : tv;
                this.trainTransform = null;
            } else {
                this.trainValues = null;
                this.trainTransform = Inputs.perRecordBernoulli(bin.equals("static"), Seeds.derive(cfg.seed(), 0, 7));
            }
            float[] testValues;
            Dataset testStream;
            BatchReader.Transform testTransform;
            if (data.test() instanceof ArrayDataset a) {
                Inputs.requireFinite(a.data(), train.featureSize(), train.name() + " (test)", missingAllowed);
                testValues = Inputs.forEvaluation(a.data(), state.model().transform());
                testStream = null;
                testTransform = null;
            } else {
                testValues = null;
                testStream = data.test();
                testTransform = Inputs.perRecordBernoulli(state.model().transform().binarized(), Inputs.TEST_BINARIZATION_SEED);
            }
            int[] testLabels = null;
            if (model.conditional()) {
                if (!train.hasLabels() || !data.test().hasLabels()) {
                    throw new IllegalArgumentException(train.name() + ": a conditional model ('" + model.config().model()
                            + "') needs labelled training and test records");
                }
                this.trainLabels = train.labels();
                testLabels = data.test().labels();
            } else {
                this.trainLabels = null;
            }
            position.listener = listener;
            position.checkpointHint = runDir == null ? "" : "; the last good checkpoint is kept in " + runDir.resolve(Checkpoints.DIR);
            this.step = steps.create(model, cfg, position);
            StandardListeners.Metrics metrics = new StandardListeners.Metrics(model.variant().termNames());
            listeners.add(new StandardListeners.Evaluation(model, cfg, testValues, testLabels, data.test().size(), testStream,
                    testTransform));
            listeners.add(metrics);
            listeners.add(new StandardListeners.BestModel(model.variant().objectiveTerm(), model.variant().heldOutObjective()));
            if (runDir != null) {
                listeners.add(new StandardListeners.Checkpoint(model, step, metrics, state, runDir));
            }
            listeners.addAll(extra);
        }

        @Override
        public void close() {
            step.close();
        }

        void run(Checkpoints.Loaded from) {
            Engines.setThreads(cfg.threads());
            int first = 1;
            if (from != null) {
                model.setParametersFrom(ModelStore.matching(model.parameters(), from.tensors(), from.file()));
                Map<String, float[]> st = new LinkedHashMap<>();
                from.tensors().forEach((k, t) -> {
                    if (k.startsWith("adam.")) {
                        st.put(k, t.toFloatArray());
                    }
                });
                step.restore(st, from.adamSteps());
                for (EpochListener l : listeners) {
                    l.resumed(from);
                }
                first = from.epoch() + 1;
            }
            int n = train.size();
            int bs = Math.min(cfg.batchSize(), n);
            int batches = (n + bs - 1) / bs;
            listener.started(first, cfg.epochs(), batches, model.parameterCount());
            for (int epoch = first; epoch <= cfg.epochs(); epoch++) {
                runEpoch(epoch, n, bs, batches);
            }
        }

        private void runEpoch(int epoch, int n, int bs, int batches) {
            int d = train.featureSize();
            Engine.getInstance().setRandomSeed(Seeds.engineSeed(cfg.seed(), epoch, 1));
            if (cfg.schedule() != LearningRateSchedule.CONSTANT) {
                // a function of the epoch alone, so a resumed run sets the same rate as an uninterrupted one
                step.learningRate(cfg.learningRate(epoch));
            }
            // with sample weights, an epoch is n draws with replacement ∝ weight; else a permutation
            long orderSeed = Seeds.derive(cfg.seed(), epoch, 2);
            int[] order = sampler == null ? Permutations.shuffled(n, orderSeed) : sampler.draw(n, orderSeed);
            double beta = state.model().beta() * cfg.warmupFactor(epoch);
            Objective objective = new Objective(beta, cfg.freeBits());
            List<String> names = step.valueNames();
            int iRecon = names.indexOf(ModelOutput.RECON);
            int iKl = names.indexOf(ModelOutput.KL);
            float[] buf = new float[bs * d];
            double[] sums = new double[names.size()];
            int seen = 0;
            int skipped = 0;
            position.epoch = epoch;
            long t0 = System.nanoTime();
            // streamed data: read ahead on a background thread; in-memory data: gathered here
            try (BatchReader reader = trainValues == null ? new BatchReader(train, order, bs, 4, trainTransform) : null) {
                for (int b = 0; b < batches; b++) {
                    int start = b * bs;
                    int size = Math.min(bs, n - start);
                    float[] x;
                    if (reader != null) {
                        x = reader.next();
                        Inputs.requireFinite(x, size * d, d, train.name() + " (train, batch " + (b + 1) + ")");
                    } else {
                        x = size == bs ? buf : new float[size * d];
                        for (int i = 0; i < size; i++) {
                            System.arraycopy(trainValues, order[start + i] * d, x, i * d, d);
                        }
                    }
                    position.batch = b + 1;
                    try (NDManager sub = model.manager().newSubManager()) {
                        NDArray input = inputBuffer.wrap(sub, x, 0, size * d, model.batchShape(size));
                        if (dynamic) {
                            input = sub.randomUniform(0f, 1f, input.getShape()).lt(input).toType(DataType.FLOAT32, false);
                        }
                        int[] labels = null;
                        if (trainLabels != null) {
                            labels = new int[size];
                            for (int i = 0; i < size; i++) {
                                labels[i] = trainLabels[order[start + i]];
                            }
                        }
                        StepStrategy.Result r = step.step(model.batch(input, labels), objective, sub);
                        if (r.skipped()) {
                            skipped++;
                            continue;
                        }
                        for (int i = 0; i < sums.length; i++) {
                            sums[i] += r.values()[i] * (double) size;
                        }
                        seen += size;
                    }
                    double secs = (System.nanoTime() - t0) / 1e9;
                    int k = Math.max(1, seen);
                    listener.batch(epoch, b + 1, batches, sums[0] / k, iRecon < 0 ? Double.NaN : sums[iRecon] / k,
                            iKl < 0 ? Double.NaN : sums[iKl] / k, seen / Math.max(secs, 1e-9));
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double[] means = new double[sums.length];
            for (int i = 0; i < sums.length; i++) {
                means[i] = sums[i] / Math.max(1, seen);
            }
            EpochListener.Epoch e = new EpochListener.Epoch(epoch, names, means, seen, skipped, seconds, beta);
            for (EpochListener l : listeners) {
                l.epochEnded(e);
            }
            listener.epoch(e.metrics());
        }
    }
}
