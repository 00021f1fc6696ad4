package org.vae4j.data;

/**
 * Thrown when a data source cannot be read, downloaded, verified or parsed.
 *
 * <p>The message is a single line that names the offending file (or data spec) and states the
 * problem, so that it can be shown to a user as is, for example
 * {@code train-images-idx3-ubyte.gz: truncated: header declares 60000 images of 28x28
 * (47040000 bytes) but only 1234 bytes follow}.
 */
public class DataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a one-line message.
     *
     * @param message what went wrong, naming the file or spec concerned
     */
    public DataException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a one-line message and the low-level cause.
     *
     * @param message what went wrong, naming the file or spec concerned
     * @param cause the underlying exception (for example an {@link java.io.IOException})
     */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
