package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vae4j.cli.CliRun.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.CliRun.Result;

/** {@code vae4j serve}: one-line errors for a taken port and a bad model directory; a clean stop on SIGTERM. */
class ServeCommandTest {
    static final String DATA = "shapes:n=200,test=40,size=16";

    @TempDir
    static Path tmp;

    static Path run;

    @BeforeAll
    static void train() {
        run = tmp.resolve("run");
        Result r = cli("train", "--data", DATA, "--hidden", "16", "--latent", "2", "--epochs", "1", "--batch-size", "32",
                "--threads", "1", "-q", "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void aPortInUseIsOneLineNamingThePortAndExit1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Result r = cli("serve", "--model", run.toString(), "--data", DATA, "--port", String.valueOf(port));
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().trim()).doesNotContain("\n").contains("port " + port).contains("already in use");
        }
    }

    @Test
    void aMissingOrCorruptModelDirectoryIsOneLineAndExit1() throws Exception {
        Result missing = cli("serve", "--model", tmp.resolve("nowhere").toString(), "--port", "0");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().trim()).doesNotContain("\n").contains("nowhere");

        Path corrupt = tmp.resolve("corrupt");
        Files.createDirectories(corrupt);
        Files.copy(run.resolve("config.json"), corrupt.resolve("config.json"));
        Files.write(corrupt.resolve("weights.safetensors"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Result bad = cli("serve", "--model", corrupt.toString(), "--port", "0");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err().trim()).doesNotContain("\n").contains("weights.safetensors");

        Files.writeString(corrupt.resolve("config.json"), "{not json");
        Result badConfig = cli("serve", "--model", corrupt.toString(), "--port", "0");
        assertThat(badConfig.code()).isEqualTo(1);
        assertThat(badConfig.err().trim()).doesNotContain("\n").contains("config.json");
    }

    @Test
    void servedRecordsSayHowManyOfHowMany() {
        assertThat(ServeCommand.served(2000, 10000)).isEqualTo("2000 of 10000 test records (--records N serves more)");
        assertThat(ServeCommand.served(60, 60)).isEqualTo("60 test records");
        Result r = cli("serve", "--model", run.toString(), "--records", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().trim()).isEqualTo("vae4j: --records must be in 2..100000, got 1");
    }

    @Test
    void badOptionsAreUsageErrors() {
        Result r = cli("serve", "--model", run.toString(), "--port", "70000");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--port must be in 0..65535");
    }

    @Test
    void servesUntilTerminatedThenStopsCleanly() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--model", run.toString(), "--data", DATA, "--port", "0", "--records", "10"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).isNotNull().contains("http://127.0.0.1:");
            Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(line);
            assertThat(m.find()).isTrue();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + m.group(1) + "/api/info")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"latent\":2");
            // --records N: the first N of the test split's 40, and the page is told both
            assertThat(line).contains("10 of 40 test records (--records N serves more)");
            assertThat(r.body()).contains("\"records\":10").contains("\"testRecords\":40");
            // the API page's examples are addressed to this server, with a code of the model's length
            HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + m.group(1) + "/api")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(api.body()).contains("curl -s 127.0.0.1:" + m.group(1) + "/api/info").contains("{\"z\":[0,0],")
                    .doesNotContain("7070").doesNotContain("{{");
            p.toHandle().destroy(); // SIGTERM (Process.destroy would close our end of stdout): the hook stops the server, as Ctrl-C does
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out.readLine()).isEqualTo("vae4j serve: stopped");
        } finally {
            p.destroyForcibly();
        }
    }
}
