package org.vae4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vae4j.data.ArrayDataset;
import org.vae4j.latent.Interpolation;
import org.vae4j.generate.CodeSampler;
import org.vae4j.generate.PriorSamples;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j interpolate}. */
@Command(name = "interpolate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode the path between the posterior means of two test records or image files (top row) and,",
            "for contrast, the pixel-space cross-fade between the inputs themselves (bottom row).",
            "A conditional model (cvae) interpolates within one class: both inputs are encoded and the path decoded given",
            "--label K, or given the records' own label when both have the same one.",
            "--seed S instead of --from/--to: the path between two codes drawn from the prior (one row), which is how a",
            "model without an encoder (gan) interpolates."})
final class InterpolateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--from", paramLabel = "I|FILE", description = "First test record (index) or image file.")
    String from;

    @Option(names = "--to", paramLabel = "J|FILE", description = "Second test record (index) or image file.")
    String to;

    @Option(names = "--seed", paramLabel = "S", description = "Interpolate between two prior codes drawn with this seed instead of between records.")
    Long seed;

    @Option(names = "--steps", defaultValue = "10", description = "Images per row, endpoints included (2..100). Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--mode", defaultValue = "linear", paramLabel = "linear|slerp", description = "Path in latent space: linear (also called lerp) or slerp. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Mixin
    LabelOption label;

    @Option(names = "--out", required = true, paramLabel = "FILE.png")
    Path out;

    @Mixin
    Outputs.Force force;

    @Mixin
    SamplerOption sampler;

    @Override
    public Integer call() {
        if (steps < 2 || steps > 100) {
            throw new IllegalArgumentException("--steps must be in 2..100, got " + steps);
        }
        Interpolation.Mode m = Interpolation.Mode.parse(mode);
        Outputs.checkPng(out, force.force);
        if (seed != null) {
            if (from != null || to != null) {
                throw new IllegalArgumentException("give either --seed S (two prior codes) or --from and --to (two records), not both");
            }
            return betweenPriorCodes(m);
        }
        if (from == null || to == null) {
            throw new IllegalArgumentException("give --from and --to (two test records or image files), or --seed S for two prior codes");
        }
        String within = "";
        try (VaeModel vae = model.load()) {
            TableRows.refusePictures(vae, model.dir, "interpolate", out);
            // records are put through the encoder; a model without one interpolates between prior codes (--seed)
            if (!vae.can(Capability.ENCODES)) {
                throw new org.vae4j.model.UnsupportedCapabilityException(Capability.ENCODES, "interpolate --from/--to: a '"
                        + vae.config().model() + "' model cannot " + Capability.ENCODES.phrase() + "; use --seed S to interpolate "
                        + "between two prior codes");
            }
            java.io.PrintWriter err = spec.commandLine().getErr();
            ArrayDataset ds = LatentData.isIndex(from) || LatentData.isIndex(to) ? LatentData.testSplit(model, data, vae, err) : null;
            float[] a = input(vae, ds, "--from", from);
            float[] b = input(vae, ds, "--to", to);
            Integer k = label.resolve(vae, ds != null ? LatentData.names(ds) : LatentData.names(model, data, err));
            if (k == null && vae.can(Capability.CONDITIONAL)) {
                k = sharedLabel(vae, ds);
            }
            float[] latent = k == null ? Interpolation.decodedPath(vae, a, b, steps, m) : Interpolation.decodedPath(vae, a, b, steps, m, k);
            if (k != null) {
                within = " within " + LabelOption.describe(k, LatentData.knownNames(ds));
            }
            float[] fade = Interpolation.crossFade(a, b, steps);
            LatentPictures.write(LatentPictures.concat(latent, fade), 2 * steps, Pictures.shape(vae), steps, out);
        }
        spec.commandLine().getOut().printf("wrote %s: %s latent path (top) and pixel cross-fade (bottom) between %s and %s%s%n",
                out, mode.toLowerCase(java.util.Locale.ROOT), describe(from), describe(to), within);
        return 0;
    }

    /** One row: the decoded path between the prior codes 0 and 1 of the seed (with --label for a conditional model). */
    private int betweenPriorCodes(Interpolation.Mode m) {
        String within = "";
        String drawnFrom;
        try (VaeModel vae = model.load()) {
            TableRows.refusePictures(vae, model.dir, "interpolate", out);
            vae.require(Capability.SAMPLES, "interpolate --seed");
            int l = vae.latent();
            java.io.PrintWriter err = spec.commandLine().getErr();
            Integer k = label.required(vae, LatentData.names(model, data, err), "interpolate --seed");
            CodeSampler drawn = sampler.obtain(model.dir, vae, () -> data.loadOrFromRun(model.dir, false, err).train(), seed, err);
            float[] codes = PriorSamples.codes(vae, 2, seed, k == null ? PriorSamples.Labels.none() : PriorSamples.Labels.fixed(k), drawn);
            drawnFrom = SamplerOption.describe(drawn, vae);
            float[] a = java.util.Arrays.copyOf(codes, l);
            float[] b = java.util.Arrays.copyOfRange(codes, l, 2 * l);
            float[] path = k == null ? Interpolation.decodeCodes(vae, a, b, steps, m) : Interpolation.decodeCodes(vae, a, b, steps, m, k);
            if (k != null) {
                within = " within " + LabelOption.describe(k, null);
            }
            LatentPictures.write(path, steps, Pictures.shape(vae), steps, out);
        }
        spec.commandLine().getOut().printf("wrote %s: %s latent path between two codes drawn from %s (seed %d)%s%n", out,
                mode.toLowerCase(java.util.Locale.ROOT), drawnFrom, seed, within);
        return 0;
    }

    /** The label both test records have, for a conditional model without --label; else a one-line error. */
    private int sharedLabel(VaeModel vae, ArrayDataset ds) {
        if (!LatentData.isIndex(from) || !LatentData.isIndex(to)) {
            String option = LatentData.isIndex(from) ? "--to " + to : "--from " + from;
            throw LabelOption.missing(vae, "interpolate " + option);
        }
        int i = Integer.parseInt(from.trim());
        int j = Integer.parseInt(to.trim());
        int[] both = LatentData.labels(vae, ds, null, i, j);
        if (both[0] != both[1]) {
            java.util.List<String> names = LatentData.knownNames(ds);
            throw new IllegalArgumentException("interpolate: test records " + i + " and " + j + " have different labels ("
                    + LabelOption.name(both[0], names) + ", " + LabelOption.name(both[1], names) + "); a '"
                    + vae.config().model() + "' model interpolates within one class: give --label K");
        }
        return both[0];
    }

    private static float[] input(VaeModel vae, ArrayDataset ds, String option, String value) {
        if (LatentData.isIndex(value)) {
            int i = Integer.parseInt(value.trim());
            LatentData.checkIndex(option, i, ds);
            return LatentData.records(vae, ds, i);
        }
        return LatentData.image(vae, option, Path.of(value));
    }

    private static String describe(String value) {
        return LatentData.isIndex(value) ? "test record " + value.trim() : value;
    }
}
