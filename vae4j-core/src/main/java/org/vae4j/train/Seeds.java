package org.vae4j.train;

/** Derives independent, reproducible seeds from the run seed (so any epoch can be replayed exactly on resume). */
public final class Seeds {
    private Seeds() {}

    /** A well-mixed seed for (seed, epoch, purpose). */
    public static long derive(long seed, long epoch, long purpose) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + purpose * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A non-negative int seed for the engine. */
    public static int engineSeed(long seed, long epoch, long purpose) {
        return (int) (derive(seed, epoch, purpose) & 0x7fffffff);
    }
}
