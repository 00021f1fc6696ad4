package org.vae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.vae4j.data.DataSourceOption;
import org.vae4j.data.DataSourceProvider;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.data.DatasetDownloader;
import org.vae4j.data.TableSchema;
import org.vae4j.model.ModelStore;
import org.vae4j.train.RunState;
import org.vae4j.train.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Shared data options: {@code --data}, {@code --data-dir}, {@code --offline} and the options of every installed data
 * source ({@link DataSourceProvider#options()}: {@code --size}, {@code --label-column}, ...), which {@link SourceFlags}
 * adds to each command that mixes this in. Which flag belongs to which kind of data is the providers' business: the
 * flags given are folded into the spec of the kind {@code --data} names by {@link DataSources#withOptions}, which
 * refuses a flag that kind does not take.
 */
@Command(modelTransformer = DataOptions.SourceFlags.class)
final class DataOptions {
    @Option(names = "--data", paramLabel = "SPEC", completionCandidates = Kinds.class,
            description = "Data set: ${COMPLETION-CANDIDATES} (see 'vae4j list').")
    String spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where mnist/fashion-mnist files live or are downloaded to (default $VAE4J_DATA/<name> or ~/.vae4j/data/<name>).")
    Path dataDir;

    @Option(names = "--offline", description = "Never download; fail with a message saying where to put the files.")
    boolean offline;

    /** The data sources' options given, by name ({@code size}), as picocli converted them. */
    private final Map<String, Object> sourceValues = new LinkedHashMap<>();

    /** Every data source option's name, in help order (set when the command is built). */
    private List<String> sourceNames = List.of();

    /** Loads the data, reporting downloads on {@code err}. */
    DataSplits load(PrintWriter err) {
        if (spec == null) {
            throw new IllegalArgumentException("--data is required (e.g. --data shapes or --data idx:DIR)");
        }
        return load(resolvedSpec(), dataDir, offline, null, err);
    }

    /** Loads {@code --data} (required) for use with the model in {@code runDir}: a table is encoded with the model's schema. */
    DataSplits loadFor(Path runDir, PrintWriter err) {
        if (spec == null) {
            return load(err);
        }
        return loadOrFromRun(runDir, false, err);
    }

    /**
     * {@code --data} with the data sources' flags given folded in by its provider (e.g. {@code images:DIR,size=64,channels=3};
     * for {@code csv:} data the canonical spec, absolute file and every option spelled out), the spec that reproduces the
     * data; {@code null} without {@code --data} and flags.
     *
     * @throws IllegalArgumentException if a flag is given with a kind of data that does not take it, without
     *     {@code --data}, or contradicts the spec
     */
    String resolvedSpec() {
        return DataSources.withOptions(spec, givenSourceOptions());
    }

    /** The data sources' options given, by name, as text ({@link DataSourceOption#normalise} reads it). */
    Map<String, String> givenSourceOptions() {
        Map<String, String> given = new LinkedHashMap<>();
        for (String name : sourceNames) {
            Object v = sourceValues.get(name);
            if (v instanceof List<?> items) {
                given.put(name, items.stream().map(String::valueOf).collect(Collectors.joining(",")));
            } else if (v instanceof Boolean b) {
                if (b) {
                    given.put(name, "true");
                }
            } else if (v != null) {
                given.put(name, String.valueOf(v));
            }
        }
        return given;
    }

    /** Whether {@code --data} was given or the run directory records the data set it was trained on. */
    boolean available(Path runDir) {
        return spec != null || Files.isRegularFile(runDir.resolve(Training.STATE));
    }

    /**
     * {@code --data}; without it, the data set recorded in {@code runDir/train.json} (with {@code --data-dir} still
     * taking precedence over the recorded directory) and the run's label selection ({@code --only-labels} /
     * {@code --exclude-labels}), so that ids written from it (density weights) match the data the run trained on.
     *
     * @param forceOffline never download, even without {@code --offline}
     */
    DataSplits loadOrFromRun(Path runDir, boolean forceOffline, PrintWriter err) {
        // a table is encoded with the model's stored column statistics, never with the file's own
        TableSchema table = Files.isRegularFile(runDir.resolve(ModelStore.CONFIG)) ? ModelStore.readConfig(runDir).transform().table() : null;
        if (spec != null) {
            return load(resolvedSpec(), dataDir, offline || forceOffline, table, err);
        }
        if (!Files.isRegularFile(runDir.resolve(Training.STATE))) {
            throw new IllegalArgumentException("--data is required (the model directory records no data set)");
        }
        Map<String, String> given = givenSourceOptions();
        if (!given.isEmpty()) {
            List<String> flags = given.keySet().stream().map(n -> "--" + n).toList();
            throw new IllegalArgumentException(String.join(", ", flags) + (flags.size() == 1 ? " needs" : " need")
                    + " --data (without it the run's recorded data spec is used as is)");
        }
        RunState st = Training.readState(runDir);
        Path dir = dataDir != null ? dataDir : (st.dataDir().isEmpty() ? null : Path.of(st.dataDir()));
        return st.selection().labelFilter().apply(load(st.dataSpec(), dir, offline || forceOffline, table, err));
    }

    static DataSplits load(String spec, Path dataDir, boolean offline, PrintWriter err) {
        return load(spec, dataDir, offline, null, err);
    }

    static DataSplits load(String spec, Path dataDir, boolean offline, TableSchema table, PrintWriter err) {
        DatasetDownloader.Listener l = new DatasetDownloader.Listener() {
            @Override
            public void started(String file, long totalBytes) {
                err.println("downloading " + file + (totalBytes > 0 ? " (" + totalBytes / 1024 + " KiB)" : ""));
            }

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
        return DataSources.load(spec, new org.vae4j.data.LoadContext(dataDir, offline, l, table));
    }

    /** The installed kinds of data, as their specs' short forms ({@code idx:DIR}), for {@code --data}'s help. */
    static final class Kinds implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return DataSources.providers().stream().map(DataSourceProvider::syntax).iterator();
        }
    }

    /**
     * Adds every installed data source's options to a command that mixes in {@link DataOptions}, right after
     * {@code --data}. An option several kinds declare is one flag whose help says which kinds take it; a name the command
     * already uses for an option of its own stays the command's (the source's option is not offered there). Picocli
     * applies a mixin's model transformer to the command it is mixed into (so a command must not declare one itself).
     */
    static final class SourceFlags implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            DataOptions mixin = null;
            for (CommandSpec m : command.mixins().values()) {
                if (m.userObject() instanceof DataOptions d) {
                    mixin = d;
                }
            }
            OptionSpec data = command.findOption("--data");
            if (mixin == null || data == null) {
                return command;
            }
            List<DataSourceProvider> providers = DataSources.providers();
            Map<String, List<DataSourceOption>> declared = new LinkedHashMap<>();
            Map<String, List<DataSourceProvider>> declarers = new LinkedHashMap<>();
            for (DataSourceProvider p : providers) {
                for (DataSourceOption o : p.options()) {
                    declared.computeIfAbsent(o.name(), n -> new ArrayList<>()).add(o);
                    declarers.computeIfAbsent(o.name(), n -> new ArrayList<>()).add(p);
                }
            }
            // re-add the options in their order with the sources' flags after --data (options of an argument group
            // cannot be removed, so they stay where they are: before the others)
            List<OptionSpec> movable = command.options().stream().filter(o -> o.group() == null).toList();
            movable.forEach(command::remove);
            List<String> names = new ArrayList<>();
            for (OptionSpec o : movable) {
                command.addOption(o);
                if (o != data) {
                    continue;
                }
                for (Map.Entry<String, List<DataSourceOption>> e : declared.entrySet()) {
                    String flag = "--" + e.getKey();
                    if (command.findOption(flag) == null && movable.stream().noneMatch(m -> List.of(m.names()).contains(flag))) {
                        command.addOption(flag(mixin, e.getValue(), declarers.get(e.getKey())));
                        names.add(e.getKey());
                    }
                }
            }
            mixin.sourceNames = List.copyOf(names);
            return command;
        }

        /** One flag for an option that {@code providers} declare (as {@code declarations}, the first one's text). */
        private static OptionSpec flag(DataOptions mixin, List<DataSourceOption> declarations, List<DataSourceProvider> providers) {
            DataSourceOption first = declarations.get(0);
            // kinds that disagree on a value type get the text, which each kind's own declaration then checks
            DataSourceOption.Type type = declarations.stream().allMatch(o -> o.type() == first.type())
                    || first.type() == DataSourceOption.Type.FLAG ? first.type() : DataSourceOption.Type.TEXT;
            List<String> syntaxes = providers.stream().map(DataSourceProvider::syntax).toList();
            String kinds = syntaxes.size() == 1 ? syntaxes.get(0) + " only"
                    : String.join(", ", syntaxes.subList(0, syntaxes.size() - 1)) + " and " + syntaxes.get(syntaxes.size() - 1);
            String name = first.name();
            OptionSpec.Builder b = OptionSpec.builder(first.flag())
                    .description(kinds + ": " + first.description())
                    .setter(new ISetter() {
                        @Override
                        public <T> T set(T value) {
                            @SuppressWarnings("unchecked")
                            T old = (T) (value == null ? mixin.sourceValues.remove(name) : mixin.sourceValues.put(name, value));
                            return old;
                        }
                    })
                    .getter(new IGetter() {
                        @Override
                        @SuppressWarnings("unchecked")
                        public <T> T get() {
                            return (T) mixin.sourceValues.get(name);
                        }
                    });
            switch (type) {
                case FLAG -> b.type(Boolean.class).arity("0");
                case INTEGER -> b.type(Integer.class).arity("1").paramLabel(first.paramLabel());
                case NUMBER -> b.type(Double.class).arity("1").paramLabel(first.paramLabel());
                case PATH -> b.type(Path.class).arity("1").paramLabel(first.paramLabel());
                case LIST -> b.type(List.class).auxiliaryTypes(String.class).splitRegex(",").arity("1").paramLabel(first.paramLabel());
                case TEXT -> b.type(String.class).arity("1").paramLabel(first.paramLabel());
                default -> throw new IllegalStateException(type.toString());
            }
            return b.build();
        }
    }
}
