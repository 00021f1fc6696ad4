package org.vae4j.io;

/**
 * Thrown when a model file (or any other vae4j data file) is malformed, truncated, inconsistent
 * or otherwise cannot be interpreted.
 *
 * <p>The message is always a single line of the form {@code "<source>: <problem>"}, for example
 * {@code weights.safetensors: tensor 'encoder.fc1.weight' data offsets [0, 999999999] exceed the
 * file's 1234 data bytes}, so that it can be shown to users and written to logs as is.
 */
public class ModelFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the given message; line breaks are replaced by spaces so the message
   * stays on one line even if it embeds text taken from the file, and other control characters are
   * shown as {@code \\uXXXX} escapes.
   *
   * @param message the message, conventionally {@code "<source>: <problem>"}
   */
  public ModelFormatException(String message) {
    super(oneLine(message));
  }

  /**
   * Creates an exception with the given message and cause.
   *
   * @param message the message, conventionally {@code "<source>: <problem>"}
   * @param cause the underlying exception, for example a JSON syntax error
   */
  public ModelFormatException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /**
   * Creates an exception whose message is {@code source + ": " + problem}.
   *
   * @param source the file name or other description of where the data came from
   * @param problem what is wrong, as a lower-case phrase without trailing period
   * @return the new exception (to be thrown by the caller)
   */
  public static ModelFormatException of(String source, String problem) {
    return new ModelFormatException(source + ": " + problem);
  }

  // Messages embed tensor names and parser messages taken from untrusted files; keep them on one line, and keep
  // other control characters (a terminal escape sequence in a hostile config.json, say) out of them as \\uXXXX.
  static String oneLine(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r' || c == '\t' || c == '\u000b' || c == '\f' || c == '\u0085' || c == '\u2028'
          || c == '\u2029') {
        b.append(' ');
      } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
