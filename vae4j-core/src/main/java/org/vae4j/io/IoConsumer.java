package org.vae4j.io;

import java.io.IOException;

/**
 * A consumer that may throw {@link IOException}, used to stream content into files written by
 * {@link AtomicFiles}.
 *
 * @param <T> the type of the consumed value, typically {@link java.io.OutputStream}
 */
@FunctionalInterface
public interface IoConsumer<T> {

  /**
   * Performs this operation on the given value.
   *
   * @param t the value
   * @throws IOException if writing fails; the surrounding operation is then abandoned
   */
  void accept(T t) throws IOException;
}
