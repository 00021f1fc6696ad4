package org.vae4j.util;

import ai.djl.pytorch.jni.JniUtils;

/** Engine-wide settings. */
public final class Engines {
    private Engines() {}

    /** Sets PyTorch's intra-op thread count (0 leaves the default: all cores). */
    public static void setThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        if (threads > 0) {
            ai.djl.engine.Engine.getInstance(); // loads the native library; before that the JNI call fails with UnsatisfiedLinkError
            JniUtils.setNumThreads(threads);
        }
    }

    /** PyTorch's current intra-op thread count. */
    public static int threads() {
        return JniUtils.getNumThreads();
    }
}
