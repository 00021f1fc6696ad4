package org.vae4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vae4j.data.Dataset;
import org.vae4j.data.DataSplits;
import org.vae4j.model.VaeModel;
import org.vae4j.train.Inputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j reconstruct}. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = {"Write test records (rows labelled 'input') above their reconstructions E[x|z=μ(x)] (rows labelled",
            "'reconstruction'). Records come from --data, else from the run's own data set."})
final class ReconstructCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "-n", defaultValue = "32", description = "Records (1..1024). Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--start", defaultValue = "0", description = "Index of the first record. Default: ${DEFAULT-VALUE}.")
    int start;

    @Option(names = "--split", defaultValue = "test", description = "test or train. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--out", required = true, paramLabel = "FILE.png")
    Path out;

    @Mixin
    Outputs.Force force;

    @Override
    public Integer call() {
        if (n < 1 || n > 1024) {
            throw new IllegalArgumentException("-n must be in 1..1024, got " + n);
        }
        Outputs.checkPng(out, force.force);
        try (VaeModel m = model.load()) {
            TableRows.refusePictures(m, model.dir, "reconstruct", out);
            m.require(org.vae4j.model.Capability.ENCODES, "reconstruct");
            // like the other latent commands: --data, else the run's own data set
            DataSplits splits = data.loadOrFromRun(model.dir, false, spec.commandLine().getErr());
            Dataset ds = split.equals("train") ? splits.train() : splits.test();
            LatentData.checkShape(ds, m);
            if (ds.size() == 0) {
                throw LatentData.emptySplit(ds, split);
            }
            if (start < 0 || start >= ds.size()) {
                throw new IllegalArgumentException("--start " + start + " is out of range (the " + split + " split has " + ds.size() + " records)");
            }
            int count = Math.min(n, ds.size() - start);
            int[] idx = java.util.stream.IntStream.range(start, start + count).toArray();
            Dataset shown = ds.subset(idx);
            float[] x = Inputs.forEvaluation(shown.materialize().data(), m.config().transform());
            // a conditional model reconstructs each record with its own label
            float[] r = m.reconstruct(x, count, RecordOutputs.conditionLabels(m, shown));
            Pictures.pairs(x, r, count, Pictures.shape(m), 8, out);
        }
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}
