package org.vae4j.model;

import ai.djl.engine.Engine;
import java.time.Instant;
import java.util.Map;

/**
 * Where a saved model came from: everything needed to repeat the run.
 *
 * @param vae4jVersion vae4j version
 * @param djlVersion DJL version
 * @param engine engine name and version (e.g. PyTorch 2.7.1)
 * @param java Java runtime
 * @param os operating system and architecture
 * @param seed training seed
 * @param threads intra-op threads used
 * @param dataName data set name
 * @param dataSpec data specification as given by the user
 * @param dataHash SHA-256 of the training data
 * @param started start time (ISO-8601)
 * @param finished time of this save (ISO-8601)
 * @param epochs epochs completed
 * @param training training settings as JSON-friendly values
 * @param finalMetrics last epoch's metrics
 */
public record Provenance(
        String vae4jVersion,
        String djlVersion,
        String engine,
        String java,
        String os,
        long seed,
        int threads,
        String dataName,
        String dataSpec,
        String dataHash,
        String started,
        String finished,
        int epochs,
        Map<String, Object> training,
        Map<String, Double> finalMetrics) {

    /** vae4j's version (from the jar manifest, or "dev"). */
    public static String currentVersion() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    /** Engine description, e.g. "PyTorch 2.7.1". */
    public static String engineDescription() {
        Engine e = Engine.getInstance();
        return e.getEngineName() + " " + e.getVersion();
    }

    /** A provenance for the current runtime. */
    public static Provenance now(long seed, int threads, String dataName, String dataSpec, String dataHash, Instant started,
            int epochs, Map<String, Object> training, Map<String, Double> finalMetrics) {
        return new Provenance(currentVersion(), Engine.getDjlVersion(), engineDescription(),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                seed, threads, dataName, dataSpec, dataHash, started.toString(), Instant.now().toString(), epochs,
                training, finalMetrics);
    }
}
