package org.vae4j.web;

/** A client error: answered with its HTTP status (400 unless given) and a JSON {"error": message}. */
public class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    /**
     * A 400 answer.
     *
     * @param message what is wrong, one line, safe to show
     */
    public BadRequest(String message) {
        this(400, message);
    }

    /**
     * An answer with another 4xx status.
     *
     * @param status 4xx (or 503 when busy)
     * @param message what is wrong, one line, safe to show
     */
    public BadRequest(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
