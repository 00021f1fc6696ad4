package org.vae4j.cli;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.vae4j.data.DataSplits;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;
import org.vae4j.spark.DataParallelTraining;
import org.vae4j.train.DataSelection;
import org.vae4j.train.RunState;
import org.vae4j.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vae4j spark train}: {@code vae4j train} (same options, same run directory) with the training records split
 * over {@code --workers} Spark tasks that train in lock-step (barrier execution mode). {@code --batch-size} is the batch
 * over all workers. The data spec and the run directory must be readable (the run directory writable by the first
 * worker) at the same paths on the executors.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"vae4j train on Spark: data-parallel training in barrier mode; writes an ordinary run directory (model, metrics.csv, checkpoints).",
            "Resume an interrupted run with --resume RUN (same workers and synchronisation)."})
final class SparkTrainCommand extends TrainCommand {
    @Mixin
    SparkOptions sparkOptions;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Workers (barrier tasks, one per task slot). Default: ${DEFAULT-VALUE}.")
    int workers;

    // parameters by default: measured on MNIST (local[2], 2 workers) 45 s/epoch against 416 s/epoch for gradients, of
    // which 383 s were spent in allGather (3.3 GB of gradients per worker and epoch through the driver's RPC)
    @Option(names = "--sync", defaultValue = "parameters", paramLabel = "WHAT",
            description = "parameters (local Adam steps, weights averaged every --sync-every steps and at each epoch's end) or "
                    + "gradients (every step's gradients averaged: synchronous SGD, far more traffic). Default: ${DEFAULT-VALUE}.")
    String sync;

    @Option(names = "--sync-every", defaultValue = "20", paramLabel = "K", description = "Steps between weight averages (--sync parameters). Default: ${DEFAULT-VALUE}.")
    int syncEvery;

    @Override
    VaeModel trainRun(ModelConfig mc, TrainConfig tc, DataSplits splits, DataSelection selection, Path run, ProgressReporter progress) {
        DataParallelTraining.Settings s = new DataParallelTraining.Settings(workers, sync, syncEvery, tc.batchSize());
        List<String> lines = withSession(spark -> DataParallelTraining.fit(spark, mc, tc, selection, data.resolvedSpec(),
                data.dataDir == null ? null : data.dataDir.toAbsolutePath().toString(), data.offline, run, force, s));
        lines.forEach(l -> spec.commandLine().getErr().println(l));
        return VaeModel.load(run);
    }

    @Override
    VaeModel resumeRun(Path run, RunState state, DataSplits splits, int epochs, ProgressReporter progress) {
        List<String> lines = withSession(spark -> DataParallelTraining.resume(spark, run, epochs,
                data.dataDir == null ? null : data.dataDir.toAbsolutePath().toString(), data.offline));
        lines.forEach(l -> spec.commandLine().getErr().println(l));
        return VaeModel.load(run);
    }

    private List<String> withSession(java.util.function.Function<SparkSession, List<String>> job) {
        // a failed barrier stage is not retried: the run directory holds the last good checkpoint; --resume continues
        sparkOptions.conf.putIfAbsent("spark.stage.maxConsecutiveAttempts", "1");
        SparkSession spark = sparkOptions.start("train");
        try {
            return job.apply(spark);
        } finally {
            spark.stop();
        }
    }
}
