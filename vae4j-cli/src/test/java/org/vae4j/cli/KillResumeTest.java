package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.io.SafeTensors;

/** SIGKILL a real training process mid-epoch, resume it, and get what an uninterrupted run gets. */
class KillResumeTest {
    static final String DATA = "shapes:n=4000,test=200,size=16";

    static List<String> args(String target, Path dir) {
        return List.of("train", "--data", DATA, "--hidden", "128", "--latent", "4", "--epochs", "4", "--batch-size", "16",
                "--threads", "1", "--seed", "3", "-q", target, dir.toString());
    }

    static int cli(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        return code;
    }

    /** metrics.csv without the timing columns (seconds, eval_seconds, images_per_s). */
    static List<String> deterministicMetrics(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.csv"))) {
            String[] f = line.split(",");
            out.add(String.join(",", f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[10], f[11]));
        }
        return out;
    }

    @Test
    void killedDuringAnEpochAndResumedEqualsUninterrupted(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole");
        cli(args("--out", whole));

        Path killed = tmp.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args("--out", killed));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        Path firstCheckpoint = killed.resolve("checkpoints").resolve("epoch-0002.safetensors");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(firstCheckpoint) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(150); // into epoch 3
        assertThat(p.isAlive()).as("child still training when killed; log: %s", tmp.resolve("child.log")).isTrue();
        p.destroyForcibly(); // SIGKILL
        p.waitFor();
        assertThat(Files.exists(killed.resolve("checkpoints").resolve("epoch-0004.safetensors"))).isFalse();

        cli(List.of("train", "--resume", killed.toString(), "-q"));

        assertThat(deterministicMetrics(killed)).isEqualTo(deterministicMetrics(whole)).hasSize(5);
        SafeTensors.Contents a = SafeTensors.read(whole.resolve("weights.safetensors"));
        SafeTensors.Contents b = SafeTensors.read(killed.resolve("weights.safetensors"));
        assertThat(b.tensors().keySet()).isEqualTo(a.tensors().keySet());
        for (String k : a.tensors().keySet()) {
            assertThat(b.tensors().get(k).toFloatArray()).as(k).containsExactly(a.tensors().get(k).toFloatArray());
        }
        assertThat(new File(killed.toFile(), ".lock")).doesNotExist();
    }
}
