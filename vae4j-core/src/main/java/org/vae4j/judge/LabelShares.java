package org.vae4j.judge;

/**
 * How a classifier labels a set of records (generated samples): the count of each predicted label.
 *
 * @param counts records predicted as each label, indexed by label
 */
public record LabelShares(long[] counts) {
    /** Validates and copies. */
    public LabelShares {
        counts = counts.clone();
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("counts must be non-negative");
            }
        }
    }

    /** Records classified. */
    public long n() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** Share of the records predicted as {@code label} (NaN without records). */
    public double share(int label) {
        long n = n();
        return n == 0 ? Double.NaN : (double) counts[label] / n;
    }

    /**
     * Entropy of the predicted-label histogram in nats: log(classes) when every label is equally common (all modes
     * covered), 0 when one label takes everything (mode collapse).
     */
    public double entropy() {
        long n = n();
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / n;
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    /** Number of labels (the histogram's length). */
    public int classes() {
        return counts.length;
    }

    /**
     * How many labels hold at least {@code share} of the records: with share 0.03, a generator covering every digit
     * of MNIST scores 10, one that has collapsed onto a few modes fewer. 0 without records.
     */
    public int classesAtLeast(double share) {
        long n = n();
        int c = 0;
        for (long k : counts) {
            c += n > 0 && (double) k / n >= share ? 1 : 0;
        }
        return c;
    }

    /** The label with the smallest share (the lowest label among ties), or -1 without labels. */
    public int rarestLabel() {
        int best = -1;
        for (int y = 0; y < counts.length; y++) {
            if (best < 0 || counts[y] < counts[best]) {
                best = y;
            }
        }
        return best;
    }

    /** The smallest share of any label (NaN without records). */
    public double minShare() {
        int y = rarestLabel();
        return y < 0 ? Double.NaN : share(y);
    }

    /** The histogram of predicted labels. */
    public static LabelShares of(int[] predicted, int classes) {
        long[] c = new long[classes];
        for (int p : predicted) {
            c[p]++;
        }
        return new LabelShares(c);
    }
}
