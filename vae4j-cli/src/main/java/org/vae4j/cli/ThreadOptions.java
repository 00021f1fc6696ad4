package org.vae4j.cli;

import org.vae4j.util.Engines;
import picocli.CommandLine.Option;

/** {@code --threads}. */
final class ThreadOptions {
    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "PyTorch intra-op threads (default: all cores; 1 gives bit-identical runs).")
    int threads;

    void apply() {
        Engines.setThreads(threads);
    }
}
