package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vae4j.cli.CliRun.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.CliRun.Result;

/**
 * Issue 15 at the command line: damaged weights and absurd sample counts, one rule for outputs (kept unless
 * {@code --force}) and one for exit codes (1 for bad data, models or runtime, 2 for invalid options), and resuming a
 * finished run.
 */
class OneRuleCliTest {
    static final String GREY = "shapes:n=400,test=80,size=16";
    static final String RGB = "shapes:rgb,n=400,test=80,size=16";

    @TempDir
    static Path tmp;
    static Path grey;
    static Path rgb;

    static Path train(String data, String name) {
        Path run = tmp.resolve(name);
        Result r = cli("train", "--data", data, "--arch", "mlp", "--hidden", "32", "--latent", "2", "--epochs", "1",
                "--threads", "1", "--seed", "3", "-q", "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return run;
    }

    @BeforeAll
    static void trainOnce() {
        grey = train(GREY, "grey");
        rgb = train(RGB, "rgb");
    }

    static void oneLine(Result r, int code, String contains) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err()).endsWith(System.lineSeparator());
        assertThat(r.err().trim()).doesNotContain("\n").contains(contains);
    }

    static Path copyModel(Path run, String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : List.of("config.json", "weights.safetensors", "provenance.json")) {
            Files.copy(run.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    // ---- damaged or absurd input

    @Test
    void oneFlippedBitOrANaNInTheWeightsMakesEvaluateExitOneWithOneLine() throws Exception {
        Path flipped = copyModel(grey, "flipped");
        Path w = flipped.resolve("weights.safetensors");
        byte[] b = Files.readAllBytes(w);
        long start = 8 + ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        b[(int) (start + (b.length - start) / 2)] ^= 0x10;
        Files.write(w, b);
        oneLine(cli("evaluate", "--model", flipped.toString(), "--data", GREY), 1, w + ": checksum mismatch");

        // a NaN written with a valid digest (as a diverged run would save it): refused as non-finite
        Path nan = copyModel(grey, "nan");
        Path nw = nan.resolve("weights.safetensors");
        org.vae4j.io.SafeTensors.Contents c = org.vae4j.io.SafeTensors.read(nw);
        List<org.vae4j.io.SafeTensors.Tensor> tensors = new ArrayList<>();
        for (org.vae4j.io.SafeTensors.Tensor t : c.tensors().values()) {
            float[] v = t.toFloatArray();
            if (tensors.isEmpty()) {
                v[1] = Float.NaN;
            }
            tensors.add(org.vae4j.io.SafeTensors.Tensor.ofFloats(t.name(), t.shape(), v));
        }
        Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
        meta.put("sha256", org.vae4j.io.Checksums.tensorDigest(meta, tensors));
        org.vae4j.io.SafeTensors.write(nw, tensors, meta);
        oneLine(cli("evaluate", "--model", nan.toString(), "--data", GREY), 1, "holds 1 NaN or infinite value");
    }

    @Test
    void absurdSampleCountsAreRefusedInOneLineNamingTheLimit() {
        oneLine(cli("evaluate", "--model", grey.toString(), "--iw-samples", "100000000", "--limit", "5"), 2,
                "--iw-samples must be at most 1000000");
        oneLine(cli("evaluate", "--model", grey.toString(), "--iw-samples", "2147483647"), 2, "--iw-samples must be at most 1000000");
        oneLine(cli("score", "--model", grey.toString(), "--samples", "100000000", "--out", tmp.resolve("s.csv").toString()), 2,
                "--samples must be at most 1000000");
        assertThat(tmp.resolve("s.csv")).doesNotExist();
    }

    // ---- one rule for outputs

    /** Each picture command: writes, then keeps the file without --force (exit 1, one line), replaces it with --force. */
    @Test
    void everyPictureCommandKeepsAnExistingOutputUnlessForced() throws Exception {
        String g = grey.toString();
        Map<String, List<String>> commands = new TreeMap<>();
        commands.put("sample", List.of("sample", "--model", g, "-n", "4"));
        commands.put("reconstruct", List.of("reconstruct", "--model", g, "--data", GREY, "-n", "4"));
        commands.put("interpolate", List.of("interpolate", "--model", g, "--data", GREY, "--from", "0", "--to", "1", "--steps", "3"));
        commands.put("traverse", List.of("traverse", "--model", g, "--data", GREY, "--index", "0", "--dims", "1", "--steps", "3"));
        commands.put("latent-map", List.of("latent-map", "--model", g, "--data", GREY, "--limit", "40"));
        commands.put("manifold", List.of("manifold", "--model", g, "--grid", "3"));
        commands.put("inpaint", List.of("inpaint", "--model", g, "--data", GREY, "--index", "0", "--mask", "box:2,3,4,5",
                "--iterations", "2"));
        commands.put("outfill", List.of("outfill", "--model", g, "--data", GREY, "--index", "0", "--window", "8", "--iterations", "2"));
        commands.put("restore", List.of("restore", "--model", g, "--data", GREY, "--noise", "gaussian:0.3", "--index", "0",
                "--iterations", "2"));
        commands.put("colorize", List.of("colorize", "--model", rgb.toString(), "--data", RGB, "--index", "1", "--iterations", "2"));
        for (Map.Entry<String, List<String>> e : commands.entrySet()) {
            Path out = tmp.resolve("out-" + e.getKey() + ".png");
            List<String> args = new ArrayList<>(e.getValue());
            args.addAll(List.of("--out", out.toString()));
            Result first = cli(args.toArray(String[]::new));
            assertThat(first.code()).as(e.getKey() + ": " + first.err()).isZero();
            Files.write(out, new byte[] {42});
            Files.setLastModifiedTime(out, FileTime.fromMillis(1_000_000_000_000L));
            Result again = cli(args.toArray(String[]::new));
            assertThat(again.code()).as(e.getKey() + ": " + again.err()).isEqualTo(1);
            assertThat(again.err().trim()).as(e.getKey()).isEqualTo("vae4j: " + out + ": already exists; use --force to replace it");
            assertThat(Files.readAllBytes(out)).as(e.getKey()).containsExactly(42);
            args.add("--force");
            Result forced = cli(args.toArray(String[]::new));
            assertThat(forced.code()).as(e.getKey() + ": " + forced.err()).isZero();
            assertThat(Files.size(out)).as(e.getKey()).isGreaterThan(1);
        }
    }

    @Test
    void lecturesKeepAnEarlierReportUnlessForcedAndSayItBeforeTraining() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("lectures"));
        Files.writeString(dir.resolve("index.html"), "earlier");
        long t0 = System.nanoTime();
        // the data do not exist: the refusal comes before any loading
        Result r = cli("lectures", "--data", "csv:" + tmp.resolve("absent.csv"), "--out", dir.toString());
        oneLine(r, 1, dir + ": already exists and is not empty; use --force");
        assertThat(Files.readString(dir.resolve("index.html"))).isEqualTo("earlier");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30);
        // with --force the check passes and the data are loaded (and found missing)
        Result forced = cli("lectures", "--data", "csv:" + tmp.resolve("absent.csv"), "--out", dir.toString(), "--force");
        assertThat(forced.code()).as(forced.err()).isEqualTo(1);
        assertThat(forced.err()).doesNotContain("already exists");
    }

    // ---- one rule for exit codes

    @Test
    void anEmptyTestSplitIsBadDataNamingTheFile() throws Exception {
        Path csv = Files.writeString(tmp.resolve("two.csv"), "a,b,c\n1,2,3\n4,5,6\n");
        Result r = cli("train", "--data", "csv:" + csv, "--val-fraction", "0.01", "--hidden", "8", "--latent", "2", "--epochs", "1",
                "-q", "--out", tmp.resolve("two").toString());
        // named as the data set is named everywhere (its kind and file)
        oneLine(r, 1, "csv:two.csv: the test split is empty");
    }

    @Test
    void aShapeMismatchIsBadDataForEveryCommand() {
        String small = "shapes:n=100,test=20,size=8";
        String msg = "records have shape [1, 8, 8] but the model expects [1, 16, 16]";
        oneLine(cli("evaluate", "--model", grey.toString(), "--data", small), 1, msg);
        oneLine(cli("reconstruct", "--model", grey.toString(), "--data", small, "--out", tmp.resolve("rs.png").toString()), 1, msg);
        oneLine(cli("encode", "--model", grey.toString(), "--data", small, "--out", tmp.resolve("enc-small.csv").toString()), 1, msg);
        oneLine(cli("score", "--model", grey.toString(), "--data", small, "--out", tmp.resolve("sc-small.csv").toString()), 1, msg);
    }

    @Test
    void anExistingEncodeOutputAndAnExistingRunDirectoryGiveTheSameExitCode() throws Exception {
        Path f = Files.writeString(tmp.resolve("codes.csv"), "kept");
        oneLine(cli("encode", "--model", grey.toString(), "--data", GREY, "--out", f.toString()), 1, "already exists; use --force");
        assertThat(Files.readString(f)).isEqualTo("kept");
        oneLine(cli("train", "--data", GREY, "--epochs", "1", "--out", grey.toString()), 1, "already exists and is not empty");
    }

    @Test
    void trainRefusesAnExistingRunBeforeLoadingTheData() {
        // data that cannot be loaded: were they loaded first, the error would be about them
        Result r = cli("train", "--data", "csv:" + tmp.resolve("absent.csv"), "--epochs", "1", "--out", grey.toString());
        oneLine(r, 1, grey + ": already exists and is not empty; use --resume to continue it, --force to replace it");
    }

    // ---- resume

    static Map<String, String> snapshot(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Files.getLastModifiedTime(p).toMillis() + ":"
                        + org.vae4j.io.Checksums.sha256(p));
            }
        }
        return m;
    }

    @Test
    void resumingAFinishedRunSaysItIsCompleteAndChangesNothing() throws Exception {
        Map<String, String> before = snapshot(grey);
        Result r = cli("train", "--resume", grey.toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().trim()).isEqualTo(grey + ": already complete (1 epoch); nothing changed. To train further, give --epochs N"
                + " with N > 1");
        assertThat(r.out()).doesNotContain("training epochs");
        Result same = cli("train", "--resume", grey.toString(), "--epochs", "1", "-q");
        assertThat(same.code()).isZero();
        assertThat(same.out()).contains("already complete");
        assertThat(snapshot(grey)).isEqualTo(before);
    }

    @Test
    void resumeWithOtherDataIsRefusedAndEpochsZeroIsInvalidAsForANewRun() throws Exception {
        Map<String, String> before = snapshot(grey);
        oneLine(cli("train", "--resume", grey.toString(), "--epochs", "2", "--data", "shapes:n=500,test=80,size=16"), 2,
                "--data cannot be changed on --resume: " + grey + " continues on the data it started with (" + GREY + ")");
        Result zero = cli("train", "--resume", grey.toString(), "--epochs", "0");
        Result fresh = cli("train", "--data", GREY, "--epochs", "0", "--out", tmp.resolve("zero").toString());
        oneLine(zero, 2, "epochs must be in 1..1000000, got 0");
        assertThat(zero.err()).isEqualTo(fresh.err());
        assertThat(fresh.code()).isEqualTo(2);
        // the same --data as the run's is no change
        Result sameData = cli("train", "--resume", grey.toString(), "--data", GREY, "-q");
        assertThat(sameData.code()).as(sameData.err()).isZero();
        assertThat(snapshot(grey)).isEqualTo(before);
    }
}
