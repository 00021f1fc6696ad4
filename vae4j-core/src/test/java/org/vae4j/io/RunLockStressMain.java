package org.vae4j.io;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test helper run in several JVMs at once by {@link RunLockTest}: repeatedly acquires and closes
 * the lock and, while holding it, claims a marker file with an exclusive create. If two processes
 * ever hold the lock together, one of them fails the create and exits with status 2.
 */
public final class RunLockStressMain {

  private RunLockStressMain() {}

  /**
   * Entry point.
   *
   * @param args the run directory and the number of iterations
   * @throws Exception on unexpected failures (exit status 1)
   */
  public static void main(String[] args) throws Exception {
    Path run = Path.of(args[0]);
    int iterations = Integer.parseInt(args[1]);
    Path marker = run.resolve("holder");
    int held = 0;
    for (int i = 0; i < iterations; i++) {
      try (RunLock lock = RunLock.acquire(run)) {
        try {
          Files.createFile(marker);
        } catch (FileAlreadyExistsException e) {
          System.out.println("EXCLUSION VIOLATED");
          System.exit(2);
        }
        held++;
        Thread.onSpinWait();
        Files.delete(marker);
      } catch (IllegalStateException busy) {
        // another process holds it; try again
      }
    }
    System.out.println("HELD " + held);
  }
}
