package org.vae4j.cli;

import java.nio.file.Path;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Option;

/** {@code --model RUN} for commands that use a saved model. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "RUN", description = "Saved model (run) directory.")
    Path dir;

    VaeModel load() {
        return VaeModel.load(dir);
    }
}
