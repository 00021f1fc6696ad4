package org.vae4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.vae4j.train.EpochMetrics;
import org.vae4j.train.TrainingListener;

/** Renders training progress: a bar per epoch on a terminal, and one summary line per epoch always. */
final class ProgressReporter implements TrainingListener {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean bar;
    private ProgressBar current;
    private int epochs;
    /** What a record is called in the throughput figures: "img" for images, "rows" for table rows and other vectors. */
    private String unit = "img";

    ProgressReporter(PrintWriter out, PrintWriter err, boolean quiet) {
        this.out = out;
        this.err = err;
        this.bar = !quiet && System.console() != null;
    }

    /**
     * Names the throughput after the training records: images per second for images, rows per second otherwise.
     *
     * @return this reporter
     */
    ProgressReporter records(org.vae4j.data.Dataset train) {
        this.unit = train.isImage() ? "img" : "rows";
        return this;
    }

    /** The throughput, e.g. "1,234 img/s" or "56,789 rows/s". */
    String throughput(double recordsPerSecond) {
        return String.format(Locale.ROOT, "%,.0f %s/s", recordsPerSecond, unit);
    }

    @Override
    public void started(int firstEpoch, int epochs, int batches, long parameters) {
        this.epochs = epochs;
        out.printf(Locale.ROOT, "training epochs %d..%d, %d batches per epoch, %,d parameters%n", firstEpoch, epochs, batches, parameters);
        out.flush();
    }

    @Override
    public void batch(int epoch, int batch, int batches, double loss, double recon, double kl, double imagesPerSecond) {
        if (!bar) {
            return;
        }
        if (current == null) {
            current = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                    .setInitialMax(batches)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build();
        }
        current.stepTo(batch);
        current.setExtraMessage(Double.isNaN(recon) && Double.isNaN(kl)
                ? String.format(Locale.ROOT, "loss %.3f %s", loss, throughput(imagesPerSecond))
                : String.format(Locale.ROOT, "loss %.2f recon %.2f KL %.2f %s", loss, recon, kl, throughput(imagesPerSecond)));
    }

    @Override
    public void epoch(EpochMetrics m) {
        if (current != null) {
            current.close();
            current = null;
        }
        if (Double.isNaN(m.testRecon()) && !m.extra().isEmpty()) {
            // a model without recon and KL (a GAN): its own terms
            out.printf(Locale.ROOT, "epoch %d/%d  %s  %.2f s  %s%n", m.epoch(), epochs, terms(m), m.seconds(), throughput(m.imagesPerSecond()));
        } else {
            out.printf(Locale.ROOT, "epoch %d/%d  train loss %.2f  test -ELBO %.2f (recon %.2f, KL %.2f)  %.2f s  %s%n",
                    m.epoch(), epochs, m.trainLoss(), m.testNegElbo(), m.testRecon(), m.testKl(), m.seconds(), throughput(m.imagesPerSecond()));
        }
        if (m.skippedBatches() > 0) {
            out.printf(Locale.ROOT, "  %d batch(es) skipped for non-finite values%n", m.skippedBatches());
        }
        out.flush();
    }

    /** A metrics row's extra terms as {@code train d_loss 1.23 ... | test d_loss 1.25 ...}. */
    static String terms(EpochMetrics m) {
        StringBuilder train = new StringBuilder("train");
        StringBuilder test = new StringBuilder("test");
        m.extra().forEach((k, v) -> {
            StringBuilder sb = k.startsWith("test_") ? test : train;
            sb.append(' ').append(k.substring(k.indexOf('_') + 1)).append(String.format(Locale.ROOT, " %.3f", v));
        });
        return train + " | " + test;
    }

    @Override
    public void warning(String message) {
        if (current != null) {
            current.close();
            current = null;
        }
        err.println("warning: " + message);
        err.flush();
    }
}
