package org.vae4j.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vae4j.data.CsvOptions;
import org.vae4j.data.DataSpec;
import org.vae4j.data.Dataset;
import org.vae4j.data.TableSchema;
import org.vae4j.generate.CodeSampler;
import org.vae4j.generate.TableFidelity;
import org.vae4j.generate.TableSamples;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.CsvFields;
import org.vae4j.model.VaeModel;
import org.vae4j.train.RunState;
import org.vae4j.train.Training;

/**
 * The CLI side of synthetic table rows: writing them as CSV and rendering a {@link TableFidelity}. The rows and the
 * figures come from core ({@link TableSamples}, {@link TableFidelity}).
 */
final class TableRows {
    /** Most rows in a .csv file. */
    static final int MAX_CSV = 1_000_000;

    private TableRows() {}

    /** Whether a model was trained on a table. */
    static boolean isTable(VaeModel m) {
        return m.config().transform().table() != null;
    }

    /**
     * Refuses a picture of a table model's records in one line (exit 2): its rows are not pictures.
     *
     * @param run the model's directory, for the message
     * @param command the command, for the message
     * @param out the picture asked for
     */
    static void refusePictures(VaeModel m, Path run, String command, Path out) {
        if (isTable(m)) {
            throw new IllegalArgumentException(out + ": " + command + " draws records as pictures, but this model was trained on a table ("
                    + m.config().transform().table().columns().size() + " columns); for synthetic rows use: vae4j sample --model " + run
                    + " -n 1000 --out rows.csv");
        }
    }

    /** The names of the id and label columns of the run's table ({@code id}, {@code label} when unknown). */
    record RoleNames(String id, String label) {
        static RoleNames of(Path run) {
            String id = null;
            String label = null;
            try {
                if (Files.isRegularFile(run.resolve(Training.STATE))) {
                    RunState st = Training.readState(run);
                    DataSpec spec = DataSpec.parse(st.dataSpec());
                    if (spec.kind().equals("csv")) {
                        CsvOptions o = CsvOptions.parse(spec);
                        id = o.id();
                        label = o.label();
                    }
                }
            } catch (RuntimeException e) {
                // a run without a readable csv spec: the default names
            }
            return new RoleNames(id == null ? "id" : id, label == null ? "label" : label);
        }
    }

