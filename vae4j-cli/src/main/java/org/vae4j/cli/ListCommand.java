package org.vae4j.cli;

import java.util.concurrent.Callable;
import org.vae4j.data.DataSourceOption;
import org.vae4j.data.DataSourceProvider;
import org.vae4j.data.DataSources;
import org.vae4j.likelihood.LikelihoodKind;
import org.vae4j.model.ModelVariant;
import org.vae4j.model.ModelVariants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code vae4j list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List model variants, likelihoods and data sources with their options.")
final class ListCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println("models (--model):");
        for (ModelVariant v : ModelVariants.list()) {
            out.printf("  %-22s %s%n", v.name(), v.description());
            out.printf("  %-22s can: %s%n", "", v.capabilities().stream().sorted().map(c -> c.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        out.println("likelihoods (--likelihood):");
        for (LikelihoodKind k : LikelihoodKind.values()) {
            out.printf("  %-22s %s%n", k.id(), k.description());
        }
        out.println("data sources (--data):");
        for (DataSourceProvider p : DataSources.providers()) {
            out.printf("  %-22s %s%n", p.kind(), p.description());
            for (DataSourceOption o : p.options()) {
                String flag = o.flag() + (o.paramLabel() == null ? "" : " " + o.paramLabel());
                out.printf("  %-22s   %-22s %s%s%n", "", flag, o.description(),
                        " [" + specForm(o) + (o.defaultValue() == null ? "" : "; default " + o.defaultValue()) + "]");
            }
        }
        return 0;
    }

    /** How an option appears in a spec: {@code size=S}, {@code ignore=A;B}, {@code skip-bad}. */
    private static String specForm(DataSourceOption o) {
        return switch (o.type()) {
            case FLAG -> o.key();
            case LIST -> o.key() + "=" + o.paramLabel().replace(',', ';');
            default -> o.key() + "=" + o.paramLabel();
        };
    }
}
