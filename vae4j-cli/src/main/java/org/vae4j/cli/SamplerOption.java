package org.vae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.vae4j.data.Dataset;
import org.vae4j.generate.CodeSampler;
import org.vae4j.generate.MixtureSampler;
import org.vae4j.generate.Samplers;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Option;

/** {@code --sampler auto|prior|gmm:K}: where drawn codes come from (sample, judge, interpolate/traverse --seed). */
final class SamplerOption {
    @Option(names = "--sampler", defaultValue = "auto", paramLabel = "auto|prior|gmm:K",
            description = {"Where drawn codes come from: prior (N(0, I), what the model was trained to decode) or gmm:K, a",
                "K-component Gaussian mixture fitted by EM to the posterior means of the run's training records (one",
                "mixture per label for a conditional model; ex-post density estimation, which avoids the prior's holes),",
                "saved beside the model as sampler-gmm-K.json and reused. auto: the gmm:10 fit train saves, else (models",
                "saved without one, models without an encoder) the prior. Default: ${DEFAULT-VALUE}."})
    String sampler;

    /** The parsed value (one line, exit 2, when it is not one). */
    CodeSampler.Spec spec() {
        return CodeSampler.Spec.parse(sampler);
    }

    /**
     * The sampler for a loaded model, fitting (and saving) a {@code gmm:K} fit from the training records when none
     * is saved; says so on {@code err}.
     */
    CodeSampler obtain(Path modelDir, VaeModel m, Supplier<Dataset> train, long seed, PrintWriter err) {
        Samplers.Obtained codes = Samplers.obtain(modelDir, m, spec(), train, seed);
        if (codes.fitted()) {
            err.println(((MixtureSampler) codes.sampler()).summary() + "; saved to " + codes.file());
        }
        return codes.sampler();
    }

    /** How an output line names the sampler: "the prior N(0, I)" (the model's own prior's name) or "gmm:10". */
    static String describe(CodeSampler s, VaeModel m) {
        return s == CodeSampler.PRIOR ? "the prior " + m.variant().priorName() : s.spec();
    }
}
