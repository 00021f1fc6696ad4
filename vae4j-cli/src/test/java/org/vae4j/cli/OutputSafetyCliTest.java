package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vae4j.cli.CliRun.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.CliRun.Result;

/** The command line refusing to write where it must not: under a regular file, and into a run another process uses. */
class OutputSafetyCliTest {
    static final String DATA = "shapes:n=3000,test=300,size=16";

    static List<String> train(int epochs, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--data", DATA, "--hidden", "64", "--latent", "4", "--epochs",
                Integer.toString(epochs), "--threads", "1", "--seed", "7", "-q"));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void trainingUnderARegularFileExitsOneWithOneLine(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path run = file.resolve("run");
        Result r = cli(train(1, "--out", run.toString()).toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.err()).isEqualTo("vae4j: " + run + ": cannot prepare run directory: " + run + ": Not a directory"
                + System.lineSeparator());
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void aSecondProcessCannotTrainIntoARunThatIsBeingTrained(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(train(60, "--out", run.toString()));
        Path log = tmp.resolve("child.log");
        Process first = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Path checkpoints = run.resolve("checkpoints");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.isDirectory(checkpoints) && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(first.isAlive()).as("first process still training; log %s", log).isTrue();
            String pid = Long.toString(first.pid());
            String refusal = "vae4j: " + run + ": another vae4j process (pid " + pid + ") is using this run directory"
                    + System.lineSeparator();

            Result resume = cli("train", "--resume", run.toString(), "-q");
            assertThat(resume.code()).as(resume.err()).isEqualTo(Main.EXIT_FAILURE);
            assertThat(resume.err()).isEqualTo(refusal);

            // --force must not delete anything of a run that is in use
            Result force = cli(train(2, "--out", run.toString(), "--force").toArray(String[]::new));
            assertThat(force.code()).as(force.err()).isEqualTo(Main.EXIT_FAILURE);
            assertThat(force.err()).isEqualTo(refusal);
            assertThat(run.resolve("train.json")).exists();

            Result plain = cli(train(2, "--out", run.toString()).toArray(String[]::new));
            assertThat(plain.code()).as(plain.err()).isEqualTo(Main.EXIT_FAILURE);
            assertThat(plain.err()).contains("already exists and is not empty");

            assertThat(first.isAlive()).as("first process still training after the refusals; log %s", log).isTrue();
            // the first run is undisturbed: it finishes all its epochs
            assertThat(first.waitFor(300, TimeUnit.SECONDS)).as("first process finished; log %s", log).isTrue();
            assertThat(first.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(61);
            assertThat(run.resolve(".lock")).doesNotExist();
        } finally {
            first.destroyForcibly();
            first.waitFor();
        }
    }
}
