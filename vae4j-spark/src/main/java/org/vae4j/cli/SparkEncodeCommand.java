package org.vae4j.cli;

import java.io.IOException;
import java.util.Arrays;
import org.apache.spark.sql.SparkSession;
import org.vae4j.data.Dataset;
import org.vae4j.eval.Evaluator;
import org.vae4j.model.Posterior;
import org.vae4j.model.VaeModel;
import org.vae4j.spark.SparkRecords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vae4j spark encode}: {@code vae4j encode} (same options, same files) with the records encoded on Spark. */
@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"vae4j encode on Spark: per record its id, label, posterior mean mu and log-variance logvar, computed by the executors.",
            "FILE.csv: id,label,mu_0..,logvar_0.. ; FILE.npy: float32 (N, 2*latent) [mu | logvar] plus FILE.ids.csv (id,label)."})
final class SparkEncodeCommand extends EncodeCommand {
    @Mixin
    SparkOptions sparkOptions;

    private SparkSession session;

    @Override
    public Integer call() {
        try {
            return super.call();
        } finally {
            if (session != null) {
                session.stop();
            }
        }
    }

    @Override
    void encodeRecords(VaeModel m, Dataset ds, BatchConsumer c) throws IOException {
        if (session == null) {
            session = sparkOptions.start("encode");
        }
        int l = m.latent();
        boolean variational = m.variant().variational();
        Posterior all = SparkRecords.encode(session, model.dir, ds, Evaluator.labelsFor(m, ds), l, variational,
                sparkOptions.partitions(session));
        for (int start = 0; start < ds.size(); start += BATCH) {
            int b = Math.min(BATCH, ds.size() - start);
            c.accept(start, new Posterior(b, l, Arrays.copyOfRange(all.mu(), start * l, (start + b) * l),
                    variational ? Arrays.copyOfRange(all.logvar(), start * l, (start + b) * l) : null));
        }
    }
}