    /**
     * Writes {@code n} synthetic rows as CSV (atomically): the header, then per row the id (with {@code ids}), the
     * feature columns in the file's terms and the label (conditional models).
     *
     * @param labels labels per row (conditional models), else null
     * @param labelNames names of the labels, or null to write numbers
     * @param integral per column whether to write whole numbers ({@link TableSamples#integralColumns}), or null
     * @param fidelity receives the encoded rows (may be null)
     */
    static void write(Path out, VaeModel m, int n, long seed, int[] labels, List<String> labelNames, CodeSampler sampler,
            TableSamples.Draw draw, int batch, boolean ids, RoleNames roles, boolean[] integral, TableFidelity.Accumulator fidelity) {
        TableSchema t = TableSamples.schema(m);
        int d = t.width();
        AtomicFiles.write(out, os -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
            List<String> header = new ArrayList<>();
            if (ids) {
                header.add(roles.id());
            }
            t.columns().forEach(c -> header.add(c.name()));
            if (labels != null) {
                header.add(roles.label());
            }
            line(w, header);
            TableSamples.forEachBatch(m, n, seed, labels, sampler, draw, batch, (start, rows, b) -> {
                if (fidelity != null) {
                    fidelity.add(rows, 0, b);
                }
                for (int i = 0; i < b; i++) {
                    List<String> cells = new ArrayList<>(header.size());
                    long row = start + i;
                    if (ids) {
                        cells.add(Long.toString(row + 1));
                    }
                    cells.addAll(TableSamples.cells(t, rows, i * d, integral));
                    if (labels != null) {
                        cells.add(LabelOption.name(labels[(int) row], labelNames));
                    }
                    line(w, cells);
                }
            });
            w.flush();
        });
    }

    private static void line(Writer w, List<String> cells) throws java.io.IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(CsvFields.quote(cells.get(i)));
        }
        w.write('\n');
    }

    /** The encoded rows of a data set, as an accumulator; only those with {@code label} when it is not null. */
    static TableFidelity.Accumulator real(TableSchema t, Dataset ds, Integer label) {
        TableFidelity.Accumulator a = new TableFidelity.Accumulator(t);
        int d = t.width();
        float[] row = new float[d];
        int[] labels = label != null && ds.hasLabels() ? ds.labels() : null;
        for (int i = 0; i < ds.size(); i++) {
            if (labels != null && labels[i] != label) {
                continue;
            }
            ds.copyRecord(i, row, 0);
            a.add(row, 0, 1);
        }
        return a;
    }

    /**
     * A few lines on how the synthetic rows compare with the real ones: the columns (at most {@code maxColumns}), the
     * worst column and the correlations.
     */
    static void printFidelity(PrintWriter o, TableFidelity f, String real, int maxColumns) {
        o.printf(Locale.ROOT, "fidelity against %d %s (real vs synthetic):%n", f.realRows(), real);
        int shown = 0;
        for (TableFidelity.ColumnFidelity c : f.columns()) {
            if (shown++ == maxColumns) {
                o.printf(Locale.ROOT, "  ... %d more columns%n", f.columns().size() - maxColumns);
                break;
            }
            o.printf(Locale.ROOT, "  %-20s %s%n", abbreviate(c.name(), 20), marginal(c));
        }
        TableFidelity.ColumnFidelity worst = f.worstColumn();
        if (worst != null && f.columns().size() > maxColumns) {
            o.printf(Locale.ROOT, "  largest gap: %s: %s%n", worst.name(), marginal(worst));
        }
        o.println("  " + correlations(f));
    }

    /** "mean 170.2 vs 169.8, sd 11.5 vs 12.0", "share of 1s 0.51 vs 0.48" or "red 0.31/0.28, blue ... (TV 0.03)". */
    static String marginal(TableFidelity.ColumnFidelity c) {
        double[] a = c.real();
        double[] b = c.synthetic();
        if (c.type().equals(TableSchema.CONTINUOUS)) {
            return String.format(Locale.ROOT, "mean %s vs %s, sd %s vs %s", g(a[0]), g(b[0]), g(a[1]), g(b[1]));
        }
        if (c.type().equals(TableSchema.BINARY)) {
            return String.format(Locale.ROOT, "share of 1s %.3f vs %.3f", a[0], b[0]);
        }
        return String.format(Locale.ROOT, "category shares, total variation %.3f", c.distance());
    }

    /** The correlation summary in one line. */
    static String correlations(TableFidelity f) {
        TableFidelity.PairFidelity w = f.worstPair();
        if (w == null) {
            return "correlations: fewer than two numeric columns with spread";
        }
        long defined = f.pairs().stream().filter(p -> !Double.isNaN(p.difference())).count();
        return String.format(Locale.ROOT, "correlations of the numeric columns: mean |difference| %.3f over %d pairs; largest %s~%s %.2f vs %.2f",
                f.meanCorrelationDifference(), defined, w.a(), w.b(), w.real(), w.synthetic());
    }

    /** The category shares of one side, for the report: "blue 0.10, green 0.30, red 0.60". */
    static String shares(TableSchema.Column col, TableFidelity.ColumnFidelity c, boolean real) {
        StringBuilder sb = new StringBuilder();
        List<String> names = new ArrayList<>(col.categories());
        names.add(TableSchema.OTHER);
        double[] v = real ? c.real() : c.synthetic();
        for (int k = 0; k < names.size(); k++) {
            if (k == names.size() - 1 && !(c.real()[k] > 0) && !(c.synthetic()[k] > 0)) {
                break; // no unseen categories on either side
            }
            sb.append(k == 0 ? "" : ", ").append(names.get(k)).append(' ').append(String.format(Locale.ROOT, "%.2f", v[k]));
        }
        return sb.toString();
    }

    /** Four significant digits, or the whole number from 1,000 on ("61470" rather than "6.147e+04"). */
    static String g(double v) {
        if (Double.isNaN(v)) {
            return "NA";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 1000 && a < 1e15 ? "%.0f" : "%.4g", v);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
