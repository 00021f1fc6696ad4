package org.vae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.DataSplits;
import org.vae4j.eval.EvaluationResult;
import org.vae4j.eval.Evaluator;
import org.vae4j.image.ImageGrid;
import org.vae4j.latent.Interpolation;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;
import org.vae4j.train.EpochMetrics;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;
import org.vae4j.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j quickstart}: the one-command demo on built-in data. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Train a small convolutional VAE on the built-in 'shapes' data (a few minutes on 2 cores) and write",
            "samples, reconstructions, an interpolation strip and metrics to runs/quickstart/."})
final class QuickstartCommand implements Callable<Integer> {
    /** Marks a directory as quickstart output, which a later quickstart may replace. */
    static final String MARKER = ".vae4j-quickstart";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", defaultValue = "runs/quickstart", paramLabel = "DIR", description = "Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--epochs", defaultValue = "12", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--data", defaultValue = "shapes:n=12000,test=1000", paramLabel = "SPEC", description = "Default: ${DEFAULT-VALUE}.")
    String dataSpec;

    @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--force", description = "Replace --out even if it is not an earlier quickstart's output.")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean ours = Files.isRegularFile(out.resolve(MARKER));
        long t0 = System.nanoTime();
        DataSplits splits = DataOptions.load(dataSpec, null, true, err);
        ArrayDataset test = splits.test().materialize();
        o.printf(Locale.ROOT, "vae4j quickstart: a convolutional VAE on '%s' (%d training images of %s)%n", dataSpec,
                splits.train().size(), TrainCommand.toList(splits.train().shape()));
        ModelConfig mc = ModelConfig.vae(TrainCommand.toList(splits.train().shape()), 10,
                ArchConfig.conv(List.of(16, 32), 128), "bernoulli", 1.0);
        // threads by the work per step and the free cores (all cores on a busy machine made epochs 4.8 s to 114 s)
        org.vae4j.util.ThreadChoice threads = org.vae4j.util.ThreadChoice.auto(
                org.vae4j.util.ThreadChoice.trainingFlops(VaeModel.parameterCount(mc), 64));
        o.println("threads: " + threads.threads() + " (auto: " + threads.reason() + ")");
        TrainConfig tc = TrainConfig.defaults().withEpochs(epochs).withSeed(seed).withBatchSize(64).withThreads(threads.threads());
        ProgressReporter progress = new ProgressReporter(o, err, quiet);
        TrainingListener listener = new TrainingListener() {
            @Override
            public void started(int firstEpoch, int epochs, int batches, long parameters) {
                // marked as soon as the directory is ours, so an interrupted quickstart can be re-run
                try {
                    Files.writeString(out.resolve(MARKER), "written by vae4j quickstart\n");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(out + ": cannot write: " + e.getMessage(), e);
                }
                progress.started(firstEpoch, epochs, batches, parameters);
            }

            @Override
            public void batch(int epoch, int batch, int batches, double loss, double recon, double kl, double ips) {
                progress.batch(epoch, batch, batches, loss, recon, kl, ips);
            }

            @Override
            public void epoch(EpochMetrics metrics) {
                progress.epoch(metrics);
            }

            @Override
            public void warning(String message) {
                progress.warning(message);
            }
        };
        try (VaeModel m = Training.of(mc, tc).data(splits, dataSpec).runDirectory(out).force(force || ours)
                .listener(listener).fit()) {
            int[] shape = Pictures.shape(m);
            Pictures.samples(m, out.resolve("samples.png"), seed, test.labelNames());
            int shown = Math.min(16, test.size());
            float[] x = test.head(shown).data();
            Pictures.pairs(x, m.reconstruct(x, shown), shown, shape, 8, out.resolve("reconstructions.png"));
            // two different shapes, both large, at the same place: the strip shows one shape becoming the other
            int[] ends = DemoEndpoints.pick(test, m.encode(test.data(), test.size()).mu(), m.latent());
            float[] a = m.encode(test.record(ends[0]), 1).mu();
            float[] b = m.encode(test.record(ends[1]), 1).mu();
            int steps = 10;
            float[] strip = m.decode(Interpolation.path(a, b, steps, Interpolation.Mode.LINEAR), steps);
            ImageGrid.writePng(ImageGrid.render(strip, steps, shape, steps, ImageGrid.autoScale(shape), 2),
                    out.resolve("interpolation.png"));
            Report.write(m, out, test, seed);
            List<EpochMetrics> rows = EpochMetrics.readCsv(out.resolve(Training.METRICS));
            EpochMetrics first = rows.get(0);
            EpochMetrics last = rows.get(rows.size() - 1);
            // active dimensions as the report counts them; the -ELBO is the last epoch's, the figure report.html shows
            int n = Math.min(Report.EVAL_RECORDS, test.size());
            EvaluationResult r = Evaluator.evaluate(m, test.head(n).data(), n, 500, seed);
            double secs = (System.nanoTime() - t0) / 1e9;
            o.println();
            o.printf(Locale.ROOT, "done in %.0f s. Test -ELBO %.2f nats/image (recon %.2f + KL %.2f; %.2f after the first epoch), "
                    + "%d of %d latent dimensions active%n", secs, last.testNegElbo(), last.testRecon(), last.testKl(),
                    first.testNegElbo(), r.activeUnits(), m.latent());
            o.println("wrote to " + out + "/: samples.png (prior samples), reconstructions.png (inputs above reconstructions),");
            o.printf(Locale.ROOT, "  interpolation.png (decoded path from test shape %d to test shape %d), report.html (all of it on one page,"
                    + " with loss curves),%n", ends[0], ends[1]);
            o.println("  metrics.csv, and the model (config.json, weights.safetensors)");
            o.println("next:");
            o.println("  ./vae4j evaluate --model " + out + " --iw-samples 100");
            o.println("  ./vae4j sample --model " + out + " -n 64 --out samples.png");
            o.println("  ./vae4j train --data mnist --epochs 10 --out runs/mnist   (the canonical MNIST VAE; --data mnist downloads MNIST once)");
        }
        return 0;
    }
}
