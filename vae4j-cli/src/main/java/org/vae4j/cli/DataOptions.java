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
            description = "Data set: mnist, fashion-mnist, idx:DIR, shapes, shapes:rgb, images:DIR (see 'vae4j list').")
    String spec;

    // Image-folder options: folded into the images:DIR spec (so train.json records them for resume and evaluate).
    @Option(names = "--size", paramLabel = "S", description = "images:DIR only: resize every image to S×S (area averaging).")
    Integer size;

    @Option(names = "--image-channels", paramLabel = "1|3", description = "images:DIR only: 1 (grey, luminance) or 3 (RGB); default 1.")
    Integer imageChannels;

    @Option(names = "--crop", paramLabel = "center|none", description = "images:DIR only: centre-crop to a square before resizing (default none: squash).")
    String crop;

    @Option(names = "--val-fraction", paramLabel = "F", description = "images:DIR only: held-out (test) fraction, default 0.1 (seeded by the spec's seed=N).")
    Double valFraction;

    @Option(names = "--skip-bad", description = "images:DIR only: skip unreadable images (reported) instead of failing.")
    boolean skipBad;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "images:DIR only: where decoded pixels are cached (default $VAE4J_DATA/cache or ~/.vae4j/cache).")
    Path cacheDir;

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
        return load(resolvedSpec(), dataDir, offline, err);
    }

    /**
     * {@code --data} with the image-folder flags folded in as spec options, e.g. {@code images:DIR,size=64,channels=3}.
     *
     * @throws IllegalArgumentException if an image-folder flag is given without {@code --data images:DIR}
     */
    String resolvedSpec() {
        StringBuilder extra = new StringBuilder();
        java.util.List<String> flags = new java.util.ArrayList<>();
        if (size != null) {
            extra.append(",size=").append(size);
            flags.add("--size");
        }
        if (imageChannels != null) {
            extra.append(",channels=").append(imageChannels);
            flags.add("--image-channels");
        }
        if (crop != null) {
            extra.append(",crop=").append(crop);
            flags.add("--crop");
        }
        if (valFraction != null) {
            extra.append(",val=").append(valFraction);
            flags.add("--val-fraction");
        }
        if (skipBad) {
            extra.append(",skip-bad");
            flags.add("--skip-bad");
        }
        if (cacheDir != null) {
            extra.append(",cache-dir=").append(cacheDir);
            flags.add("--cache-dir");
        }
        if (flags.isEmpty()) {
            return spec;
        }
        String kind = spec == null ? "" : spec.trim().split(":", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!kind.equals("images")) {
            throw new IllegalArgumentException(String.join(", ", flags) + " applies to --data images:DIR only"
                    + (spec == null ? " (no --data given)" : ", not to " + spec));
        }
        return spec.contains(":") ? spec + extra : spec + ":" + extra.substring(1);
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
        if (spec != null || !resolvedSpecIsPlain()) {
            return load(resolvedSpec(), dataDir, offline || forceOffline, err);
        }
        if (!Files.isRegularFile(runDir.resolve(Training.STATE))) {
            throw new IllegalArgumentException("--data is required (the model directory records no data set)");
        }
        RunState st = Training.readState(runDir);
        Path dir = dataDir != null ? dataDir : (st.dataDir().isEmpty() ? null : Path.of(st.dataDir()));
        return load(st.dataSpec(), dir, offline || forceOffline, err);
    }

    private boolean resolvedSpecIsPlain() {
        return size == null && imageChannels == null && crop == null && valFraction == null && !skipBad && cacheDir == null;
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

            @Override
            public void info(String message) {
                err.println(message);
            }

            @Override
            public void warning(String message) {
                err.println("vae4j: warning: " + message);
            }
        };
        return DataSources.load(spec, new org.vae4j.data.DataOptions(dataDir, offline, l));
    }
}
