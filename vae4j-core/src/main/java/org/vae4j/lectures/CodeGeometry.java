package org.vae4j.lectures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a set of 2-D codes (posterior means, or an autoencoder's codes) fills the latent plane: where it sits
 * relative to the prior N(0, I), how much of the prior's bulk it covers, and how much empty space (gaps between
 * clusters) lies inside the region it occupies.
 *
 * @param n number of codes
 * @param meanDistanceFromOrigin mean Euclidean norm of the codes
 * @param centroid mean code {@code [x, y]}
 * @param rmsSpread root mean squared distance of the codes from their centroid
 * @param box half-width of the square [−box, box]² used for {@code coverage}
 * @param radius neighbourhood radius used for {@code coverage}
 * @param coverage fraction of a fine grid over [−box, box]² lying within {@code radius} of some code
 * @param cloudRadius the 90th percentile of the codes' distances from their centroid: the disc holding 90% of them
 * @param gapThreshold a point of that disc is in a gap when it is farther than {@code gapThreshold · cloudRadius}
 *     from every code
 * @param gapFraction fraction of the disc's area in gaps
 * @param gapPoints the emptiest points of the disc, {@code k × 2}, emptiest first, at least
 *     {@code cloudRadius / 4} apart
 * @param gapDistances for each gap point, its distance to the nearest code divided by {@code cloudRadius}
 * @param neighbourLabelAgreement fraction of each code's 5 nearest codes that share its label (NaN without labels)
 */
