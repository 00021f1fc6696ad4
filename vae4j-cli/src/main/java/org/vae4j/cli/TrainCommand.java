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
import org.vae4j.generate.MixtureSampler;
import org.vae4j.generate.Samplers;
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

    @Option(names = "--model", defaultValue = "vae", description = "Model (see 'vae4j list'): vae (β-VAE with --beta), ae (plain autoencoder), cvae (conditional on the label), iwae (importance-weighted bound), hvae (two stochastic layers), vamp (VampPrior), gan (adversarial: generator and discriminator). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--iw-samples", paramLabel = "K", description = "Importance samples per record in the training bound (iwae: default 5; hvae: default 1, the ELBO).")
    Integer iwSamples;

    @Option(names = "--gan-loss", paramLabel = "minimax|non-saturating", description = "The generator's loss (gan; default non-saturating; minimax is the notes' objective, which saturates early).")
    String ganLoss;

    @Option(names = "--d-steps", paramLabel = "N", description = "Discriminator updates per generator update (gan; default 1).")
    Integer dSteps;

    @Option(names = "--r1", paramLabel = "GAMMA", description = "Weight of the R1 penalty (GAMMA/2)·E‖∇x D(x)‖² on real records (gan; default 0, off; 10 with --arch conv).")
    Double r1;

    @Option(names = "--g-init", paramLabel = "pytorch|he", description = "The generator's weight initialisation (gan; default pytorch, he with --arch conv; he: N(0, 2/fan_in) weights and zero biases, which a conv generator needs not to start collapsed); same as -O g-init=...")
    String gInit;

    @Option(names = {"-O", "--model-option"}, paramLabel = "KEY=VALUE", description = "A model's own option (see 'vae4j list'), e.g. -O classes=10 for cvae.")
    java.util.Map<String, String> modelOptions;

    @Option(names = "--pseudo-inputs", paramLabel = "K", description = "Pseudo-inputs of the VampPrior (vamp; default 500); same as -O pseudo-inputs=K.")
    Integer pseudoInputs;

    @Option(names = "--arch", defaultValue = "mlp", description = "mlp or conv. Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--hidden", split = ",", paramLabel = "N[,N...]", description = "Dense hidden widths (default 400 for mlp, 256 for conv; hvae with mlp: 200,200).")
    List<Integer> hidden;

    @Option(names = "--channels", split = ",", paramLabel = "C[,C...]", description = "Conv channels per stride-2 stage (conv only; default 32,64).")
    List<Integer> channels;

    @Option(names = "--activation", description = "relu, leaky-relu, elu, gelu, tanh, sigmoid, softplus. Default: relu (hvae with mlp: tanh).")
    String activation;

    @Option(names = "--dropout", defaultValue = "0", description = "Dropout rate after hidden layers. Default: ${DEFAULT-VALUE}.")
    double dropout;

    @Option(names = "--latent", defaultValue = "20", split = ",", paramLabel = "L[,L2]",
            description = "Latent dimensions; hvae takes two widths, z1 then z2 (e.g. 100,50). Default: ${DEFAULT-VALUE}.")
    List<Integer> latent;

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

    @Option(names = "--lr", description = "Adam learning rate (default 1e-3; 2e-4 for gan).")
    Double lr;

    @Option(names = "--lr-schedule", defaultValue = "constant", paramLabel = "constant|burda|cosine",
            description = {"How --lr changes over the epochs: constant; burda, the IWAE paper's eight stages at lr*10^(-i/7),",
                "stage i lasting 3^i/3280 of the run (the paper's schedule with 3280 epochs, compressed to fewer); cosine,",
                "half a cosine down to lr/100. Default: ${DEFAULT-VALUE}."})
    String lrSchedule;

    @Option(names = "--adam-betas", split = ",", paramLabel = "B1,B2", description = "Adam betas (default 0.9,0.999; 0.5,0.999 for gan).")
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

    // benchmarks that only evaluate: the EM fit of the default sampler took minutes after a short MNIST run (100-wide codes)
    @Option(names = "--no-sampler", description = "Do not fit the default gmm:10 code sampler after training (sample --sampler auto then draws from the prior; sample --sampler gmm:10 fits it on first use).")
    boolean noSampler;

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
            Integer given = threads.given();
            if (given != null && given != state.training().threads()) {
                throw new IllegalArgumentException("--threads " + given + ": this run trains with " + (state.training().threads() == 0
                        ? "the engine's default count" : state.training().threads() + (state.training().threads() == 1 ? " thread" : " threads"))
                        + " (recorded in " + run.resolve(Training.STATE) + "), so that resuming gives the weights an uninterrupted run would");
            }
            if (epochs != null) {
                state.training().withEpochs(epochs); // the same bounds as a new run's --epochs (exit 2)
            }
            if (data.spec != null && !data.spec.equals(state.dataSpec()) && !data.resolvedSpec().equals(state.dataSpec())) {
                throw new IllegalArgumentException("--data cannot be changed on --resume: " + run + " continues on the data it"
                        + " started with (" + state.dataSpec() + "); leave --data out");
            }
            int target = epochs != null ? epochs : state.training().epochs();
            int done = org.vae4j.train.Checkpoints.completedEpochs(run, target);
            if (done >= 0) {
                // nothing to train: say so and leave every file as it is
                out.println(run + ": already complete (" + done + " epoch" + (done == 1 ? "" : "s")
                        + (epochs != null && done > epochs ? ", more than --epochs " + epochs : "") + "); nothing changed. To train"
                        + " further, give --epochs N with N > " + done);
                return 0;
            }
            splits = DataOptions.load(state.dataSpec(), state.dataDir().isEmpty() ? null : Path.of(state.dataDir()),
                    data.offline, err);
            out.println("resuming " + run + " on " + state.dataName());
            out.println("threads: " + (state.training().threads() == 0 ? "the engine's default" : state.training().threads()) + " (recorded in the run)");
            progress.records(splits.train());
            model = resumeRun(run, state, splits, epochs == null ? 0 : epochs, progress);
            splits = state.selection().labelFilter().apply(splits);
        } else {
            run = target.out;
            // an existing run is refused before the (possibly slow) data load, as invalid options are
            Training.checkNewRunDirectory(run, force);
            // invalid options fail before the (possibly slow) data load; the real shape is known only after it
            modelConfig(null);
            trainConfig(1); // checks the options, --threads among them, before the load
            DataSelection selection = new DataSelection(onlyLabels, excludeLabels,
                    sampleWeights == null ? "" : sampleWeights.toString(), "");
            long loadStart = System.nanoTime();
            splits = selection.labelFilter().apply(data.load(err));
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            ModelConfig mc = modelConfig(splits);
            out.printf(Locale.ROOT, "data %s: %d train, %d test records of shape %s (loaded in %.1f s)%n", splits.train().name(),
                    splits.train().size(), splits.test().size(), mc.inputShape(), loadSeconds);
            // the count is chosen once, by the model's size, and recorded in train.json: a resumed run uses it again
            org.vae4j.util.ThreadChoice chosen = threads.forTraining(VaeModel.parameterCount(mc), Math.min(batchSize, Math.max(1, splits.train().size())));
            out.println("threads: " + chosen.describe());
            TrainConfig tc = trainConfig(chosen.threads());
            progress.records(splits.train());
            model = trainRun(mc, tc, splits, selection, run, progress);
        }
        try (VaeModel m = model) {
            boolean table = m.config().transform().table() != null;
            // a table's rows are not pictures; a model without a prior has no samples
            boolean pictures = !table && m.can(org.vae4j.model.Capability.SAMPLES) && m.can(org.vae4j.model.Capability.DECODES);
            if (pictures) {
                Pictures.samples(m, run.resolve("samples.png"), seed, splits.train().labelNames());
            }
            fitSampler(m, run, splits, out);
            Report.write(m, run, splits.test(), seed);
            List<EpochMetrics> rows = EpochMetrics.readCsv(run.resolve(Training.METRICS));
            EpochMetrics last = rows.get(rows.size() - 1);
            double meanSeconds = rows.stream().mapToDouble(EpochMetrics::seconds).average().orElse(0);
            if (m.can(org.vae4j.model.Capability.ENCODES)) {
                out.printf(Locale.ROOT, "done: test -ELBO %.2f nats/record after %d epochs (mean %.2f s/epoch)%n", last.testNegElbo(),
                        last.epoch(), meanSeconds);
            } else {
                // no encoder, no -ELBO: the model's own terms (a GAN's losses and D's outputs)
                out.printf(Locale.ROOT, "done after %d epochs (mean %.2f s/epoch): %s%n", last.epoch(), meanSeconds,
                        ProgressReporter.terms(last));
            }
            if (!m.likelihood().isDensity()) {
                out.println("note: the mse likelihood is not a density, so this -ELBO is not a bound on -log p(x)");
            }
            out.println("model, metrics.csv, " + (pictures ? "samples.png " : "") + "and report.html in " + run);
            out.println("next: " + (m.can(org.vae4j.model.Capability.ENCODES) ? "vae4j evaluate --model " + run + " --json   |   " : "")
                    + "vae4j sample --model " + run + (table ? " -n 1000 --out samples.csv" : " --out samples.png"));
        }
        return 0;
    }

    /** Fits and saves the gmm:10 code sampler {@code sample} uses by default; a run that cannot have one says why. */
    private void fitSampler(VaeModel m, Path run, DataSplits splits, PrintWriter out) {
        if (noSampler || !Samplers.canFit(m)) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            MixtureSampler s = Samplers.fitDefault(run, m, splits.train(), seed);
            out.printf(Locale.ROOT, "sampler: %s in %.1f s (sample uses it; --sampler prior for N(0, I))%n", s.summary(),
                    (System.nanoTime() - t0) / 1e9);
        } catch (IllegalArgumentException e) {
            out.println("sampler: none fitted (" + e.getMessage() + "); sample draws from the prior");
        }
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
                : table != null ? LikelihoodKind.COMPOSITE.id() : ModelVariants.get(model.toLowerCase(Locale.ROOT)).defaultLikelihood();
        if (splits == null && LikelihoodKind.byId(lik).needsTable()) {
            lik = "bernoulli"; // the early check runs before the table's schema exists; checked again after loading
        }
        boolean conv = arch.equalsIgnoreCase(ArchConfig.CONV);
        // a model may have its own MLP defaults (hvae: the IWAE paper's 200,200 tanh), used for what the user leaves out
        ArchConfig own = conv ? null : ModelVariants.get(model.toLowerCase(Locale.ROOT)).defaultMlp();
        List<Integer> h = hidden != null ? hidden : own != null ? own.hidden() : List.of(conv ? 256 : 400);
        String activation = this.activation != null ? this.activation : own != null ? own.activation() : "relu";
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
        // the GAN's friendly aliases of -O gan-loss=..., -O d-steps=..., -O r1=..., -O g-init=...
        if (ganLoss != null) {
            options.put("gan-loss", ganLoss);
        }
        if (dSteps != null) {
            options.put("d-steps", Integer.toString(dSteps));
        }
        if (r1 != null) {
            options.put("r1", Double.toString(r1));
        }
        if (gInit != null) {
            options.put("g-init", gInit);
        }
        if (pseudoInputs != null) {
            options.put("pseudo-inputs", Integer.toString(pseudoInputs));
        }
        if (latent.isEmpty() || latent.size() > 2) {
            throw new IllegalArgumentException("--latent takes one width (two for hvae: z1,z2), got " + latent);
        }
        if (latent.size() == 2) {
            // the second stochastic layer's width is a setting of the model that has one (hvae's latent2)
            if (options.containsKey("latent2")) {
                throw new IllegalArgumentException("give the second latent width once: --latent " + latent.get(0) + "," + latent.get(1)
                        + " or -O latent2=" + options.get("latent2"));
            }
            options.put("latent2", Integer.toString(latent.get(1)));
            try {
                variant.settings(java.util.Map.of("latent2", "1"), -1);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--latent takes one width for model '" + variant.name()
                        + "'; two widths (z1,z2) are for hvae");
            }
        }
        // before the data are loaded the label count is unknown (-1): only the options are checked then
        int classes = splits == null ? -1 : classCount(splits);
        Record settings = variant.settings(options, classes, a);
        return new ModelConfig(ModelConfig.FORMAT_VERSION, variant.name(), shape, latent.get(0), a, lik, sigma, beta, transform, settings);
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

    private TrainConfig trainConfig(int threadCount) {
        if (adamBetas != null && adamBetas.size() != 2) {
            throw new IllegalArgumentException("--adam-betas needs two values, e.g. 0.9,0.999");
        }
        // a model's own defaults where the user set none (a GAN trains with 2e-4 and β1 = 0.5)
        ModelVariant variant = ModelVariants.get(model.toLowerCase(Locale.ROOT));
        double rate = lr != null ? lr : variant.defaultLearningRate();
        double[] betas = adamBetas != null ? new double[] {adamBetas.get(0), adamBetas.get(1)} : variant.defaultAdamBetas();
        return new TrainConfig(epochs == null ? 10 : epochs, batchSize, rate, betas[0], betas[1], seed,
                threadCount, klWarmup, freeBits, clipNorm, onNan, 1000, lrSchedule);
    }

    static List<Integer> toList(int[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
