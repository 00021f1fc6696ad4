package org.vae4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** {@code --master}, {@code --partitions}, {@code --conf}: where a {@code vae4j spark} command runs. */
final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N], spark://HOST:PORT (standalone), ... Default: the spark.master setting"
                    + " (spark-submit --master sets it), else local[*].")
    String master;

    /** {@code --master}, else what spark-submit passed as {@code spark.master}, else {@code local[*]}. */
    String master() {
        // never override spark-submit's --master with a default of our own: the job would run on the driver alone
        return master != null ? master : System.getProperty("spark.master", "local[*]");
    }

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions the records are split into (default: the cluster's default parallelism).")
    Integer partitions;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable), e.g. spark.executor.memory=4g."
            + " Without spark-submit, a cluster's executors get spark.executor.extraClassPath = this jar unless set.")
    Map<String, String> conf = new LinkedHashMap<>();

    /** Starts (or joins) the session; the caller stops it. */
    SparkSession start(String command) {
        if (partitions != null && partitions < 1) {
            throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
        }
        String url = master();
        SparkSession.Builder b = SparkSession.builder().master(url).appName("vae4j spark " + command)
                .config("spark.ui.enabled", "false")
                // a task that fails for vae4j's reasons (a model or record it cannot read) fails the same way again
                .config("spark.task.maxFailures", "1")
                .config("spark.ui.showConsoleProgress", "false");
        if (url.startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        if (!url.startsWith("local") && System.getProperty("spark.master") == null && !conf.containsKey("spark.jars")
                && !conf.containsKey("spark.executor.extraClassPath")) {
            // started by ./vae4j, not spark-submit (which ships the jars): executors on workers that see this machine's
            // paths load vae4j from this jar, whose manifest names the libraries beside it
            ownJar().ifPresent(j -> b.config("spark.executor.extraClassPath", j));
        }
        conf.forEach(b::config);
        return b.getOrCreate();
    }

    /** The jar this class was loaded from, if it is one. */
    static java.util.Optional<String> ownJar() {
        try {
            java.security.CodeSource src = SparkOptions.class.getProtectionDomain().getCodeSource();
            java.nio.file.Path p = java.nio.file.Path.of(src.getLocation().toURI());
            return p.toString().endsWith(".jar") && java.nio.file.Files.isRegularFile(p)
                    ? java.util.Optional.of(p.toAbsolutePath().toString()) : java.util.Optional.empty();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The partitions to use: {@code --partitions}, else the cluster's default parallelism. */
    int partitions(SparkSession s) {
        return partitions != null ? partitions : Math.max(1, s.sparkContext().defaultParallelism());
    }
}
