package org.vae4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.data.ArrayDataset;
import org.vae4j.latent.Noise;
import org.vae4j.latent.Restoration;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j restore}. */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Add seeded noise to test records and restore them with the model as a prior over clean images; prints",
            "the PSNR before and after and writes rows of clean | noisy | restored images.",
            "--method map (default): the most probable code under a Gaussian noise model (σ of gaussian noise, else 0.3),",
            "  argmin_z ‖noisy − E[x|z]‖²/2σ² + ‖z‖²/2, then E[x|z].",
            "--method reconstruct: E[x|z=μ(noisy)], the reconstruction of the noisy image.",
            "--noise FILE restores your own noisy picture instead (resized to the model's images); with --index I the",
            "  test record I is the clean reference for the PSNR.",
            "A conditional model (cvae) restores given each record's own label, or --label K (required for --noise FILE)."})
final class RestoreCommand implements Callable<Integer> {
    static final int DEFAULT_N = 8;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--index", paramLabel = "I", description = "Restore this one test record.")
    Integer index;

    @Option(names = "-n", paramLabel = "N", description = "Restore the first N test records (1..64; default " + DEFAULT_N + ").")
    Integer n;

    @Option(names = "--indices", paramLabel = "A-B", description = "Restore test records A..B (inclusive) and print the PSNR; --out (optional) shows the first 16.")
    String indices;

    @Option(names = "--noise", required = true, paramLabel = "NOISE", description = "gaussian:SIGMA (e.g. gaussian:0.3), salt-pepper:FRACTION (e.g. salt-pepper:0.2), or a noisy image FILE to restore.")
    String noiseSpec;

    @Option(names = "--method", defaultValue = "map", paramLabel = "map|reconstruct", description = "Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--iterations", defaultValue = "" + Restoration.DEFAULT_ITERATIONS, description = "Adam steps of --method map. Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--seed", defaultValue = "1", description = "Noise seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.png", description = "Picture to write (required unless --indices is given).")
    Path out;

    @Mixin
    Outputs.Force force;

    @Mixin
    LabelOption label;

    @Override
    public Integer call() {
        if (index != null && n != null) {
            throw new IllegalArgumentException("give either --index or -n, not both");
        }
        if (indices != null && (index != null || n != null)) {
            throw new IllegalArgumentException("give only one of --index, -n and --indices");
        }
        if (out == null && indices == null) {
            throw new IllegalArgumentException("--out FILE.png is required (except with --indices)");
        }
        if (n != null && (n < 1 || n > 64)) {
            throw new IllegalArgumentException("-n must be in 1..64, got " + n);
        }
        Restoration.Method how = Restoration.Method.parse(method);
        if (iterations < 1) {
            throw new IllegalArgumentException("--iterations must be at least 1, got " + iterations);
        }
        if (!noiseSpec.contains(":") || java.nio.file.Files.exists(Path.of(noiseSpec))) {
            return restoreFile(Path.of(noiseSpec), how);
        }
        Noise noise = Noise.parse(noiseSpec);
        if (out != null) {
            Outputs.checkPng(out, force.force);
        }
        Restoration.Result r;
        int count;
        String which;
        String given;
        try (VaeModel m = model.load()) {
            ArrayDataset ds = LatentData.testSplit(model, data, m, spec.commandLine().getErr());
            int[] idx;
            if (indices != null) {
                idx = LatentData.range("--indices", indices, ds);
                which = "test records " + idx[0] + ".." + idx[idx.length - 1];
            } else if (index != null) {
                LatentData.checkIndex("--index", index, ds);
                idx = new int[] {index};
                which = "test record " + index;
            } else {
                count = Math.min(n == null ? DEFAULT_N : n, ds.size());
                idx = java.util.stream.IntStream.range(0, count).toArray();
                which = "the first " + count + " test records";
            }
            count = idx.length;
            float[] clean = LatentData.records(m, ds, idx);
            Integer k = label.resolve(m, LatentData.names(ds));
            given = LabelOption.given(m, k, LatentData.knownNames(ds));
            int[] labels = LatentData.labels(m, ds, k, idx);
            r = Restoration.run(m, clean, count, labels, noise, seed, how, iterations);
            if (out != null) {
                int shown = Math.min(count, indices != null ? 16 : count);
                int d = m.featureSize();
                LatentPictures.write(LatentPictures.concat(java.util.Arrays.copyOf(clean, shown * d), java.util.Arrays.copyOf(r.noisy(), shown * d),
                        java.util.Arrays.copyOf(r.restored(), shown * d)), 3 * shown, Pictures.shape(m), shown, out);
            }
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "%s noise on %s (seed %d), method %s%s: PSNR noisy %.2f dB -> restored %.2f dB%n", noise,
                which, seed, how.name().toLowerCase(Locale.ROOT), given, r.psnrNoisy(), r.psnrRestored());
        spec.commandLine().getOut().printf(Locale.ROOT, "(the model's reconstruction of the clean records: %.2f dB)%n",
                r.psnrCleanReconstruction());
        if (out != null) {
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: rows clean | noisy | restored%n", out);
        }
        return 0;
    }

    /** Restores a noisy picture from a file; PSNR only against a clean test record given with --index. */
    private int restoreFile(Path file, Restoration.Method how) {
        if (n != null || indices != null) {
            throw new IllegalArgumentException("--noise FILE restores one picture: use --index I (optional, the clean reference), not -n or --indices");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out FILE.png is required");
        }
        Outputs.checkPng(out, force.force);
        java.io.PrintWriter w = spec.commandLine().getOut();
        try (VaeModel m = model.load()) {
            float[] noisy = LatentData.image(m, "--noise", file);
            Integer k = label.required(m, LatentData.names(model, data, spec.commandLine().getErr()), "restore --noise " + file);
            int[] labels = k == null ? null : new int[] {k};
            float[] restored = Restoration.restore(m, noisy, 1, labels, how, Restoration.noiseSigma(null), iterations);
            String method = how.name().toLowerCase(Locale.ROOT) + (k == null ? "" : ", given " + LabelOption.describe(k, null));
            if (index != null) {
                ArrayDataset ds = LatentData.testSplit(model, data, m, spec.commandLine().getErr());
                LatentData.checkIndex("--index", index, ds);
                float[] clean = LatentData.records(m, ds, index);
                LatentPictures.write(LatentPictures.concat(clean, noisy, restored), 3, Pictures.shape(m), 1, out);
                w.printf(Locale.ROOT, "%s against test record %d, method %s: PSNR noisy %.2f dB -> restored %.2f dB%n", file, index, method,
                        org.vae4j.latent.ImageMetrics.psnr(clean, noisy), org.vae4j.latent.ImageMetrics.psnr(clean, restored));
                w.printf(Locale.ROOT, "wrote %s: rows clean | noisy | restored%n", out);
            } else {
                LatentPictures.write(LatentPictures.concat(noisy, restored), 2, Pictures.shape(m), 1, out);
                w.printf(Locale.ROOT, "restored %s with method %s (no clean reference, so no PSNR: give --index I for one)%n", file, method);
                w.printf(Locale.ROOT, "wrote %s: rows noisy | restored%n", out);
            }
        }
        return 0;
    }
}
