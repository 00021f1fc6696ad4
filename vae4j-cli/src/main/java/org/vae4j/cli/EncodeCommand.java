package org.vae4j.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.data.Dataset;
import org.vae4j.data.DataSplits;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.Npy;
import org.vae4j.model.Posterior;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j encode}. */
@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Embeddings: per record its id, label, posterior mean mu and log-variance logvar.",
            "FILE.csv: id,label,mu_0..,logvar_0.. ; FILE.npy: float32 (N, 2*latent) [mu | logvar] plus FILE.ids.csv (id,label).",
            "An autoencoder has no logvar: its files hold the codes only."})
class EncodeCommand implements Callable<Integer> {
    /** Records per forward pass (memory is bounded by this, not by the data set). */
    static final int BATCH = 256;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--split", defaultValue = "test", description = "test, train or all (ids then prefixed train:/test:). Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "FILE.csv or FILE.npy.")
    Path out;

    @Option(names = "--force", description = "Replace --out (and its .ids.csv) if they exist.")
    boolean force;

    @Mixin
    ThreadOptions threads;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RecordOutputs.checkSplit(split);
        RecordOutputs.checkNew(out, force, ".csv", ".npy");
        boolean npy = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
        Path ids = RecordOutputs.beside(out, ".ids.csv");
        if (npy) {
            RecordOutputs.checkNew(ids, force, ".csv");
        }
        threads.apply();
        try (VaeModel m = model.load()) {
            m.require(org.vae4j.model.Capability.ENCODES, "encode");
            DataSplits splits = data.loadOrFromRun(model.dir, false, err);
            List<RecordOutputs.Part> parts = RecordOutputs.parts(splits, split);
            long n = 0;
            for (RecordOutputs.Part p : parts) {
                LatentData.checkShape(p.data(), m);
                n += p.data().size();
            }
            int l = m.latent();
            boolean variational = m.variant().variational();
            int width = variational ? 2 * l : l;
            long rows = n;
            if (npy) {
                AtomicFiles.write(out, os -> {
                    os.write(Npy.float32Header(rows, width));
                    float[] row = new float[BATCH * width];
                    for (RecordOutputs.Part p : parts) {
                        encodeRecords(m, p.data(), (start, post) -> {
                            for (int i = 0; i < post.n(); i++) {
                                System.arraycopy(post.mu(), i * l, row, i * width, l);
                                if (variational) {
                                    System.arraycopy(post.logvar(), i * l, row, i * width + l, l);
                                }
                            }
                            Npy.writeFloats(os, row, 0, post.n() * width);
                        });
                    }
                });
                AtomicFiles.write(ids, os -> {
                    Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
                    w.write("id,label\n");
                    for (RecordOutputs.Part p : parts) {
                        for (int i = 0; i < p.data().size(); i++) {
                            w.write(RecordOutputs.idAndLabel(p, i) + "\n");
                        }
                    }
                    w.flush();
                });
            } else {
                AtomicFiles.write(out, os -> {
                    Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
                    StringBuilder h = new StringBuilder("id,label");
                    for (int j = 0; j < l; j++) {
                        h.append(",mu_").append(j);
                    }
                    for (int j = 0; variational && j < l; j++) {
                        h.append(",logvar_").append(j);
                    }
                    w.write(h.append('\n').toString());
                    for (RecordOutputs.Part p : parts) {
                        encodeRecords(m, p.data(), (start, post) -> {
                            StringBuilder sb = new StringBuilder();
                            for (int i = 0; i < post.n(); i++) {
                                sb.append(RecordOutputs.idAndLabel(p, start + i));
                                for (int j = 0; j < l; j++) {
                                    sb.append(',').append(post.mu()[i * l + j]);
                                }
                                for (int j = 0; variational && j < l; j++) {
                                    sb.append(',').append(post.logvar()[i * l + j]);
                                }
                                sb.append('\n');
                            }
                            w.write(sb.toString());
                        });
                    }
                    w.flush();
                });
            }
            stdout.printf(Locale.ROOT, "%d records encoded (latent %d%s) -> %s%s%n", rows, l, variational ? ", mu and logvar" : ", codes",
                    out, npy ? " and " + ids : "");
        }
        return 0;
    }

    /**
     * Encodes one split's records in order, handing them on {@value #BATCH} at a time (in this process; {@code vae4j
     * spark encode} overrides it to encode them on a Spark cluster).
     */
    void encodeRecords(VaeModel m, Dataset ds, BatchConsumer c) throws java.io.IOException {
        forEachBatch(m, ds, c);
    }

    interface BatchConsumer {
        void accept(int start, Posterior post) throws java.io.IOException;
    }

    /**
     * Encodes the records {@value #BATCH} at a time, as the model sees them (binarised when it was trained so); a
     * conditional model encodes each record with its label.
     */
    static void forEachBatch(VaeModel m, Dataset ds, BatchConsumer c) throws java.io.IOException {
        int d = ds.featureSize();
        int[] labels = RecordOutputs.conditionLabels(m, ds);
        float[] chunk = new float[BATCH * d];
        for (int start = 0; start < ds.size(); start += BATCH) {
            int b = Math.min(BATCH, ds.size() - start);
            float[] x = b == BATCH ? chunk : new float[b * d];
            for (int i = 0; i < b; i++) {
                ds.copyRecord(start + i, x, i * d);
            }
            c.accept(start, m.encode(org.vae4j.train.Inputs.forEvaluation(x, m.config().transform()), b,
                    org.vae4j.model.Batch.labels(labels, start, b)));
        }
    }
}
