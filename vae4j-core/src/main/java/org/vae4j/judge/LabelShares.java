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

    /** The histogram of predicted labels. */
    public static LabelShares of(int[] predicted, int classes) {
        long[] c = new long[classes];
        for (int p : predicted) {
            c[p]++;
        }
        return new LabelShares(c);
    }
}
