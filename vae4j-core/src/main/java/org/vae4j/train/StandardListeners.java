package org.vae4j.train;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.data.Dataset;
import org.vae4j.eval.EvaluationResult;
import org.vae4j.eval.Evaluator;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.SafeTensors;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.ModelStore;
import org.vae4j.model.Provenance;
import org.vae4j.model.VaeModel;
import org.vae4j.util.Engines;
import org.vae4j.util.Json;

/** The trainer's own epoch listeners: evaluation, metrics history, best model, checkpoints. */
final class StandardListeners {
    private StandardListeners() {}

    /** Evaluates the test split after each epoch (one sampled z per record, seeded from the run seed and epoch). */
    static final class Evaluation implements EpochListener {
        private final VaeModel model;
        private final TrainConfig cfg;
        private final float[] testValues;
        private final int[] testLabels;
        private final int testCount;
        private final Dataset testStream;
        private final org.vae4j.data.BatchReader.Transform testTransform;

        Evaluation(VaeModel model, TrainConfig cfg, float[] testValues, int[] testLabels, int testCount, Dataset testStream,
                org.vae4j.data.BatchReader.Transform testTransform) {
            this.model = model;
            this.cfg = cfg;
            this.testValues = testValues;
            this.testLabels = testLabels;
            this.testCount = testCount;
            this.testStream = testStream;
            this.testTransform = testTransform;
        }

        @Override
        public void epochEnded(Epoch e) {
            long t0 = System.nanoTime();
            long seed = Seeds.engineSeed(cfg.seed(), e.number(), 3);
            e.evaluation = testValues != null
                    ? Evaluator.evaluate(model, testValues, testLabels, testCount, cfg.evalBatchSize(), seed)
                    : Evaluator.evaluate(model, testStream, testTransform, cfg.evalBatchSize(), seed);
            e.evalSeconds = (System.nanoTime() - t0) / 1e9;
        }
    }

    /** Keeps the metrics history: one {@link EpochMetrics} row per epoch, the model's extra terms as extra columns. */
    static final class Metrics implements EpochListener {
        private final List<EpochMetrics> history = new ArrayList<>();
        private final List<String> extraTerms;

        Metrics(List<String> termNames) {
            this.extraTerms = termNames.stream().filter(t -> !t.equals(ModelOutput.RECON) && !t.equals(ModelOutput.KL)).toList();
        }

        List<EpochMetrics> history() {
            return history;
        }

        @Override
        public void resumed(Checkpoints.Loaded from) {
            history.addAll(from.history());
        }

        @Override
        public void epochEnded(Epoch e) {
            EvaluationResult ev = e.evaluation();
            Map<String, Double> extra = new LinkedHashMap<>();
            for (String t : extraTerms) {
                extra.put("train_" + t, e.train(t));
            }
            for (String t : extraTerms) {
                extra.put("test_" + t, ev.terms().getOrDefault(t, Double.NaN));
            }
            e.metrics = new EpochMetrics(e.number(), e.train("loss"), e.train(ModelOutput.RECON), e.train(ModelOutput.KL),
                    ev.negElbo(), ev.recon(), ev.kl(), e.seconds(), e.evalSeconds, e.seen() / e.seconds(), e.beta(), e.skipped(), extra);
            history.add(e.metrics);
        }
    }

    /** Marks the epoch with the lowest test −ELBO (or the model's own objective term) so far as the best (its checkpoint is kept as best.safetensors). */
    static final class BestModel implements EpochListener {
        private double best = Double.POSITIVE_INFINITY;
        /** The model's own held-out objective (the IWAE's bound), or null for the −ELBO. */
        private final String term;

        /** False for a model without a held-out objective (a GAN): then every epoch is the best so far, i.e. the last. */
        private final boolean objective;

        BestModel(String objectiveTerm, boolean heldOutObjective) {
            this.term = objectiveTerm;
            this.objective = heldOutObjective;
        }

        @Override
        public void resumed(Checkpoints.Loaded from) {
            for (EpochMetrics m : from.history()) {
                best = Math.min(best, term == null ? m.testNegElbo() : m.extra().getOrDefault("test_" + term, Double.NaN));
            }
        }

        @Override
        public void epochEnded(Epoch e) {
            if (!objective) {
                e.best = true;
                return;
            }
            double v = term == null ? e.evaluation().negElbo() : e.evaluation().terms().getOrDefault(term, Double.NaN);
            e.best = v < best;
            if (e.best) {
                best = v;
            }
        }
    }

    /**
     * Writes the epoch's checkpoint (weights and optimiser state, atomically) and then the loadable model directory,
     * provenance and {@code metrics.csv}.
     */
    static final class Checkpoint implements EpochListener {
        private final VaeModel model;
        private final StepStrategy step;
        private final Metrics metrics;
        private final RunState state;
        private final Path runDir;

        Checkpoint(VaeModel model, StepStrategy step, Metrics metrics, RunState state, Path runDir) {
            this.model = model;
            this.step = step;
            this.metrics = metrics;
            this.state = state;
            this.runDir = runDir;
        }

        @Override
        public void resumed(Checkpoints.Loaded from) {
            // A kill between an epoch's checkpoint and its model files leaves those one epoch behind; after the last
            // epoch nothing else would rewrite them, so publish the state we resume from.
            publish(from.epoch());
        }

        @Override
        public void epochEnded(Epoch e) {
            List<SafeTensors.Tensor> tensors = new ArrayList<>(ModelStore.tensors(model.parameters()));
            tensors.addAll(ModelStore.tensors(step.state()));
            Checkpoints.write(runDir, e.number(), step.steps(), metrics.history(), tensors, e.best());
            publish(e.number());
        }

        /** Writes the loadable model (config, weights, provenance) and metrics.csv for the state after {@code epoch}. */
        private void publish(int epoch) {
            List<EpochMetrics> history = metrics.history();
            TrainConfig cfg = state.training();
            EpochMetrics last = history.get(history.size() - 1);
            Map<String, Double> fin = new LinkedHashMap<>();
            fin.put("test_neg_elbo", last.testNegElbo());
            fin.put("test_recon", last.testRecon());
            fin.put("test_kl", last.testKl());
            fin.put("train_loss", last.trainLoss());
            fin.putAll(last.extra());
            Map<String, Object> training = Json.toMap(cfg);
            int threads = cfg.threads() > 0 ? cfg.threads() : Engines.threads();
            // the threads used, not the setting's 0 ("the engine's default"), which read as a contradiction beside them
            training.put("threads", threads);
            Provenance p = Provenance.now(cfg.seed(), threads,
                    state.dataName(), state.dataSpec(), state.dataHash(), Instant.parse(state.started()), epoch, training, fin);
            ModelStore.save(model, runDir, p);
            AtomicFiles.writeString(runDir.resolve(Training.METRICS), EpochMetrics.toCsv(history));
        }
    }
}
