package org.vae4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.data.DataSplits;
import org.vae4j.data.LabelFilter;
import org.vae4j.io.Npy;
import org.vae4j.judge.DigitClassifier;
import org.vae4j.judge.LabelShares;
import org.vae4j.model.ArchConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j judge}: a classifier trained on labelled data says what generated samples look like. */
@Command(name = "judge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Label generated samples (an .npy from 'vae4j sample') with a classifier trained on the training split",
            "of --data: prints the classifier's test accuracy, the share of each predicted label, its entropy and, with",
            "--label K, the share of samples that look like K. The classifier is kept in --classifier DIR and reused."})
final class JudgeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--samples", required = true, paramLabel = "FILE.npy", description = "float32 samples, (N, C, H, W) or (N, D), values in [0, 1].")
    Path samples;

    @Option(names = "--label", paramLabel = "LABEL", description = "The label the samples should have (number or name): print its share.")
    String label;

    @Option(names = "--classifier", paramLabel = "DIR",
            description = "Where the classifier is kept: loaded if DIR holds one trained on the same data, else trained and saved there.")
    Path classifierDir;

    @Option(names = "--classifier-arch", defaultValue = "mlp", paramLabel = "mlp|conv",
            description = "mlp (hidden 512,256) or conv (channels 32,64, hidden 128), when training. Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--epochs", defaultValue = "5", description = "Training epochs of the classifier. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the classifier's training. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    ThreadOptions threads;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!samples.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            throw new IllegalArgumentException(samples + ": --samples must be an .npy file");
        }
        DigitClassifier.Settings settings = DigitClassifier.Settings.defaults().withEpochs(epochs).withArch(switch (arch.toLowerCase(Locale.ROOT)) {
            case "mlp" -> DigitClassifier.Settings.defaults().arch();
            case "conv" -> ArchConfig.conv(List.of(32, 64), 128);
            default -> throw new IllegalArgumentException("--classifier-arch must be mlp or conv, got '" + arch + "'");
        });
        threads.apply();
        DataSplits splits = data.load(err);
        Integer expected = label == null ? null : LabelFilter.resolve(splits.train(), List.of(label), "--label").iterator().next();
        long t0 = System.nanoTime();
        boolean trained = false;
        DigitClassifier c;
        if (classifierDir != null && DigitClassifier.exists(classifierDir)) {
            c = DigitClassifier.load(classifierDir);
            if (!c.meta().dataHash().equals(splits.train().contentHash())) {
                String other = c.meta().dataName();
                c.close();
                throw new IllegalArgumentException(classifierDir + ": holds a classifier trained on other data (" + other
                        + "); give another --classifier directory");
            }
            DigitClassifier.Settings kept = c.meta().settings();
            if (!kept.arch().equals(settings.arch()) || kept.epochs() != settings.epochs()) {
                err.println("vae4j: warning: " + classifierDir + " holds a " + kept.arch().type() + " classifier trained for "
                        + kept.epochs() + " epochs; using it (another --classifier directory trains the one asked for)");
            }
        } else {
            ProgressLine pl = new ProgressLine(err, "training the classifier", DigitClassifier.steps(splits.train().size(), settings), json);
            c = DigitClassifier.train(splits.train(), settings, seed, pl::update);
            pl.done();
            trained = true;
            if (classifierDir != null) {
                c.save(classifierDir);
            }
        }
        try (DigitClassifier judge = c) {
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            double testAccuracy = judge.accuracy(splits.test());
            LabelShares shares;
            try (Npy.Reader r = Npy.open(samples)) {
                shares = judge.classify(r);
            }
            List<String> names = splits.train().labelNames();
            if (json) {
                ObjectMapper om = new ObjectMapper();
                ObjectNode o = om.createObjectNode();
                o.put("samples", samples.toString());
                o.put("n", shares.n());
                if (expected != null) {
                    o.put("label", expected);
                    o.put("label_share", shares.share(expected));
                }
                var arr = o.putArray("shares");
                for (int y = 0; y < judge.classes(); y++) {
                    arr.add(shares.share(y));
                }
                o.put("entropy", shares.entropy());
                o.put("classifier_test_accuracy", testAccuracy);
                o.put("classifier_trained", trained);
                o.put("classifier_seconds", trainSeconds);
                out.println(om.writeValueAsString(o));
            } else {
                out.printf(Locale.ROOT, "classifier: %s, %s (%s in %.1f s), test accuracy %.2f%% on %d records%n",
                        judge.meta().settings().arch().type(), judge.meta().settings().arch().hidden(),
                        trained ? "trained" : "loaded", trainSeconds, 100 * testAccuracy, splits.test().size());
                out.printf(Locale.ROOT, "%d samples from %s labelled as:%n", shares.n(), samples);
                for (int y = 0; y < judge.classes(); y++) {
                    out.printf(Locale.ROOT, "  %-12s %6.2f%%%n", y < names.size() ? names.get(y) : Integer.toString(y), 100 * shares.share(y));
                }
                out.printf(Locale.ROOT, "entropy of the labels %.3f nats (uniform over %d: %.3f)%n", shares.entropy(), judge.classes(),
                        Math.log(judge.classes()));
                if (expected != null) {
                    out.printf(Locale.ROOT, "share labelled %s: %.2f%%%n", label, 100 * shares.share(expected));
                }
            }
        }
        return 0;
    }
}
