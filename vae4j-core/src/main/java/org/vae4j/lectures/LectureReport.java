package org.vae4j.lectures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.vae4j.data.ArrayDataset;
import org.vae4j.lectures.Lectures.BetaStats;
import org.vae4j.lectures.Lectures.ModelStats;
import org.vae4j.model.ModelConfig;

/**
 * Everything {@link Lectures#run} measured, section by section: the figures (numbers, and the decoded images and
 * codes to draw, as float arrays in the records' shape) and the verdict on each statement tested. A renderer turns
 * this into a page; it decides nothing.
 *
 * @param setup the data and settings
 * @param latentSpace section 1
 * @param priorSampling section 2
 * @param interpolation section 3
 * @param betaSweep section 4
 * @param gradients section 5
 * @param holes section 6
 * @param gan section 7
 * @param timings how long each stage took, in order
 */
public record LectureReport(Setup setup, LatentSpace latentSpace, PriorSampling priorSampling, Interpolations interpolation,
                            BetaSweep betaSweep, Gradients gradients, Holes holes, Gan gan, List<Timing> timings) {

    /** Decoded prior samples drawn per 2-D model. */
    public static final int PRIOR_GRID = 64;
    /** Cells per side of the decoded grid of codes at Gaussian quantiles. */
    public static final int MANIFOLD_GRID = 12;
    /** Interpolation pairs drawn per 2-D model. */
    public static final int INTERPOLATIONS_SHOWN = 4;
    /** Images per drawn interpolation, endpoints included. */
    public static final int INTERPOLATION_STEPS = 10;
    /** Test images reconstructed and prior samples drawn per β-VAE. */
    public static final int BETA_SHOWN = 8;
    /** Dimensions traversed per β-VAE (at most the latent size). */
    public static final int TRAVERSED_DIMENSIONS = 6;
    /** Images per traversed dimension. */
    public static final int TRAVERSAL_STEPS = 9;
    /** A traversal sweeps each dimension over [−range, range] around the code. */
    public static final double TRAVERSAL_RANGE = 3;

    /**
     * Copies the timings.
     *
     * @param setup see the record
     * @param latentSpace see the record
     * @param priorSampling see the record
     * @param interpolation see the record
     * @param betaSweep see the record
     * @param gradients see the record
     * @param holes see the record
     * @param gan see the record
     * @param timings see the record
     */
    public LectureReport {
        Objects.requireNonNull(holes, "holes");
        Objects.requireNonNull(gan, "gan");
        timings = List.copyOf(timings);
    }

    /**
     * Every verdict of the report, in section order.
     *
     * @return the verdicts
     */
    public List<Verdict> verdicts() {
        List<Verdict> v = new ArrayList<>(List.of(latentSpace.centred(), latentSpace.gaps(), latentSpace.gapDecoding(), priorSampling.sampling(),
                interpolation.smooth(), interpolation.latentBeatsPixels(), betaSweep.tradeOff(), betaSweep.weakRegularisation(),
                betaSweep.upperBound(), betaSweep.disentanglement(), betaSweep.bottleneck(), gradients.reparameterisation(),
                holes.verdict(), gan.samples(), gan.saturation(), gan.optimum()));
        return List.copyOf(v);
    }

    /**
     * The data and settings measured.
     *
     * @param dataName the data set's name
     * @param trainRecords training records the models saw
     * @param probe the test records encoded and measured
     * @param referenceRecords training images decoded images are compared with
     * @param labels distinct labels in the training data (0: unlabelled)
     * @param shape the records' shape, C × H × W
     * @param settings the settings
     * @param yardstick how decoded images were judged ({@link org.vae4j.judge.Yardstick}: its classifier and
     *     reference), empty when the data have no labels and only the model-relative {@link Realism} judged them
     */
    public record Setup(String dataName, int trainRecords, ArrayDataset probe, int referenceRecords, int labels, int[] shape,
                        Lectures.Settings settings, String yardstick) {
        /** Whether the yardstick judged the decoded images. */
        public boolean judged() {
            return !yardstick.isEmpty();
        }
    }

    /**
     * How long one stage took.
     *
     * @param stage what was done ("train VAE (2-D) (10 epochs)")
     * @param seconds wall-clock seconds
     */
    public record Timing(String stage, double seconds) {}

    /**
     * One of the two 2-D models, its measurements and the images drawn of it.
     *
     * @param name its name in the report ("autoencoder (2-D)")
     * @param config its configuration
     * @param stats its measurements (codes, geometry, realism, paths, evaluation)
     * @param gapNearest the training image nearest to each decoded gap point ({@link ModelStats#gapImages()}), in the same order
     * @param priorGrid {@link #PRIOR_GRID} decoded samples from N(0, I)
     * @param manifold {@link #MANIFOLD_GRID}² decoded codes at Gaussian quantiles, row by row
     * @param interpolations up to {@link #INTERPOLATIONS_SHOWN} decoded paths of {@link #INTERPOLATION_STEPS} images
     *     between the first interpolation pairs
     * @param crossFade the pixel cross-fade of the first pair, {@link #INTERPOLATION_STEPS} images
     */
    public record TwoDModel(String name, ModelConfig config, ModelStats stats, float[] gapNearest, float[] priorGrid, float[] manifold,
                            List<float[]> interpolations, float[] crossFade) {
        /**
         * Copies the paths.
         *
         * @param name see the record
         * @param config see the record
         * @param stats see the record
         * @param gapNearest see the record
         * @param priorGrid see the record
         * @param manifold see the record
         * @param interpolations see the record
         * @param crossFade see the record
         */
        public TwoDModel {
            interpolations = List.copyOf(interpolations);
        }
    }

    /**
     * Section 1: the latent spaces of the 2-D autoencoder and VAE.
     *
     * @param autoencoder the autoencoder
     * @param vae the VAE
     * @param centred whether the KL term gathers the VAE's codes around the centre at the prior's scale
     * @param gaps whether the autoencoder's codes leave more gap
     * @param gapDecoding whether its gaps decode to unrealistic images more often
     */
    public record LatentSpace(TwoDModel autoencoder, TwoDModel vae, Verdict centred, Verdict gaps, Verdict gapDecoding) {
        /**
         * Decides the verdicts from the two models' measurements.
         *
         * @param ae the autoencoder
         * @param vae the VAE
         * @return the section
         */
        public static LatentSpace of(TwoDModel ae, TwoDModel vae) {
            CodeGeometry a = ae.stats().geometry();
            CodeGeometry v = vae.stats().geometry();
            return new LatentSpace(ae, vae, LectureVerdicts.centred(a.scaleMismatch(), v.scaleMismatch(), a.coverage(), v.coverage()),
                    LectureVerdicts.gaps(a.gapFraction(), v.gapFraction()),
                    LectureVerdicts.gapDecoding(ae.stats().gapsLookLikeData(), vae.stats().gapsLookLikeData()));
        }
    }

    /**
     * Section 2: sampling from the prior N(0, I).
     *
     * @param autoencoder the autoencoder
     * @param vae the VAE
     * @param samples prior samples scored per model
     * @param labels distinct labels in the training data (0: unlabelled)
     * @param sampling whether sampling works better for the VAE
     */
    public record PriorSampling(TwoDModel autoencoder, TwoDModel vae, int samples, int labels, Verdict sampling) {
        /**
         * Decides the verdict.
         *
         * @param ae the autoencoder
         * @param vae the VAE
         * @param samples prior samples per model
         * @param labels label count
         * @return the section
         */
        public static PriorSampling of(TwoDModel ae, TwoDModel vae, int samples, int labels) {
            ModelStats a = ae.stats();
            ModelStats v = vae.stats();
            return new PriorSampling(ae, vae, samples, labels,
                    LectureVerdicts.priorSampling(a.priorPrecision(), v.priorPrecision(), a.priorRecallMeasured(), v.priorRecallMeasured()));
        }
    }

    /**
     * Section 3: interpolation.
     *
     * @param autoencoder the autoencoder
     * @param vae the VAE
     * @param smooth whether the VAE's paths are smoother and more often realistic
     * @param latentBeatsPixels whether the VAE's paths beat pixel cross-fades
     */
    public record Interpolations(TwoDModel autoencoder, TwoDModel vae, Verdict smooth, Verdict latentBeatsPixels) {
        /**
         * Decides the verdicts.
         *
         * @param ae the autoencoder
         * @param vae the VAE
         * @return the section
         */
        public static Interpolations of(TwoDModel ae, TwoDModel vae) {
            PathStats a = ae.stats().paths();
            PathStats v = vae.stats().paths();
            return new Interpolations(ae, vae, LectureVerdicts.interpolation(a.maxStepShare(), v.maxStepShare(), a.interiorLooksLikeData(),
                    v.interiorLooksLikeData()), LectureVerdicts.latentBeatsPixels(v.interiorLooksLikeData(), v.crossFadeLooksLikeData()));
        }
    }

    /**
     * One β-VAE, its measurements and the images drawn of it.
     *
     * @param name its name in the report ("β-VAE β = 4")
     * @param config its configuration
     * @param stats its measurements
     * @param reconstructions reconstructions of {@link BetaSweep#originals()}
     * @param samples {@link BetaSweep#shown()} decoded prior samples
     * @param traversal the traversal of its dimensions with the highest KL
     */
    public record BetaModel(String name, ModelConfig config, BetaStats stats, float[] reconstructions, float[] samples,
                            TraversalFigure traversal) {
        /**
         * β.
         *
         * @return the model's β
         */
        public double beta() {
            return stats.beta();
        }
    }

    /**
     * A traversal: each listed dimension swept from −range to range with the others held at a test image's code.
     *
     * @param dimensions the dimensions, highest KL first
     * @param kl their mean KL (nats)
     * @param images {@code dimensions.length × steps} decoded images, one row per dimension
     * @param steps images per dimension
     * @param range the sweep's half-width
     */
    public record TraversalFigure(int[] dimensions, double[] kl, float[] images, int steps, double range) {}

    /**
     * Section 4: the β sweep.
     *
     * @param models the β-VAEs in the order they were run (the order of the β values given)
     * @param originals the first {@code shown} test images, which each model reconstructs
     * @param shown images per row of the reconstruction and sample figures
     * @param iwSamples importance samples of the IW NLL
     * @param tradeOff whether larger β trades reconstruction for KL
     * @param weakRegularisation whether a weaker KL term shrinks σ and spreads the means
     * @param upperBound whether the −ELBO lies above the IW NLL in every model
     * @param disentanglement whether larger β aligns dimensions with the known factors better
     * @param bottleneck whether fewer dimensions stay in use as β grows
     */
    public record BetaSweep(List<BetaModel> models, float[] originals, int shown, int iwSamples, Verdict tradeOff, Verdict weakRegularisation,
                            Verdict upperBound, Verdict disentanglement, Verdict bottleneck) {
        /**
         * Copies the models.
         *
         * @param models see the record
         * @param originals see the record
         * @param shown see the record
         * @param iwSamples see the record
         * @param tradeOff see the record
         * @param weakRegularisation see the record
         * @param upperBound see the record
         * @param disentanglement see the record
         * @param bottleneck see the record
         */
        public BetaSweep {
            models = List.copyOf(models);
            if (models.isEmpty()) {
                throw new IllegalArgumentException("a β sweep needs at least one model");
            }
        }

        /**
         * Decides the verdicts from the models' measurements.
         *
         * @param models the models in run order
         * @param originals the reconstructed test images
         * @param shown images per figure row
         * @param iwSamples importance samples of the IW NLL
         * @return the section
         */
        public static BetaSweep of(List<BetaModel> models, float[] originals, int shown, int iwSamples) {
            List<BetaStats> s = ascending(models);
            int n = s.size();
            double[] betas = new double[n];
            double[] kl = new double[n];
            double[] recon = new double[n];
            double[] sigma = new double[n];
            double[] norm = new double[n];
            double[] iw = new double[n];
            double[] elbo = new double[n];
            int[] used = new int[n];
            boolean factors = true;
            double[] align = new double[n];
            for (int i = 0; i < n; i++) {
                BetaStats b = s.get(i);
                betas[i] = b.beta();
                kl[i] = b.evaluation().kl();
                recon[i] = b.evaluation().recon();
                sigma[i] = b.meanSigmaUsed();
                norm[i] = b.meanCodeNorm();
                iw[i] = b.iwNll();
                elbo[i] = b.iwNegElbo();
                used[i] = b.dimensionsInUse();
                factors &= b.alignment() != null;
                align[i] = b.alignment() == null ? Double.NaN : b.alignment().score();
            }
            return new BetaSweep(models, originals, shown, iwSamples, LectureVerdicts.tradeOff(kl, recon),
                    LectureVerdicts.weakRegularisation(sigma, norm), LectureVerdicts.upperBound(betas, iw, elbo),
                    LectureVerdicts.disentanglement(factors ? align : null), LectureVerdicts.bottleneck(used));
        }

        private static List<BetaStats> ascending(List<BetaModel> models) {
            List<BetaStats> s = new ArrayList<>();
            for (BetaModel m : models) {
                s.add(m.stats());
            }
            s.sort(Comparator.comparingDouble(BetaStats::beta));
            return s;
        }

        /**
         * The models' measurements in ascending β, the order the verdicts' series use.
         *
         * @return the measurements
         */
        public List<BetaStats> ascending() {
            return ascending(models);
        }

        /**
         * The model with the lowest test −ELBO.
         *
         * @return its measurements
         */
        public BetaStats best() {
            return ascending().stream().min(Comparator.comparingDouble(b -> b.evaluation().negElbo())).orElseThrow();
        }

        /**
         * Whether every model has a factor alignment (the data have known factors).
         *
         * @return whether all alignments are there
         */
        public boolean hasAlignment() {
            return models.stream().allMatch(m -> m.stats().alignment() != null);
        }
    }

    /**
     * Section 5: the reparameterised against the score-function gradient estimator.
     *
     * @param beta β of the VAE measured
     * @param summary the comparison
     * @param records records used
     * @param samples samples per record
     * @param reparameterisation whether the score function is the noisier estimator
     */
    public record Gradients(double beta, GradientVariance.Summary summary, int records, int samples, Verdict reparameterisation) {
        /**
         * Decides the verdict.
         *
         * @param beta β of the model
         * @param summary the comparison
         * @param records records used
         * @param samples samples per record
         * @return the section
         */
        public static Gradients of(double beta, GradientVariance.Summary summary, int records, int samples) {
            Objects.requireNonNull(summary, "summary");
            return new Gradients(beta, summary, records, samples, LectureVerdicts.reparameterisation(summary.ratio()));
        }
    }

    /**
     * Section 6: the prior's holes, on the section-2 VAE: where N(0, I) draws land against the codes, and what sampling
     * from a mixture fitted to the codes ({@code gmm:10}) changes.
     *
     * @param stats the measurements
     * @param verdict whether prior draws land in holes and the mixture's samples are better
     */
    public record Holes(PriorHoles stats, Verdict verdict) {
        /**
         * Decides the verdict.
         *
         * @param stats the measurements
         * @return the section
         */
        public static Holes of(PriorHoles stats) {
            Objects.requireNonNull(stats, "stats");
            return new Holes(stats, LectureVerdicts.priorHoles(stats.priorHoleShare(), stats.priorFd(), stats.gmmFd(),
                    stats.priorPrecision(), stats.gmmPrecision()));
        }
    }

    /**
     * Section 7: GANs, sampling without a density: a GAN with the β = 1 VAE's decoder as generator against that VAE.
     *
     * @param stats the measurements
     * @param samples whether the GAN's samples come closer to the data
     * @param saturation whether the minimax loss saturates at the start of training
     * @param optimum whether training moves D towards ½
     */
    public record Gan(GanLecture stats, Verdict samples, Verdict saturation, Verdict optimum) {
        /**
         * Decides the verdicts.
         *
         * @param stats the measurements
         * @return the section
         */
        public static Gan of(GanLecture stats) {
            Objects.requireNonNull(stats, "stats");
            GanLecture.Side g = stats.gan();
            GanLecture.Side v = stats.vae();
            double[] real = stats.curve().stream().mapToDouble(GanLecture.EpochPoint::trainReal).toArray();
            double[] fake = stats.curve().stream().mapToDouble(GanLecture.EpochPoint::trainFake).toArray();
            return new Gan(stats, LectureVerdicts.ganSamples(v.fd(), g.fd(), v.precision(), g.precision(), v.sharpness().laplacianVariance(),
                    g.sharpness().laplacianVariance(), stats.data().laplacianVariance()),
                    LectureVerdicts.saturation(stats.saturation().minimaxNorm(), stats.saturation().nonSaturatingNorm()),
                    LectureVerdicts.ganOptimum(real, fake));
        }
    }
}
