package org.vae4j.generate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.vae4j.data.Dataset;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.Checksums;
import org.vae4j.model.Capability;
import org.vae4j.model.ModelStore;
import org.vae4j.model.Posterior;
import org.vae4j.model.VaeModel;
import org.vae4j.train.Inputs;
import org.vae4j.util.Json;

/**
 * The {@code gmm:K} sampler: a K-component Gaussian mixture fitted by EM to the posterior means of a trained model's
 * training records (ex-post density estimation, Ghosh et al. 2020). It samples where the codes are, not where the
 * prior N(0, I) says they should be, so it avoids the prior's "holes". A conditional model gets one mixture per label,
 * fitted to the codes of that label's records (the aggregate posterior given y).
 *
 * <p>A fit is saved beside the model as {@code sampler-gmm-K.json} together with the SHA-256 of the weights it was
 * fitted to; {@link #load} ignores a fit of other weights.
 */
public final class MixtureSampler implements CodeSampler {
    /** Format version of the saved file. */
    public static final int FORMAT_VERSION = 1;
    /** Training records whose codes are fitted at most (more are thinned evenly). */
    public static final int DEFAULT_MAX_RECORDS = 100_000;
    /** EM iterations at most. */
    public static final int MAX_ITERATIONS = 100;
    /** EM stops when the mean log-likelihood improves by less than this (nats per code). */
    public static final double TOLERANCE = 1e-3;

    private final int components;
    private final List<GaussianMixture> mixtures;
    private final SamplerFile file;

    private MixtureSampler(SamplerFile file) {
        this.file = file;
        this.components = file.components();
        this.mixtures = new ArrayList<>();
        for (MixtureJson m : file.mixtures()) {
            int d = file.latent();
            double[][] cov = new double[m.covariances().length][];
            for (int j = 0; j < cov.length; j++) {
                cov[j] = m.covariances()[j];
                if (cov[j].length != d * d) {
                    throw new IllegalArgumentException("covariance " + j + " has " + cov[j].length + " values, expected " + d * d);
                }
            }
            mixtures.add(new GaussianMixture(m.weights(), m.means(), cov));
        }
    }

    /**
     * One fitted mixture as saved.
     *
     * @param label the label whose codes it fits (conditional models), or null
     * @param records codes fitted
     * @param iterations EM iterations
     * @param converged whether EM converged
     * @param meanLogLikelihood mean log density of the fitted codes
     * @param weights mixing weights
     * @param means component means
     * @param covariances component covariances, d×d row-major each
     */
    public record MixtureJson(@Json.Optional Integer label, int records, int iterations, boolean converged,
            double meanLogLikelihood, double[] weights, double[][] means, double[][] covariances) {}

    /**
     * The saved file.
     *
     * @param formatVersion {@link #FORMAT_VERSION}
     * @param sampler {@code gmm}
     * @param components K
     * @param latent code width
     * @param codes which codes were fitted ({@code posterior means})
     * @param weightsSha256 SHA-256 of the weights file the codes came from
     * @param data the data set's name
     * @param seed seed of the k-means++ seeding
     * @param mixtures one mixture, or one per label
     */
    public record SamplerFile(int formatVersion, String sampler, int components, int latent, String codes,
            String weightsSha256, String data, long seed, List<MixtureJson> mixtures) {
        /** Validates. */
        public SamplerFile {
            if (formatVersion != FORMAT_VERSION) {
                throw new IllegalArgumentException("sampler file format " + formatVersion + " is not supported (this version reads "
                        + FORMAT_VERSION + ")");
            }
            if (!"gmm".equals(sampler) || components < 1 || latent < 1 || mixtures == null || mixtures.isEmpty()) {
                throw new IllegalArgumentException("not a gmm sampler file");
            }
            mixtures = List.copyOf(mixtures);
        }
    }

    /** The file a {@code gmm:K} fit of the model in {@code modelDir} is saved in. */
    public static Path file(Path modelDir, int components) {
        return modelDir.resolve("sampler-gmm-" + components + ".json");
    }

    @Override
    public String spec() {
        return "gmm:" + components;
    }

    /** The saved description (weights, iterations, log-likelihoods). */
    public SamplerFile describe() {
        return file;
    }

    /** The mixture for a label (-1 or unconditional: the only one). */
    public GaussianMixture mixture(int label) {
        if (mixtures.size() == 1) {
            return mixtures.get(0);
        }
        if (label < 0 || label >= mixtures.size()) {
            throw new IllegalArgumentException("this sampler was fitted per label (0.." + (mixtures.size() - 1)
                    + "); give a label in that range, got " + label);
        }
        return mixtures.get(label);
    }

    @Override
    public void draw(VaeModel model, SplittableRandom r, int label, float[] out, int offset) {
        GaussianMixture g = mixture(label);
        if (g.dimension() != model.latent()) {
            throw new IllegalArgumentException("the sampler was fitted to " + g.dimension() + "-dimensional codes, the model has "
                    + model.latent());
        }
        g.draw(r, out, offset);
    }

