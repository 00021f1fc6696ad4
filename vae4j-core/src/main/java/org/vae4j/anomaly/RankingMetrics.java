package org.vae4j.anomaly;

import java.util.Arrays;
import java.util.Comparator;

/**
 * How well scores rank positives (anomalies) above negatives: ROC-AUC (the Mann–Whitney statistic, ties counted
 * as half), average precision (area under the precision-recall curve as a step function over distinct score
 * thresholds, as scikit-learn computes it) and the ROC curve itself.
 */
public final class RankingMetrics {
    private RankingMetrics() {}

    /**
     * The ROC curve: one point per distinct score threshold, from (0,0) to (1,1).
     *
     * @param fpr false-positive rates, non-decreasing
     * @param tpr true-positive rates, non-decreasing
     */
    public record Curve(double[] fpr, double[] tpr) {}

    /**
     * ROC-AUC: the probability that a random positive scores higher than a random negative, ties counting half.
     *
     * @param scores one score per record, higher = more positive; finite
     * @param positive which records are positive
     * @return a value in [0,1]
     * @throws IllegalArgumentException if lengths differ, a score is not finite, or either class is empty
     */
    public static double rocAuc(double[] scores, boolean[] positive) {
        int[] order = check(scores, positive);
        long nPos = 0;
        double rankSum = 0;
        // ascending order; each run of tied scores gets the mean of its 1-based ranks
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                j++;
            }
            double midRank = (i + 1 + j) / 2.0;
            for (int t = i; t < j; t++) {
                if (positive[order[t]]) {
                    nPos++;
                    rankSum += midRank;
                }
            }
            i = j;
        }
        long nNeg = order.length - nPos;
        return (rankSum - nPos * (nPos + 1) / 2.0) / ((double) nPos * nNeg);
    }

    /**
     * Average precision: Σ_t (R_t − R_{t−1}) P_t over distinct thresholds t taken from the highest score down.
     *
     * @param scores one score per record, higher = more positive; finite
     * @param positive which records are positive
     * @return a value in (0,1]
     */
    public static double averagePrecision(double[] scores, boolean[] positive) {
        int[] order = check(scores, positive);
        long nPos = 0;
        for (boolean p : positive) {
            nPos += p ? 1 : 0;
        }
        double ap = 0;
        long tp = 0;
        long seen = 0;
        double prevRecall = 0;
        for (int i = order.length - 1; i >= 0; ) {
            int j = i;
            while (j >= 0 && scores[order[j]] == scores[order[i]]) {
                if (positive[order[j]]) {
                    tp++;
                }
                seen++;
                j--;
            }
            double recall = (double) tp / nPos;
            ap += (recall - prevRecall) * ((double) tp / seen);
            prevRecall = recall;
            i = j;
        }
        return ap;
    }

    /** The ROC curve over distinct thresholds, highest score first. */
    public static Curve rocCurve(double[] scores, boolean[] positive) {
        int[] order = check(scores, positive);
        long nPos = 0;
        for (boolean p : positive) {
            nPos += p ? 1 : 0;
        }
        long nNeg = order.length - nPos;
        double[] fpr = new double[order.length + 1];
        double[] tpr = new double[order.length + 1];
        int points = 1;
        long tp = 0;
        long fp = 0;
        for (int i = order.length - 1; i >= 0; ) {
            int j = i;
            while (j >= 0 && scores[order[j]] == scores[order[i]]) {
                if (positive[order[j]]) {
                    tp++;
                } else {
                    fp++;
                }
                j--;
            }
            fpr[points] = (double) fp / nNeg;
            tpr[points] = (double) tp / nPos;
            points++;
            i = j;
        }
        return new Curve(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points));
    }

    /** Validates and returns the indices sorted by ascending score. */
    private static int[] check(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
        }
        int pos = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("score of record " + i + " is not finite (" + scores[i] + ")");
            }
            pos += positive[i] ? 1 : 0;
        }
        if (pos == 0 || pos == scores.length) {
            throw new IllegalArgumentException("ROC-AUC needs both normal and anomalous records; got " + pos
                    + " anomalous of " + scores.length);
        }
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble(i -> scores[i]));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }
}
