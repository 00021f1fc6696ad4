package org.vae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.data.DataSplits;
import org.vae4j.data.TableSchema;
import org.vae4j.likelihood.LikelihoodKind;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.DataTransform;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelVariant;
import org.vae4j.model.ModelVariants;
import org.vae4j.model.VaeModel;
import org.vae4j.train.DataSelection;
import org.vae4j.train.EpochMetrics;
import org.vae4j.train.RunState;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j train}. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a VAE or autoencoder; writes a loadable model, metrics.csv and checkpoints to --out.",
            "Resume an interrupted run with --resume RUN."})
class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--model", defaultValue = "vae", description = "Model (see 'vae4j list'): vae (β-VAE with --beta), ae (plain autoencoder), cvae (conditional on the label), iwae (importance-weighted bound). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--iw-samples", paramLabel = "K", description = "Importance samples per record in the training bound (iwae; default 5).")
    Integer iwSamples;

    @Option(names = {"-O", "--model-option"}, paramLabel = "KEY=VALUE", description = "A model's own option (see 'vae4j list'), e.g. -O classes=10 for cvae.")
    java.util.Map<String, String> modelOptions;

    @Option(names = "--arch", defaultValue = "mlp", description = "mlp or conv. Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--hidden", split = ",", paramLabel = "N[,N...]", description = "Dense hidden widths (default 400 for mlp, 256 for conv).")
    List<Integer> hidden;

    @Option(names = "--channels", split = ",", paramLabel = "C[,C...]", description = "Conv channels per stride-2 stage (conv only; default 32,64).")
    List<Integer> channels;

    @Option(names = "--activation", defaultValue = "relu", description = "relu, leaky-relu, elu, gelu, tanh, sigmoid, softplus. Default: ${DEFAULT-VALUE}.")
    String activation;

    @Option(names = "--dropout", defaultValue = "0", description = "Dropout rate after hidden layers. Default: ${DEFAULT-VALUE}.")
    double dropout;

    @Option(names = "--latent", defaultValue = "20", description = "Latent dimensions. Default: ${DEFAULT-VALUE}.")
    int latent;

    @Option(names = "--likelihood", description = "bernoulli, gaussian, gaussian-fixed, mse, continuous-bernoulli, composite (default composite for csv tables, else bernoulli for vae, mse for ae).")
    String likelihood;

    @Option(names = "--sigma", defaultValue = "0.1", description = "Sigma of gaussian-fixed. Default: ${DEFAULT-VALUE}.")
    double sigma;

    @Option(names = "--beta", defaultValue = "1", description = "KL weight (1 = ELBO, >1 = β-VAE). Default: ${DEFAULT-VALUE}.")
    double beta;

    @Option(names = "--binarize", defaultValue = "none", description = "none, static or dynamic. Default: ${DEFAULT-VALUE}.")
    String binarize;

    @Option(names = "--epochs", description = "Epochs (default 10; with --resume: the new total).")
    Integer epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--adam-betas", split = ",", defaultValue = "0.9,0.999", paramLabel = "B1,B2", description = "Adam betas. Default: ${DEFAULT-VALUE}.")
    List<Double> adamBetas;

    @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    ThreadOptions threads;

    @Option(names = "--kl-warmup", defaultValue = "0", paramLabel = "EPOCHS", description = "Raise β linearly over this many epochs. Default: ${DEFAULT-VALUE}.")
    int klWarmup;

    @Option(names = "--free-bits", defaultValue = "0", paramLabel = "NATS", description = "Free bits per latent dimension. Default: ${DEFAULT-VALUE}.")
    double freeBits;

    @Option(names = "--clip-norm", defaultValue = "0", description = "Clip the global gradient norm (0 = off). Default: ${DEFAULT-VALUE}.")
    double clipNorm;

    @Option(names = "--on-nan", defaultValue = "stop", description = "stop or skip-batch. Default: ${DEFAULT-VALUE}.")
    String onNan;

    @Option(names = "--only-labels", split = ",", paramLabel = "L1,L2", description = "Train and test only on records with these labels (names or numbers).")
    List<String> onlyLabels;

    @Option(names = "--exclude-labels", split = ",", paramLabel = "L1,L2", description = "Leave out records with these labels (names or numbers).")
    List<String> excludeLabels;

    @Option(names = "--sample-weights", paramLabel = "FILE", description = "CSV with columns id and weight (e.g. from 'vae4j density'): batches are drawn with replacement, probability ∝ weight.")
    Path sampleWeights;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--out", paramLabel = "RUN", description = "New run directory.")
        Path out;

        @Option(names = "--resume", paramLabel = "RUN", description = "Continue this run from its last checkpoint.")
        Path resume;
    }

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgressReporter progress = new ProgressReporter(out, err, quiet);
        Path run;
        VaeModel model;
        DataSplits splits;
        if (target.resume != null) {
            run = target.resume;
            if (onlyLabels != null || excludeLabels != null || sampleWeights != null) {
                throw new IllegalArgumentException("--only-labels, --exclude-labels and --sample-weights cannot be changed on --resume; "
                        + "the run re-applies the ones it started with (see " + run.resolve(Training.STATE) + ")");
            }
            RunState state = Training.readState(run);
            splits = DataOptions.load(state.dataSpec(), state.dataDir().isEmpty() ? null : Path.of(state.dataDir()),
                    data.offline, err);
            out.println("resuming " + run + " on " + state.dataName());
            model = resumeRun(run, state, splits, epochs == null ? 0 : epochs, progress);
            splits = state.selection().labelFilter().apply(splits);
        } else {
            run = target.out;
            // invalid options fail before the (possibly slow) data load; the real shape is known only after it
            modelConfig(null);
            TrainConfig tc = trainConfig();
            DataSelection selection = new DataSelection(onlyLabels, excludeLabels,
                    sampleWeights == null ? "" : sampleWeights.toString(), "");
            long loadStart = System.nanoTime();
            splits = selection.labelFilter().apply(data.load(err));
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            ModelConfig mc = modelConfig(splits);
            out.printf(Locale.ROOT, "data %s: %d train, %d test records of shape %s (loaded in %.1f s)%n", splits.train().name(),
                    splits.train().size(), splits.test().size(), mc.inputShape(), loadSeconds);
            model = trainRun(mc, tc, splits, selection, run, progress);
        }
        try (VaeModel m = model) {
            boolean table = m.config().transform().table() != null;
            // a table's rows are not pictures; a model without a prior has no samples
            boolean pictures = !table && m.can(org.vae4j.model.Capability.SAMPLES) && m.can(org.vae4j.model.Capability.DECODES);
            if (pictures) {
                Pictures.samples(m, run.resolve("samples.png"), seed, splits.train().labelNames());
            }
            Report.write(m, run, splits.test(), seed);
            List<EpochMetrics> rows = EpochMetrics.readCsv(run.resolve(Training.METRICS));
            EpochMetrics last = rows.get(rows.size() - 1);
            out.printf(Locale.ROOT, "done: test -ELBO %.2f nats/record after %d epochs (mean %.2f s/epoch)%n", last.testNegElbo(),
                    last.epoch(), rows.stream().mapToDouble(EpochMetrics::seconds).average().orElse(0));
            if (!m.likelihood().isDensity()) {
                out.println("note: the mse likelihood is not a density, so this -ELBO is not a bound on -log p(x)");
            }
            out.println("model, metrics.csv, " + (pictures ? "samples.png " : "") + "and report.html in " + run);
            out.println("next: vae4j evaluate --model " + run + " --json   |   vae4j sample --model " + run + " --out samples.png");
        }
        return 0;
    }

    /**
     * Trains a new run in this process ({@code vae4j spark train} overrides it to train on a Spark cluster).
     *
     * @param splits the data, label filter applied
     */
    VaeModel trainRun(ModelConfig mc, TrainConfig tc, DataSplits splits, DataSelection selection, Path run, ProgressReporter progress) {
        return Training.of(mc, tc)
                .data(splits, data.resolvedSpec())
                .dataDirectory(data.dataDir == null ? "" : data.dataDir.toString())
                .runDirectory(run)
                .force(force)
                .selection(selection)
                .listener(progress)
                .fit();
    }

    /**
     * Resumes a run in this process ({@code vae4j spark train --resume} overrides it).
     *
     * @param splits the run's data before its label filter
     */
    VaeModel resumeRun(Path run, RunState state, DataSplits splits, int epochs, ProgressReporter progress) {
        return Training.resume(run, splits, epochs, progress);
    }

    private ModelConfig modelConfig(DataSplits splits) {
        TableSchema table = splits == null ? null : splits.train().table();
        String lik = likelihood != null ? likelihood
                : table != null ? LikelihoodKind.COMPOSITE.id() : (ModelVariants.get(model.toLowerCase(Locale.ROOT)).variational() ? "bernoulli" : "mse");
        if (splits == null && LikelihoodKind.byId(lik).needsTable()) {
            lik = "bernoulli"; // the early check runs before the table's schema exists; checked again after loading
        }
        boolean conv = arch.equalsIgnoreCase(ArchConfig.CONV);
        List<Integer> h = hidden != null ? hidden : List.of(conv ? 256 : 400);
        List<Integer> ch = conv ? (channels != null ? channels : List.of(32, 64)) : (channels != null ? channels : List.of());
        ArchConfig a = new ArchConfig(arch, h, ch, activation, dropout);
        List<Integer> shape = splits == null ? List.of(1, 32, 32) : toList(splits.train().shape());
        if (splits == null && !conv) {
            shape = List.of(1);
        }
        DataTransform transform = new DataTransform(binarize, table);
        ModelVariant variant = ModelVariants.get(model.toLowerCase(Locale.ROOT));
        java.util.Map<String, String> options = new java.util.LinkedHashMap<>(modelOptions == null ? java.util.Map.of() : modelOptions);
        if (iwSamples != null) {
            options.put("iw-samples", Integer.toString(iwSamples));
        }
        // before the data are loaded the label count is unknown (-1): only the options are checked then
        int classes = splits == null ? -1 : classCount(splits);
        Record settings = variant.settings(options, classes);
        return new ModelConfig(ModelConfig.FORMAT_VERSION, variant.name(), shape, latent, a, lik, sigma, beta, transform, settings);
    }

    /** Label classes in the training data (0 when unlabelled): the label names, else the largest label + 1. */
    static int classCount(DataSplits splits) {
        if (!splits.train().hasLabels()) {
            return 0;
        }
        java.util.List<String> names = splits.train().labelNames();
        int max = -1;
        for (int l : splits.train().labels()) {
            max = Math.max(max, l);
        }
        return Math.max(names == null ? 0 : names.size(), max + 1);
    }

    private TrainConfig trainConfig() {
        if (adamBetas.size() != 2) {
            throw new IllegalArgumentException("--adam-betas needs two values, e.g. 0.9,0.999");
        }
        return new TrainConfig(epochs == null ? 10 : epochs, batchSize, lr, adamBetas.get(0), adamBetas.get(1), seed,
                threads.threads, klWarmup, freeBits, clipNorm, onNan, 1000);
    }

    static List<Integer> toList(int[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
