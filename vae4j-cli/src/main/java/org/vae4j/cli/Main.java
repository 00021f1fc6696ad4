package org.vae4j.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.vae4j.data.DataException;
import org.vae4j.io.ModelFormatException;
import org.vae4j.train.TrainingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vae4j} command: lists its subcommands; each is a thin layer over vae4j-core. */
@Command(
        name = "vae4j",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Variational autoencoders for the JVM: train, evaluate and use VAEs.",
        subcommands = {
            QuickstartCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            SampleCommand.class,
            ReconstructCommand.class,
            InfoCommand.class,
            ListCommand.class,
            DiagnoseCommand.class,
            InterpolateCommand.class,
            TraverseCommand.class,
            LatentMapCommand.class,
            ManifoldCommand.class,
            InpaintCommand.class,
            OutfillCommand.class,
            RestoreCommand.class,
            ColorizeCommand.class,
            ServeCommand.class,
            LecturesCommand.class,
            EncodeCommand.class,
            ScoreCommand.class,
            DensityCommand.class,
            JudgeCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Exit code for bad data, models or runtime failures. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for invalid options. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Entry point. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(out, err, args));
    }

    /**
     * Runs the CLI with the given streams (for tests and embedding).
     *
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return execute(new Main(), out, err, Main::exitCode, Main::message, args);
    }

    /**
     * Runs a picocli command tree with the CLI's handling of failures: a usage error is one line and exit 2; any other
     * failure one line ({@code message}) and {@code exitCode}'s code, with the stack trace under {@code VAE4J_DEBUG}.
     * Other entry points (the Spark module's) pass their own mapping, which extends {@link #exitCode}.
     */
    public static int execute(Object root, PrintWriter out, PrintWriter err, java.util.function.ToIntFunction<Throwable> exitCode,
            java.util.function.Function<Throwable, String> message, String... args) {
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("vae4j: " + firstLine(ex.getMessage()) + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("vae4j: " + message.apply(ex));
            if (System.getenv("VAE4J_DEBUG") != null) {
                ex.printStackTrace(c.getErr());
            }
            return exitCode.applyAsInt(ex);
        });
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The one place mapping failures to exit codes. */
    static int exitCode(Throwable ex) {
        if (ex instanceof IllegalArgumentException && !(ex instanceof DataInputException)) {
            return EXIT_USAGE;
        }
        return EXIT_FAILURE;
    }

    /** A one-line message for a failure. */
    static String message(Throwable ex) {
        String m = ex.getMessage();
        if (ex instanceof OutOfMemoryError) {
            return "out of memory (" + m + "); raise the heap with VAE4J_JAVA_OPTS=-Xmx8g or use a smaller --batch-size";
        }
        if (ex instanceof DataException || ex instanceof ModelFormatException || ex instanceof TrainingException
                || ex instanceof UncheckedIOException || ex instanceof IllegalArgumentException || ex instanceof IllegalStateException) {
            return firstLine(m);
        }
        return ex.getClass().getSimpleName() + ": " + firstLine(m);
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "unknown error";
        }
        int i = m.indexOf('\n');
        return i < 0 ? m : m.substring(0, i);
    }

    /** Marks invalid input data reported as IllegalArgumentException by lower layers. */
    static final class DataInputException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        DataInputException(String m) {
            super(m);
        }
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"vae4j " + org.vae4j.model.Provenance.currentVersion()};
        }
    }
}
