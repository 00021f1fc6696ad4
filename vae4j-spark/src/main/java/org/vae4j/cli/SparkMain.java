package org.vae4j.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.vae4j.spark.VaeSparkException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vae4j spark ...}: the per-record commands and training on a Spark cluster. A separate entry point in its own
 * jar (vae4j-spark), so that Spark and the libraries it pins never enter the default CLI's class path; the launcher
 * runs it for {@code ./vae4j spark ...} only.
 */
@Command(name = "vae4j spark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "vae4j on Apache Spark: score, encode and train with the records spread over a cluster (--master).",
        subcommands = {SparkScoreCommand.class, SparkEncodeCommand.class, SparkTrainCommand.class, CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Entry point (also for spark-submit: {@code --class org.vae4j.cli.SparkMain}). */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(out, err, args));
    }

    /**
     * Runs a command with the given streams (tests).
     *
     * @return the exit code: 0, 1 (data, model, job failure) or 2 (options)
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Main.execute(new SparkMain(), out, err, SparkMain::exitCode, SparkMain::message, args);
    }

    /** A failed Spark job is a runtime failure (1) whatever its cause; everything else as the CLI maps it. */
    static int exitCode(Throwable ex) {
        return isSparkJob(ex) ? Main.EXIT_FAILURE : Main.exitCode(ex);
    }

    static String message(Throwable ex) {
        return isSparkJob(ex) ? VaeSparkException.rootMessage(ex) : Main.message(ex);
    }

    private static boolean isSparkJob(Throwable ex) {
        return ex instanceof org.apache.spark.SparkException || ex instanceof VaeSparkException
                || VaeSparkException.stoppedContext(ex)
                || (ex.getClass().getName().startsWith("org.apache.spark") && !(ex instanceof IllegalArgumentException));
    }
}
