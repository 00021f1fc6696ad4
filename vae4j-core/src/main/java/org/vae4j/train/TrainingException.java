package org.vae4j.train;

/** Training could not continue (non-finite values, unusable run directory, mismatched data on resume). */
public class TrainingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one-line message naming the problem */
    public TrainingException(String message) {
        super(message);
    }
}
