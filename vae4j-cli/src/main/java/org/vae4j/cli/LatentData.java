package org.vae4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.DataSplits;
import org.vae4j.data.Dataset;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;
import org.vae4j.train.Inputs;

/** Records for the latent-space commands: the test split of --data, or of the run's own data set. */
final class LatentData {
    private LatentData() {}

    /**
     * The test split in memory, checked against the model's input shape (a streamed split too large for the heap is
     * refused with a message saying so).
     */
    static ArrayDataset testSplit(ModelOptions model, DataOptions data, VaeModel m, PrintWriter err) {
        return splits(model, data, m, err).test().materialize();
    }

    /** Both splits of --data or of the run's own data set, the test split checked against the model's input shape. */
    static DataSplits splits(ModelOptions model, DataOptions data, VaeModel m, PrintWriter err) {
        DataSplits splits = data.loadOrFromRun(model.dir, false, err);
        Dataset ds = splits.test();
        checkShape(ds, m);
        if (ds.size() == 0) {
            throw emptySplit(ds, "test");
        }
        return splits;
    }

    /** Rejects records whose shape is not the model's input shape. */
    static void checkShape(Dataset ds, VaeModel m) {
        if (!TrainCommand.toList(ds.shape()).equals(m.config().inputShape())) {
            throw new Main.DataInputException(ds.name() + " records have shape " + TrainCommand.toList(ds.shape())
                    + " but the model expects " + m.config().inputShape());
        }
    }

    /** The data have no records in the split a command needs (exit 1: the data, not an option, are at fault). */
    static Main.DataInputException emptySplit(Dataset ds, String split) {
        return new Main.DataInputException(ds.name() + ": the " + split + " split is empty (no records to use)");
    }

    /**
     * Parses an inclusive index range {@code A-B} (or a single index {@code A}) of test records.
     *
     * @param option the option's name, for messages
     * @param spec the range
     * @param ds the test split
     * @return the indices A..B
     */
    static int[] range(String option, String spec, ArrayDataset ds) {
        String s = spec.trim();
        int dash = s.indexOf('-', 1);
        int a;
        int b;
        try {
            a = Integer.parseInt(dash < 0 ? s : s.substring(0, dash).trim());
            b = dash < 0 ? a : Integer.parseInt(s.substring(dash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a range like 0-999, got '" + spec + "'");
        }
        if (a > b) {
            throw new IllegalArgumentException(option + " " + spec + ": the first index is larger than the last");
        }
        if (a < 0 || b >= ds.size()) {
            throw new IllegalArgumentException(option + " " + spec + " is out of range (the test split has " + ds.size() + " records)");
        }
        return java.util.stream.IntStream.rangeClosed(a, b).toArray();
    }

    /** Rejects an index outside the split, naming the option. */
    static void checkIndex(String option, int index, ArrayDataset ds) {
        if (index < 0 || index >= ds.size()) {
            throw new IllegalArgumentException(option + " " + index + " is out of range (the test split has " + ds.size() + " records)");
        }
    }

    /** Records as the model sees them (binarised with the fixed test seed when the model was trained so). */
    static float[] records(VaeModel m, ArrayDataset ds, int... indices) {
        return Inputs.forEvaluation(ds.subset(indices).data(), m.config().transform());
    }

    /** Whether a --from/--to style value names a test record (a number) rather than an image file. */
    static boolean isIndex(String value) {
        return value.trim().matches("-?\\d{1,9}");
    }

    /**
     * A picture from a file as the model sees it: resized to the model's image size, grey or RGB as the model is,
     * transformed like test records.
     */
    static float[] image(VaeModel m, String option, java.nio.file.Path file) {
        java.util.List<Integer> shape = m.config().inputShape();
        if (shape.size() != 3) {
            throw new IllegalArgumentException(option + " " + file + ": this model's records are vectors, not images");
        }
        float[] x = org.vae4j.data.ImageFiles.read(file, shape.get(0), shape.get(1), shape.get(2));
        return Inputs.forEvaluation(x, m.config().transform());
    }

    /**
     * The labels a model is given for some records: null for a model that takes none; for a conditional model
     * {@code label} (from {@code --label}) for every record, else each record's own label.
     *
     * @throws IllegalArgumentException when a conditional model gets unlabelled records and no {@code --label}
     */
    static int[] labels(VaeModel m, Dataset ds, Integer label, int... indices) {
        if (!m.can(Capability.CONDITIONAL)) {
            return null;
        }
        int[] out = new int[indices.length];
        if (label != null) {
            java.util.Arrays.fill(out, label);
            return out;
        }
        if (!ds.hasLabels()) {
            throw new IllegalArgumentException(ds.name() + " has no labels, and a '" + m.config().model()
                    + "' model is conditional: give --label K (0.." + (m.classes() - 1) + ")");
        }
        int[] all = ds.labels();
        for (int i = 0; i < indices.length; i++) {
            out[i] = all[indices[i]];
        }
        return out;
    }

    /** Label names of a data set already loaded. */
    static Supplier<List<String>> names(Dataset ds) {
        return () -> ds == null ? null : ds.labelNames();
    }

    /**
     * Label names for commands that have no records loaded: those of {@code --data}, or of the run's own data set,
     * loaded only when asked for (a {@code --label} given by name); null when that data cannot be loaded.
     */
    static Supplier<List<String>> names(ModelOptions model, DataOptions data, PrintWriter err) {
        return () -> {
            try {
                return data.loadOrFromRun(model.dir, false, err).test().labelNames();
            } catch (RuntimeException e) {
                return null;
            }
        };
    }

    /** The label names of a data set when it has them (for messages), else null. */
    static List<String> knownNames(Dataset ds) {
        return ds != null && ds.hasLabels() ? ds.labelNames() : null;
    }

    /** What {@link #forEachBatch} hands on: the batch's first record and its posterior. */
    interface BatchConsumer {
        void accept(int start, org.vae4j.model.Posterior post) throws java.io.IOException;
    }

    /**
     * Encodes a (possibly streamed) data set {@value org.vae4j.cli.EncodeCommand#BATCH} records at a time, as the model
     * sees them (binarised when it was trained so), a conditional model given {@code label} or each record's own.
     */
    static void forEachBatch(VaeModel m, Dataset ds, Integer label, BatchConsumer c) throws java.io.IOException {
        int d = ds.featureSize();
        int batch = EncodeCommand.BATCH;
        float[] chunk = new float[batch * d];
        for (int start = 0; start < ds.size(); start += batch) {
            int b = Math.min(batch, ds.size() - start);
            float[] x = b == batch ? chunk : new float[b * d];
            for (int i = 0; i < b; i++) {
                ds.copyRecord(start + i, x, i * d);
            }
            int[] labels = labels(m, ds, label, java.util.stream.IntStream.range(start, start + b).toArray());
            c.accept(start, org.vae4j.latent.Encodings.encode(m, Inputs.forEvaluation(x, m.config().transform()), b, labels));
        }
    }
}
