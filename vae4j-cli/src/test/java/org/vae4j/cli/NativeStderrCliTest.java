package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: every error after the engine started was preceded by libtorch's multi-line "AutoNonVariableTypeMode is
 * deprecated" warning, written by native code straight to the process's stderr (so only a separate process shows
 * it), and every {@code evaluate} and {@code sample} printed it. It came from {@code NDArray.set(Buffer)} when weights
 * were loaded; now nothing native reaches stderr, and an error is exactly one line.
 */
class NativeStderrCliTest {
    record Run(int code, String out, String err) {}

    static Run vae4j(Path tmp, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void nothingNativeReachesStderrAndAnErrorAfterEngineStartIsOneLine(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Run train = vae4j(tmp, "train", "--data", "shapes:n=300,test=60,size=8", "--hidden", "16", "--latent", "2", "--epochs", "1",
                "--threads", "1", "-q", "--out", run.toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.err()).isEmpty();

        Run eval = vae4j(tmp, "evaluate", "--model", run.toString());
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("-ELBO");
        assertThat(eval.err()).isEmpty();

        Run sample = vae4j(tmp, "sample", "--model", run.toString(), "-n", "4", "--out", tmp.resolve("s.png").toString());
        assertThat(sample.code()).as(sample.err()).isZero();
        assertThat(sample.err()).isEmpty();

        // a bad-data error after the model (and so the engine) was loaded
        Run bad = vae4j(tmp, "evaluate", "--model", run.toString(), "--data", "shapes:n=300,test=60,size=16");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).doesNotContain("AutoNonVariableTypeMode", "Warning");
        assertThat(bad.err().lines().toList()).hasSize(1)
                .allSatisfy(l -> assertThat(l).startsWith("vae4j: ").contains("but the model expects [1, 8, 8]"));
    }
}
