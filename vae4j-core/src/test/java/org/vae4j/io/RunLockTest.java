package org.vae4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {

  @TempDir Path dir;

  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void acquireCreatesDirectoryWritesPidAndCloseDeletes() throws IOException {
    Path run = dir.resolve("runs").resolve("x");
    try (RunLock lock = RunLock.acquire(run)) {
      assertThat(lock.isHeld()).isTrue();
      assertThat(lock.runDir()).isEqualTo(run);
      assertThat(Files.readString(run.resolve(RunLock.LOCK_FILE)).trim())
          .isEqualTo(Long.toString(SELF));
      // Reading the file above opened and closed a descriptor, which on POSIX drops our record
      // lock; the in-JVM registry still refuses a second acquire, which is what matters here.
      assertThatThrownBy(() -> RunLock.acquire(run))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(run + ": this run directory is already locked by this process (pid " + SELF + ")");
    }
    assertThat(run.resolve(RunLock.LOCK_FILE)).doesNotExist();
    try (RunLock again = RunLock.acquire(run)) {
      assertThat(again.isHeld()).isTrue();
    }
  }

  @Test
  void closeIsIdempotent() {
    RunLock lock = RunLock.acquire(dir);
    lock.close();
    lock.close();
    assertThat(lock.isHeld()).isFalse();
  }

  @Test
  void sameDirectoryThroughDifferentPathsIsTheSameLock() throws IOException {
    Path run = Files.createDirectory(dir.resolve("r"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), run);
    try (RunLock lock = RunLock.acquire(run)) {
      assertThatThrownBy(() -> RunLock.acquire(link)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> RunLock.acquire(dir.resolve("r/../r")))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void foreignLockInThisJvmCountsAsLocked() throws IOException {
    Path lockFile = dir.resolve(RunLock.LOCK_FILE);
    try (FileChannel ch =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = ch.lock()) {
      assertThat(held.isValid()).isTrue();
      // FileChannel.tryLock inside the same JVM throws OverlappingFileLockException.
      assertThatThrownBy(() -> RunLock.acquire(dir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already locked by this process");
    }
  }

  @Test
  void parentThatIsAFileGivesClearError() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> RunLock.acquire(file.resolve("run")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith(file.resolve("run") + ": cannot create run directory: ");
  }

  @Test
  @Timeout(30)
  void concurrentAcquiresInOneJvmAreExclusive() throws Exception {
    // Threads race acquire/close on one directory: at most one may ever hold it at a time.
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger maxHolders = new AtomicInteger();
    AtomicInteger successes = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      futures.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < 200; i++) {
                  try (RunLock lock = RunLock.acquire(dir)) {
                    maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                    successes.incrementAndGet();
                    holders.decrementAndGet();
                  } catch (IllegalStateException expected) {
                    // someone else holds it right now
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(maxHolders.get()).isEqualTo(1);
    assertThat(successes.get()).isPositive();
    assertThat(dir.resolve(RunLock.LOCK_FILE)).doesNotExist();
  }

  @Test
  @Timeout(60)
  void anotherProcessHoldingTheLockIsReportedWithItsPid() throws Exception {
    Path run = dir.resolve("run");
    Process child = startHolder(run);
    try {
      assertThatThrownBy(() -> RunLock.acquire(run))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              run + ": another vae4j process (pid " + child.pid()
                  + ") is using this run directory");
      child.getOutputStream().close(); // tells the child to release and exit
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isZero();
      try (RunLock lock = RunLock.acquire(run)) {
        assertThat(lock.isHeld()).isTrue();
      }
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  @Timeout(60)
  void lockOfAKilledProcessIsReleasedByTheOs() throws Exception {
    Path run = dir.resolve("run");
    Process child = startHolder(run);
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(run.resolve(RunLock.LOCK_FILE)).exists(); // stale file left behind by the crash
    try (RunLock lock = RunLock.acquire(run)) {
      assertThat(Files.exists(run.resolve(RunLock.LOCK_FILE))).isTrue();
    }
  }

  @Test
  @Timeout(120)
  void processesRacingForTheLockNeverHoldItTogether() throws Exception {
    // Exercises the race between one holder deleting .lock on close and another locking it.
    Path run = Files.createDirectory(dir.resolve("race"));
    List<Process> children = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      children.add(
          javaProcess(RunLockStressMain.class, run.toString(), "1500")
              .redirectOutput(dir.resolve("child-" + i + ".log").toFile())
              .start());
    }
    int totalHeld = 0;
    for (int i = 0; i < children.size(); i++) {
      Process child = children.get(i);
      try {
        assertThat(child.waitFor(100, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(dir.resolve("child-" + i + ".log"));
        assertThat(child.exitValue()).as(log).isZero();
        totalHeld += Integer.parseInt(log.trim().replace("HELD ", ""));
      } finally {
        child.destroyForcibly();
      }
    }
    assertThat(totalHeld).isPositive();
    assertThat(run.resolve(RunLock.LOCK_FILE)).doesNotExist();
  }

  private static ProcessBuilder javaProcess(Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1"); // short-lived helper: start fast
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  /** Starts {@link RunLockHolderMain} in a new JVM and waits until it holds the lock. */
  private static Process startHolder(Path run) throws Exception {
    Process child = javaProcess(RunLockHolderMain.class, run.toString()).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> firstLine =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return out.readLine();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    String line = firstLine.get(30, TimeUnit.SECONDS);
    if (!"LOCKED".equals(line)) {
      child.destroyForcibly();
      throw new AssertionError("holder process did not lock: " + line);
    }
    return child;
  }
}
