package org.vae4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vae4j.data.Dataset;
import org.vae4j.data.DataSplits;
import org.vae4j.io.CsvFields;

/** Helpers of the per-record commands (encode, score, density): split choice, labels, output checks. */
final class RecordOutputs {
    private RecordOutputs() {}

    /**
     * One split's records, with the prefix their ids get in the output.
     *
     * @param prefix {@code ""} for a single split; {@code "train:"} / {@code "test:"} with {@code --split all}
     * @param data the records
     */
    record Part(String prefix, Dataset data) {}

    /** The records of {@code --split test|train|all}; with {@code all}, ids are prefixed {@code train:} and {@code test:}. */
    static List<Part> parts(DataSplits splits, String split) {
        return switch (split) {
            case "test" -> List.of(new Part("", splits.test()));
            case "train" -> List.of(new Part("", splits.train()));
            case "all" -> List.of(new Part("train:", splits.train()), new Part("test:", splits.test()));
            default -> throw new IllegalArgumentException("--split must be test, train or all, got '" + split + "'");
        };
    }

    /** Rejects an unknown {@code --split} before any work. */
    static void checkSplit(String split) {
        if (!List.of("test", "train", "all").contains(split)) {
            throw new IllegalArgumentException("--split must be test, train or all, got '" + split + "'");
        }
    }

    /**
     * The records' labels when the model is conditional (it encodes, scores and evaluates x given its label), else
     * null; data without labels are refused in one line (exit 1: the data do not fit the model).
     */
    static int[] conditionLabels(org.vae4j.model.VaeModel m, Dataset ds) {
        try {
            return org.vae4j.eval.Evaluator.labelsFor(m, ds);
        } catch (IllegalArgumentException e) {
            throw new Main.DataInputException(e.getMessage());
        }
    }


    /** The label of record {@code i} as written to files: its name, its number, or empty when unlabelled. */
    static String label(Dataset ds, int i) {
        if (!ds.hasLabels()) {
            return "";
        }
        return labelName(ds, ds.labels()[i]);
    }

    /** A label's name in the data (its number when the data name none). */
    static String labelName(Dataset ds, int label) {
        return label < ds.labelNames().size() ? ds.labelNames().get(label) : Integer.toString(label);
    }

    /** {@code id,label} CSV fields of record {@code i}. */
    static String idAndLabel(Part p, int i) {
        return CsvFields.quote(p.prefix() + p.data().recordId(i)) + "," + CsvFields.quote(label(p.data(), i));
    }

    /** {@link Outputs#checkNew}: the one output rule. */
    static void checkNew(Path file, boolean force, String... extensions) {
        Outputs.checkNew(file, force, extensions);
    }

    /** {@code dir/stem-suffix} beside {@code file} (stem = file name without extension). */
    static Path beside(Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        Path parent = file.toAbsolutePath().getParent();
        return parent.resolve(stem + suffix);
    }

    /** Indices {@code 0..n-1} sorted by {@code values}, descending when {@code descending}. */
    static List<Integer> order(double[] values, boolean descending) {
        List<Integer> idx = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            idx.add(i);
        }
        idx.sort((a, b) -> descending ? Double.compare(values[b], values[a]) : Double.compare(values[a], values[b]));
        return idx;
    }
}
