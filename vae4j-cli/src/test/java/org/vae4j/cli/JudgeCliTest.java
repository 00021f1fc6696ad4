package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.vae4j.cli.CliRun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.CliRun.Result;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.Npy;

/** {@code vae4j judge --samples / --data-samples}: the yardstick's table and JSON, its cache, and bad input. */
class JudgeCliTest {
    /** Shapes of 16×16: three classes (square, ellipse, heart). */
    static final String DATA = "shapes:n=900,test=200,size=16";

    @TempDir
    static Path tmp;

    static Path cache;
    static Path noise;

    @BeforeAll
    static void files() {
        cache = tmp.resolve("cache");
        noise = tmp.resolve("noise.npy");
        // 60 images of uniform noise, (N, H, W)
        SplittableRandom r = new SplittableRandom(1);
        float[] v = new float[60 * 256];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble();
        }
        write(noise, v, 60, 16, 16);
    }

    static void write(Path f, float[] v, long... shape) {
        AtomicFiles.write(f, os -> {
            os.write(Npy.float32Header(shape));
            Npy.writeFloats(os, v, 0, v.length);
        });
    }

    static String[] args(String... more) {
        String[] base = {"judge", "--data", DATA, "--cache-dir", cache.toString(), "--classifier-arch", "mlp", "--epochs", "3",
                "--threads", "1"};
        String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    static void expectFailure(Result r, int code, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err().trim()).doesNotContain("\n").contains(message);
    }

    @Test
    void noiseIsJudgedFarFromTheDataAndTheDataItselfNear() throws Exception {
        Path json = tmp.resolve("noise.json");
        Result r = cli(args("--samples", noise.toString(), "--json", json.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("NOT Inception FID").contains("precision (k = 3)").contains("recall (k = 3)")
                .contains("classes holding >= 3.0%").contains("60 images from " + noise).contains("trained and kept in " + cache)
                .contains("wrote " + json).doesNotContain("asked label");
        JsonNode noiseJ = new ObjectMapper().readTree(Files.readString(json));
        assertThat(noiseJ.get("n").asInt()).isEqualTo(60);
        assertThat(noiseJ.get("reference_n").asInt()).isEqualTo(200);
        assertThat(noiseJ.get("fd_note").asText()).contains("NOT Inception FID");
        assertThat(noiseJ.get("asked_label_share").isNull()).isTrue();
        assertThat(noiseJ.get("histogram")).hasSize(3);
        assertThat(noiseJ.get("precision").asDouble()).isLessThan(0.2);

        // the data's own training images (same classifier, now loaded from the cache): FD far lower, P and R high
        Result self = cli(args("--data-samples", "200", "--json", "-"));
        assertThat(self.code()).as(self.err()).isZero();
        JsonNode selfJ = new ObjectMapper().readTree(self.out());
        assertThat(selfJ.get("classifier").get("trained").asBoolean()).isFalse();
        assertThat(selfJ.get("fd").asDouble()).isLessThan(noiseJ.get("fd").asDouble() / 5);
        assertThat(selfJ.get("precision").asDouble()).isGreaterThan(0.8);
        assertThat(selfJ.get("recall").asDouble()).isGreaterThan(0.8);
        assertThat(selfJ.get("classes_covered").asInt()).isEqualTo(3);
        assertThat(selfJ.get("entropy").asDouble()).isCloseTo(Math.log(3), within(0.05));

        // the JSON file is not replaced without --force
        // (an existing output is exit 1, as everywhere: issue 15's one rule)
        Result kept = cli(args("--samples", noise.toString(), "--json", json.toString()));
        assertThat(kept.code()).as(kept.err()).isEqualTo(1);
        assertThat(kept.err().trim()).doesNotContain("\n").contains("already exists; use --force");
        Result again = cli(args("--samples", noise.toString(), "--json", json.toString(), "--force"));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(new ObjectMapper().readTree(Files.readString(json)).get("fd").asDouble()).isEqualTo(noiseJ.get("fd").asDouble());

        // a damaged cache entry: one line, trained again
        Path dir = Path.of(noiseJ.get("classifier").get("dir").asText());
        Files.writeString(dir.resolve("weights.safetensors"), "junk");
        Result rebuilt = cli(args("--samples", noise.toString(), "--json", "-"));
        assertThat(rebuilt.code()).as(rebuilt.err()).isZero();
        assertThat(rebuilt.err()).contains(dir + ": damaged classifier cache (").contains("training it again");
        assertThat(new ObjectMapper().readTree(rebuilt.out()).get("fd").asDouble()).isEqualTo(noiseJ.get("fd").asDouble());
    }

    @Test
    void badInputIsOneLine() {
        Path wrong = tmp.resolve("wrong.npy");
        write(wrong, new float[10 * 15 * 16], 10, 15, 16);
        expectFailure(cli(args("--samples", wrong.toString())), 1, wrong + ": samples of shape (10, 15, 16) do not fit the classifier's images");
        Path out = tmp.resolve("out.npy");
        float[] v = new float[10 * 256];
        v[700] = -3;
        write(out, v, 10, 256);
        expectFailure(cli(args("--samples", out.toString())), 1, out + ": sample 2 holds the value -3.0");
        Path notNpy = tmp.resolve("junk.npy");
        AtomicFiles.writeString(notNpy, "hello");
        expectFailure(cli(args("--samples", notNpy.toString())), 1, notNpy + ": ");
        expectFailure(cli(args("--samples", tmp.resolve("missing.npy").toString())), 1, "missing.npy: no such file");
        expectFailure(cli(args()), 2, "give exactly one of --model RUN, --samples FILE.npy and --data-samples N");
        expectFailure(cli(args("--samples", noise.toString(), "--data-samples", "5")), 2, "give exactly one of");
        expectFailure(cli(args("--samples", tmp.resolve("x.png").toString())), 2, "--samples must be an .npy file");
        expectFailure(cli(args("--data-samples", "0")), 2, "--data-samples must be in 1..100000");
        expectFailure(cli(args("--samples", noise.toString(), "-k", "0")), 2, "k must be in 1..1000");
        expectFailure(cli("judge", "--data", DATA, "--samples", noise.toString(), "--classifier-arch", "rnn"), 2,
                "--classifier-arch must be conv or mlp");
        expectFailure(cli(args("--samples", noise.toString(), "--json", tmp.resolve("j.txt").toString())), 2, "must be a .json file");
    }
}