    /**
     * Fits a {@code gmm:K} sampler to a model's codes: the posterior means of (up to {@code maxRecords} evenly spaced)
     * records of {@code train}, per label for a conditional model.
     *
     * @param model the trained model (must encode)
     * @param train its training records (with labels for a conditional model)
     * @param components K
     * @param seed seed of the k-means++ seeding
     * @param maxRecords most records encoded
     * @param weightsSha256 SHA-256 of the model's weights file (recorded; may be null)
     */
    public static MixtureSampler fit(VaeModel model, Dataset train, int components, long seed, int maxRecords,
            String weightsSha256) {
        model.require(Capability.ENCODES, "a gmm sampler (it is fitted to the model's codes)");
        new Spec("gmm", components);
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be >= 1, got " + maxRecords);
        }
        boolean conditional = model.conditional();
        if (conditional && !train.hasLabels()) {
            throw new IllegalArgumentException(train.name() + ": a conditional model's sampler is fitted per label, but the data have no labels");
        }
        int size = train.size();
        int n = Math.min(size, maxRecords);
        if (n < components) {
            throw new IllegalArgumentException(train.name() + ": " + n + " records are too few for " + components + " components");
        }
        int l = model.latent();
        int d = train.featureSize();
        float[] codes = new float[Math.multiplyExact(n, l)];
        int[] labels = conditional ? new int[n] : null;
        int batch = 500;
        float[] x = new float[batch * d];
        for (int start = 0; start < n; start += batch) {
            int b = Math.min(batch, n - start);
            int[] lb = conditional ? new int[b] : null;
            for (int i = 0; i < b; i++) {
                int rec = (int) ((long) (start + i) * size / n); // evenly spaced when thinned
                train.copyRecord(rec, x, i * d);
                if (conditional) {
                    lb[i] = train.labels()[rec];
                    labels[start + i] = lb[i];
                }
            }
            float[] in = Inputs.forEvaluation(b == batch ? x : java.util.Arrays.copyOf(x, b * d), model.config().transform());
            Posterior p = model.encode(in, b, lb);
            System.arraycopy(p.mu(), 0, codes, start * l, b * l);
        }
        List<MixtureJson> fits = new ArrayList<>();
        if (!conditional) {
            fits.add(fitOne(null, codes, n, l, components, seed));
        } else {
            for (int y = 0; y < model.classes(); y++) {
                int count = 0;
                for (int v : labels) {
                    if (v == y) {
                        count++;
                    }
                }
                if (count == 0) {
                    throw new IllegalArgumentException(train.name() + ": label " + y + " has no training records to fit its sampler to");
                }
                float[] own = new float[count * l];
                int c = 0;
                for (int i = 0; i < n; i++) {
                    if (labels[i] == y) {
                        System.arraycopy(codes, i * l, own, c * l, l);
                        c++;
                    }
                }
                // a label with fewer records than components gets as many components as it has records
                fits.add(fitOne(y, own, count, l, Math.min(components, count), seed + y));
            }
        }
        return new MixtureSampler(new SamplerFile(FORMAT_VERSION, "gmm", components, l, "posterior means", weightsSha256,
                train.name(), seed, fits));
    }

    private static MixtureJson fitOne(Integer label, float[] codes, int n, int l, int k, long seed) {
        GaussianMixture.Fit f = GaussianMixture.fit(codes, n, l, k, seed, MAX_ITERATIONS, TOLERANCE);
        GaussianMixture g = f.mixture();
        double[][] means = new double[k][];
        double[][] cov = new double[k][];
        for (int j = 0; j < k; j++) {
            means[j] = g.mean(j);
            cov[j] = g.covariance(j);
        }
        return new MixtureJson(label, n, f.iterations(), f.converged(), f.meanLogLikelihood(), g.weights(), means, cov);
    }

    /** Writes the fit beside the model ({@link #file}), atomically. */
    public Path save(Path modelDir) {
        Path f = file(modelDir, components);
        AtomicFiles.writeString(f, Json.write(file));
        return f;
    }

    /**
     * Loads a saved {@code gmm:K} fit of the model in {@code modelDir}, if there is one for these weights.
     *
     * @return the sampler, or null when none is saved or the saved one was fitted to other weights
     * @throws IllegalArgumentException (one line naming the file) when the file is damaged
     */
    public static MixtureSampler load(Path modelDir, int components, VaeModel model) {
        Path f = file(modelDir, components);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        SamplerFile sf;
        try {
            sf = Json.readStrict(Files.readString(f, StandardCharsets.UTF_8), SamplerFile.class, f.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(f + ": cannot read: " + e.getMessage(), e);
        }
        if (sf.components() != components || sf.latent() != model.latent()) {
            throw new IllegalArgumentException(f + ": holds a gmm:" + sf.components() + " fit of " + sf.latent()
                    + "-dimensional codes, not gmm:" + components + " of this model's " + model.latent());
        }
        if (sf.weightsSha256() != null && !sf.weightsSha256().equals(weightsSha256(modelDir))) {
            return null; // fitted to other weights (the model was retrained): refit
        }
        int expected = model.conditional() ? model.classes() : 1;
        if (sf.mixtures().size() != expected) {
            throw new IllegalArgumentException(f + ": holds " + sf.mixtures().size() + " mixtures, this model needs " + expected);
        }
        try {
            return new MixtureSampler(sf);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 of a model directory's weights file. */
    public static String weightsSha256(Path modelDir) {
        return Checksums.sha256(modelDir.resolve(ModelStore.WEIGHTS));
    }

    /** One line on the fit: components, codes, mean log-likelihood. */
    public String summary() {
        long records = 0;
        double ll = 0;
        for (MixtureJson m : file.mixtures()) {
            records += m.records();
            ll += m.meanLogLikelihood() * m.records();
        }
        return String.format(Locale.ROOT, "gmm:%d fitted by EM to the posterior means of %,d %s records%s (mean log-likelihood %.2f nats per code)",
                components, records, file.data(), file.mixtures().size() > 1 ? ", one mixture per label" : "", ll / records);
    }
}
