package org.vae4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of {@code metrics.csv}. Test figures use one sampled z per record (as the PyTorch example reports).
 *
 * @param epoch 1-based epoch
 * @param trainLoss mean training objective over the epoch's batches
 * @param trainRecon mean training reconstruction NLL
 * @param trainKl mean training KL
 * @param testNegElbo test negative ELBO per record (β = 1), or recon only for non-variational models
 * @param testRecon test reconstruction NLL per record
 * @param testKl test KL per record
 * @param seconds training seconds of the epoch (excluding evaluation)
 * @param evalSeconds evaluation seconds
 * @param imagesPerSecond training throughput
 * @param beta effective β at the end of the epoch
 * @param skippedBatches batches skipped for non-finite values
 * @param extra the model's further named terms as extra columns ({@code train_neg_iw_bound}, {@code test_neg_iw_bound}),
 *     in column order; empty for models whose only terms are recon and KL
 */
public record EpochMetrics(
        int epoch,
        double trainLoss,
        double trainRecon,
        double trainKl,
        double testNegElbo,
        double testRecon,
        double testKl,
        double seconds,
        double evalSeconds,
        double imagesPerSecond,
        double beta,
        int skippedBatches,
        @org.vae4j.util.Json.Optional java.util.Map<String, Double> extra) {

    /** Validates. */
    public EpochMetrics {
        extra = extra == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
    }

    /** A row without extra terms. */
    public EpochMetrics(int epoch, double trainLoss, double trainRecon, double trainKl, double testNegElbo, double testRecon,
            double testKl, double seconds, double evalSeconds, double imagesPerSecond, double beta, int skippedBatches) {
        this(epoch, trainLoss, trainRecon, trainKl, testNegElbo, testRecon, testKl, seconds, evalSeconds, imagesPerSecond, beta,
                skippedBatches, null);
    }

    /** CSV header. */
    public static final String HEADER =
            "epoch,train_loss,train_recon,train_kl,test_neg_elbo,test_recon,test_kl,seconds,eval_seconds,images_per_s,beta,skipped_batches";

    /** This row as CSV. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.4f,%.4f,%.1f,%.6g,%d",
                epoch, trainLoss, trainRecon, trainKl, testNegElbo, testRecon, testKl, seconds, evalSeconds,
                imagesPerSecond, beta, skippedBatches));
        for (double v : extra.values()) {
            sb.append(String.format(Locale.ROOT, ",%.6f", v));
        }
        return sb.toString();
    }

    /** The whole CSV for a history (extra columns from the first row's terms). */
    public static String toCsv(List<EpochMetrics> rows) {
        StringBuilder sb = new StringBuilder(HEADER);
        if (!rows.isEmpty()) {
            for (String k : rows.get(0).extra().keySet()) {
                sb.append(',').append(k);
            }
        }
        sb.append('\n');
        for (EpochMetrics r : rows) {
            sb.append(r.toCsv()).append('\n');
        }
        return sb.toString();
    }

    /** Reads a {@code metrics.csv} written by {@link #toCsv(List)}. */
    public static List<EpochMetrics> readCsv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !(lines.get(0).equals(HEADER) || lines.get(0).startsWith(HEADER + ","))) {
            throw new IllegalArgumentException(file + ": not a vae4j metrics file (unexpected header)");
        }
        String[] header = lines.get(0).split(",");
        List<EpochMetrics> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length != header.length) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + ": expected " + header.length + " columns, got " + f.length);
            }
            try {
                java.util.Map<String, Double> extra = new java.util.LinkedHashMap<>();
                for (int c = 12; c < f.length; c++) {
                    extra.put(header[c], Double.parseDouble(f[c]));
                }
                out.add(new EpochMetrics(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                        Double.parseDouble(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9]), Double.parseDouble(f[10]),
                        Integer.parseInt(f[11]), extra));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }
}
