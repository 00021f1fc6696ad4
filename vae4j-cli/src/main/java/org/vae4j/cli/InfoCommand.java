package org.vae4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vae4j.model.ModelStore;
import org.vae4j.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vae4j info RUN}. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Print a saved model's config, provenance and metrics.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "Model (run) directory.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        out.println("config (" + dir.resolve(ModelStore.CONFIG) + "):");
        out.print(Json.write(ModelStore.readConfig(dir)));
        var prov = ModelStore.readProvenance(dir);
        out.println("provenance:");
        out.print(prov == null ? "  (none)\n" : Json.write(prov));
        Path metrics = dir.resolve("metrics.csv");
        if (Files.isRegularFile(metrics)) {
            out.println("metrics.csv:");
            Files.readAllLines(metrics).forEach(out::println);
        }
        return 0;
    }
}
