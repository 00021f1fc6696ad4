package org.vae4j.spark;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.vae4j.model.VaeModel;
import org.vae4j.util.Engines;

/**
 * The saved models of this JVM, loaded once per executor and shared by all its tasks (what DJL's Spark extension does
 * per task with a transient field, done here once per process). Inference only reads the weights, and every call works
 * in its own NDManager sub-manager, so concurrent tasks can use one model. The first use sets PyTorch to one intra-op
 * thread: Spark runs one task per core, and each task computes on its own core instead of oversubscribing them.
 */
public final class SharedModels {
    private static final ConcurrentMap<String, VaeModel> MODELS = new ConcurrentHashMap<>();
    private static volatile boolean configured;

    private SharedModels() {}

    /**
     * The model saved in {@code dir}, loaded on first use in this JVM.
     *
     * @throws VaeSparkException in one line naming the host, the directory and the problem when it cannot be read here
     */
    public static VaeModel get(String dir) {
        configure();
        return MODELS.computeIfAbsent(dir, SharedModels::load);
    }

    /** One intra-op thread per task, offline engine (never download at run time): once per JVM. */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Engines.setThreads(1);
        configured = true;
    }

    private static VaeModel load(String dir) {
        Path p = Path.of(dir);
        if (!Files.isDirectory(p)) {
            throw new VaeSparkException("model " + dir + ": not a readable directory on " + host()
                    + " (every executor must see the model at this path: a shared file system, or copy it there)");
        }
        try {
            return VaeModel.load(p);
        } catch (RuntimeException e) {
            throw new VaeSparkException("model " + dir + " on " + host() + ": " + VaeSparkException.firstLine(e), e);
        }
    }

    /** This JVM's host name, for messages. */
    static String host() {
        try {
            return "host " + InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "this host";
        }
    }
}
