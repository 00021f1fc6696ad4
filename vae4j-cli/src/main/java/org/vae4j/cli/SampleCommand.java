package org.vae4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j sample}. */
@Command(name = "sample", mixinStandardHelpOptions = true, description = "Decode codes drawn from the prior N(0, I) to an image grid.")
final class SampleCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "-n", defaultValue = "64", description = "Number of samples (1..1024). Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE.png")
    Path out;

    @Override
    public Integer call() {
        if (n < 1 || n > 1024) {
            throw new IllegalArgumentException("-n must be in 1..1024, got " + n);
        }
        Outputs.checkPng(out);
        try (VaeModel m = model.load()) {
            Pictures.samples(m, out, n, seed);
        }
        spec.commandLine().getOut().println("wrote " + n + " samples to " + out);
        return 0;
    }
}