public record CodeGeometry(int n, double meanDistanceFromOrigin, double[] centroid, double rmsSpread, double box, double radius,
                           double coverage, double cloudRadius, double gapThreshold, double gapFraction, float[] gapPoints,
                           double[] gapDistances, double neighbourLabelAgreement) {

    /** Default half-width of the coverage square: ±3 prior standard deviations. */
    public static final double BOX = 3;
    /** Default coverage radius. */
    public static final double RADIUS = 0.25;
    /** Default relative gap threshold. */
    public static final double GAP = 0.1;
    /** Neighbours used for the label agreement. */
    public static final int NEIGHBOURS = 5;

    /**
     * Measures codes with the defaults ({@value #BOX}, {@value #RADIUS}, {@value #GAP}, 8 gap points).
     *
     * @param codes {@code n × 2} values
     * @param n number of codes, at least {@value #NEIGHBOURS} + 1
     * @param labels one label per code, or null
     * @return the measurements
     */
    public static CodeGeometry of(float[] codes, int n, int[] labels) {
        return of(codes, n, labels, BOX, RADIUS, GAP, 8);
    }

    /**
     * Measures codes.
     *
     * @param codes {@code n × 2} values
     * @param n number of codes, at least {@value #NEIGHBOURS} + 1
     * @param labels one label per code, or null
     * @param box half-width of the coverage square
     * @param radius coverage radius
     * @param gapThreshold relative gap threshold (fraction of the cloud radius)
     * @param gaps how many gap points to return
     * @return the measurements
     */
    public static CodeGeometry of(float[] codes, int n, int[] labels, double box, double radius, double gapThreshold, int gaps) {
        if (n <= NEIGHBOURS || codes.length != 2L * n) {
            throw new IllegalArgumentException("need more than " + NEIGHBOURS + " 2-D codes (n × 2 values), got "
                    + codes.length + " values for n = " + n);
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("need one label per code: " + labels.length + " vs " + n);
        }
        double norm = 0;
        double cx = 0;
        double cy = 0;
        for (int i = 0; i < n; i++) {
            double x = codes[2 * i];
            double y = codes[2 * i + 1];
            norm += Math.sqrt(x * x + y * y);
            cx += x;
            cy += y;
        }
        cx /= n;
        cy /= n;
        double[] fromCentre = new double[n];
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double dx = codes[2 * i] - cx;
            double dy = codes[2 * i + 1] - cy;
            fromCentre[i] = Math.sqrt(dx * dx + dy * dy);
            ss += dx * dx + dy * dy;
        }
        double[] sorted = fromCentre.clone();
        Arrays.sort(sorted);
        double cloud = Math.max(sorted[(int) Math.floor(0.9 * (n - 1))], 1e-12);

        // coverage of [−box, box]² on a 121 × 121 grid
        int g = 121;
        int covered = 0;
        for (int a = 0; a < g; a++) {
            for (int b = 0; b < g; b++) {
                double x = -box + 2 * box * a / (g - 1);
                double y = -box + 2 * box * b / (g - 1);
                if (nearest(codes, n, x, y) <= radius) {
                    covered++;
                }
            }
        }

        // gaps inside the disc holding 90% of the codes, on a 101 × 101 grid over its bounding square
        int h = 101;
        List<double[]> disc = new ArrayList<>();
        int inGap = 0;
        for (int a = 0; a < h; a++) {
            for (int b = 0; b < h; b++) {
                double ox = -cloud + 2 * cloud * a / (h - 1);
                double oy = -cloud + 2 * cloud * b / (h - 1);
                if (ox * ox + oy * oy > cloud * cloud) {
                    continue;
                }
                double dist = nearest(codes, n, cx + ox, cy + oy);
                disc.add(new double[] {cx + ox, cy + oy, dist});
                if (dist > gapThreshold * cloud) {
                    inGap++;
                }
            }
        }
        disc.sort((p, q) -> Double.compare(q[2], p[2]));
        List<double[]> chosen = new ArrayList<>();
        for (double[] p : disc) {
            if (chosen.size() >= gaps) {
                break;
            }
            boolean far = true;
            for (double[] c : chosen) {
                if (Math.hypot(p[0] - c[0], p[1] - c[1]) < cloud / 4) {
                    far = false;
                    break;
                }
            }
            if (far) {
                chosen.add(p);
            }
        }
        float[] gapPts = new float[2 * chosen.size()];
        double[] gapDist = new double[chosen.size()];
        for (int i = 0; i < chosen.size(); i++) {
            gapPts[2 * i] = (float) chosen.get(i)[0];
            gapPts[2 * i + 1] = (float) chosen.get(i)[1];
            gapDist[i] = chosen.get(i)[2] / cloud;
        }
        double agreement = labels == null ? Double.NaN : neighbourAgreement(codes, n, labels);
        return new CodeGeometry(n, norm / n, new double[] {cx, cy}, Math.sqrt(ss / n), box, radius, (double) covered / (g * g),
                cloud, gapThreshold, disc.isEmpty() ? 0 : (double) inGap / disc.size(), gapPts, gapDist, agreement);
    }

    /** Distance from (x, y) to the nearest code. */
    static double nearest(float[] codes, int n, double x, double y) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double dx = codes[2 * i] - x;
            double dy = codes[2 * i + 1] - y;
            double d = dx * dx + dy * dy;
            if (d < best) {
                best = d;
            }
        }
        return Math.sqrt(best);
    }

    /** Fraction of the {@value #NEIGHBOURS} nearest other codes that share each code's label, averaged. */
    static double neighbourAgreement(float[] codes, int n, int[] labels) {
        long same = 0;
        double[] bestD = new double[NEIGHBOURS];
        int[] bestI = new int[NEIGHBOURS];
        for (int i = 0; i < n; i++) {
            Arrays.fill(bestD, Double.POSITIVE_INFINITY);
            Arrays.fill(bestI, -1);
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double dx = codes[2 * i] - codes[2 * j];
                double dy = codes[2 * i + 1] - codes[2 * j + 1];
                double d = dx * dx + dy * dy;
                if (d < bestD[NEIGHBOURS - 1]) {
                    int k = NEIGHBOURS - 1;
                    while (k > 0 && bestD[k - 1] > d) {
                        bestD[k] = bestD[k - 1];
                        bestI[k] = bestI[k - 1];
                        k--;
                    }
                    bestD[k] = d;
                    bestI[k] = j;
                }
            }
            for (int k = 0; k < NEIGHBOURS; k++) {
                if (labels[bestI[k]] == labels[i]) {
                    same++;
                }
            }
        }
        return (double) same / ((long) n * NEIGHBOURS);
    }

    /**
     * The distance of the centroid from the origin.
     *
     * @return ‖centroid‖
     */
    public double centroidDistance() {
        return Math.hypot(centroid[0], centroid[1]);
    }

    /** E‖z‖ for z ~ N(0, I₂): sqrt(π/2). */
    public static final double PRIOR_MEAN_DISTANCE = Math.sqrt(Math.PI / 2);

    /**
     * How far the codes' scale is from the prior's, as a factor on a log scale: |ln(mean ‖code‖ / sqrt(π/2))|,
     * 0 when the codes lie as far from the origin on average as draws from N(0, I) do.
     *
     * @return the mismatch
     */
    public double scaleMismatch() {
        return Math.abs(Math.log(meanDistanceFromOrigin / PRIOR_MEAN_DISTANCE));
    }
}
