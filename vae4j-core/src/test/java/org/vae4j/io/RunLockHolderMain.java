package org.vae4j.io;

import java.nio.file.Path;

/**
 * Test helper run in a separate JVM by {@link RunLockTest}: locks the directory given as the only
 * argument, prints {@code LOCKED}, and holds the lock until its standard input is closed.
 */
public final class RunLockHolderMain {

  private RunLockHolderMain() {}

  /**
   * Entry point.
   *
   * @param args the run directory
   * @throws Exception on any failure, which makes the test fail
   */
  public static void main(String[] args) throws Exception {
    try (RunLock lock = RunLock.acquire(Path.of(args[0]))) {
      System.out.println("LOCKED");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the lock until the parent closes our stdin
      }
    }
    System.out.println("RELEASED");
  }
}
