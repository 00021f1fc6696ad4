package org.vae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.data.DatasetDownloader;
import org.vae4j.train.RunState;
import org.vae4j.train.Training;
import picocli.CommandLine.Option;

/** Shared data options. */
final class DataOptions {
    @Option(names = "--data", paramLabel = "SPEC",
            description = "Data set: mnist, fashion-mnist, idx:DIR, shapes, shapes:rgb (see 'vae4j list').")
    String spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where mnist/fashion-mnist files live or are downloaded to (default $VAE4J_DATA/<name> or ~/.vae4j/data/<name>).")
    Path dataDir;

    @Option(names = "--offline", description = "Never download; fail with a message saying where to put the files.")
    boolean offline;

    /** Loads the data, reporting downloads on {@code err}. */
    DataSplits load(PrintWriter err) {
        if (spec == null) {
            throw new IllegalArgumentException("--data is required (e.g. --data shapes or --data idx:DIR)");
        }
        return load(spec, dataDir, offline, err);
    }

    /** Whether {@code --data} was given or the run directory records the data set it was trained on. */
    boolean available(Path runDir) {
        return spec != null || Files.isRegularFile(runDir.resolve(Training.STATE));
    }

    /**
     * {@code --data}; without it, the data set recorded in {@code runDir/train.json} (with {@code --data-dir} still
     * taking precedence over the recorded directory).
     *
     * @param forceOffline never download, even without {@code --offline}
     */
    DataSplits loadOrFromRun(Path runDir, boolean forceOffline, PrintWriter err) {
        if (spec != null) {
            return load(spec, dataDir, offline || forceOffline, err);
        }
        if (!Files.isRegularFile(runDir.resolve(Training.STATE))) {
            throw new IllegalArgumentException("--data is required (the model directory records no data set)");
        }
        RunState st = Training.readState(runDir);
        Path dir = dataDir != null ? dataDir : (st.dataDir().isEmpty() ? null : Path.of(st.dataDir()));
        return load(st.dataSpec(), dir, offline || forceOffline, err);
    }

    static DataSplits load(String spec, Path dataDir, boolean offline, PrintWriter err) {
        DatasetDownloader.Listener l = new DatasetDownloader.Listener() {
            @Override
            public void started(String file, long totalBytes) {
                err.println("downloading " + file + (totalBytes > 0 ? " (" + totalBytes / 1024 + " KiB)" : ""));
            }

            @Override
            public void progress(String file, long bytesSoFar) {}

            @Override
            public void finished(String file) {
                err.println("  " + file + ": SHA-256 verified");
            }
        };
        return DataSources.load(spec, new org.vae4j.data.DataOptions(dataDir, offline, l));
    }
}
