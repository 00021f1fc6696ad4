package org.vae4j.cli;

import org.apache.spark.sql.SparkSession;
import org.vae4j.anomaly.ScoreMethod;
import org.vae4j.data.Dataset;
import org.vae4j.eval.Evaluator;
import org.vae4j.model.VaeModel;
import org.vae4j.spark.SparkRecords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code vae4j spark score}: {@code vae4j score} (same options, same outputs) with the records scored on a Spark
 * cluster. The data are read here, as {@code score} reads them (a table with the model's stored schema); the executors
 * load the model from {@code --model}, which must be readable at that path on each of them.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"vae4j score on Spark: per-record anomaly scores written as id,label,score, computed by the executors.",
            "Every score equals the one 'vae4j score' writes with the same options, whatever the partitioning."})
final class SparkScoreCommand extends ScoreCommand {
    @Mixin
    SparkOptions sparkOptions;

    private SparkSession session;

    @Override
    public Integer call() throws Exception {
        try {
            return super.call();
        } finally {
            if (session != null) {
                session.stop();
            }
        }
    }

    @Override
    double[] scoreRecords(VaeModel m, Dataset ds, ScoreMethod meth, int k, long seed, ProgressLine pl) {
        if (session == null) {
            session = sparkOptions.start("score");
        }
        int[] labels = Evaluator.labelsFor(m, ds);
        double[] s = SparkRecords.score(session, model.dir, ds, labels, meth, k, seed, sparkOptions.partitions(session));
        pl.update(ds.size());
        return s;
    }
}
