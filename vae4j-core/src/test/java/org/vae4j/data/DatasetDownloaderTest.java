package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.data.DatasetDownloader.Listener;
import org.vae4j.data.DatasetDownloader.RemoteFile;

class DatasetDownloaderTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private String base;
    /** Paths served, with their bytes. */
    private final Map<String, byte[]> content = new ConcurrentHashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final byte[] payload = bytes(700_000, 1);
    private final byte[] small = bytes(1000, 2);

    private static byte[] bytes(int n, int salt) {
        byte[] b = new byte[n];
        long x = 0x9E3779B97F4A7C15L * salt;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b[i] = (byte) x;
        }
        return b;
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        content.put("/a/data.bin", payload);
        content.put("/b/data.bin", payload);
        content.put("/a/small.bin", small);
        content.put("/evil/data.bin", bytes(700_000, 3));
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(path);
        if (path.startsWith("/redirect/")) {
            ex.getResponseHeaders().add("Location", "/a/" + path.substring("/redirect/".length()));
            ex.sendResponseHeaders(302, -1);
            ex.close();
            return;
        }
        byte[] body = content.get(path.replace("/chunked/", "/a/"));
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        // length 0 means chunked transfer: the client does not learn the size upfront
        ex.sendResponseHeaders(200, path.startsWith("/chunked/") ? 0 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** Records listener calls as strings. */
    private static final class Recorder implements Listener {
        final List<String> events = new ArrayList<>();
        final List<Long> progress = new ArrayList<>();

        @Override
        public void started(String file, long totalBytes) {
            events.add("started " + file + " " + totalBytes);
        }

        @Override
        public void progress(String file, long bytesSoFar) {
            progress.add(bytesSoFar);
        }

        @Override
        public void finished(String file) {
            events.add("finished " + file);
        }
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }

    @Test
    void downloadsVerifiesAndReportsProgress() throws Exception {
        Recorder rec = new Recorder();
        RemoteFile f = new RemoteFile("data.bin", List.of(base + "/a/data.bin"), sha(payload).toUpperCase());
        Path sub = dir.resolve("new/sub");
        DatasetDownloader.ensure(sub, List.of(f), rec, false);
        assertThat(Files.readAllBytes(sub.resolve("data.bin"))).isEqualTo(payload);
        assertThat(rec.events).containsExactly("started data.bin 700000", "finished data.bin");
        assertThat(rec.progress).isSorted().contains(262144L, 524288L).endsWith(700_000L);
        assertThat(requests).containsExactly("/a/data.bin");
        // already there and valid: no second request
        DatasetDownloader.ensure(sub, List.of(f), rec, false);
        DatasetDownloader.ensure(sub, List.of(f), rec, true);
        assertThat(requests).hasSize(1);
        assertThat(rec.events).hasSize(2);
    }

    @Test
    void unknownLengthIsReportedAsMinusOne() throws Exception {
        Recorder rec = new Recorder();
        DatasetDownloader.ensure(dir, List.of(new RemoteFile("small.bin", List.of(base + "/chunked/small.bin"), sha(small))), rec, false);
        assertThat(rec.events).containsExactly("started small.bin -1", "finished small.bin");
        assertThat(rec.progress).containsExactly(1000L);
        assertThat(Files.readAllBytes(dir.resolve("small.bin"))).isEqualTo(small);
    }

    @Test
    void badHashIsRejectedAndNothingIsLeftBehind() throws Exception {
        String good = sha(payload);
        String evil = sha(content.get("/evil/data.bin"));
        RemoteFile f = new RemoteFile("data.bin", List.of(base + "/evil/data.bin"), good);
        Path target = dir.resolve("data.bin");
        assertThatThrownBy(() -> DatasetDownloader.ensure(dir, List.of(f), null, false))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(target + ": download failed from every mirror (")
                .hasMessageContaining(base + "/evil/data.bin: SHA-256 mismatch: expected " + good + ", actual " + evil)
                .hasMessageContaining("place data.bin (SHA-256 " + good + ") in " + dir.toAbsolutePath());
        assertThat(target).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void fallsBackToTheNextMirror() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Recorder rec = new Recorder();
        RemoteFile f = new RemoteFile("data.bin", List.of(
                "http://127.0.0.1:" + closedPort + "/a/data.bin", // connection refused
                base + "/missing/data.bin",                      // 404
                base + "/evil/data.bin",                         // wrong bytes
                base + "/b/data.bin"), sha(payload));
        DatasetDownloader.ensure(dir, List.of(f), rec, false);
        assertThat(Files.readAllBytes(dir.resolve("data.bin"))).isEqualTo(payload);
        assertThat(requests).containsExactly("/missing/data.bin", "/evil/data.bin", "/b/data.bin");
        assertThat(rec.events).containsExactly("started data.bin 700000", "started data.bin 700000", "finished data.bin");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void followsRedirects() throws Exception {
        DatasetDownloader.ensure(dir, List.of(new RemoteFile("small.bin", List.of(base + "/redirect/small.bin"), sha(small))), null, false);
        assertThat(requests).containsExactly("/redirect/small.bin", "/a/small.bin");
        assertThat(Files.readAllBytes(dir.resolve("small.bin"))).isEqualTo(small);
    }

    @Test
    void allMirrorsFailingListsEveryReason() throws Exception {
        RemoteFile f = new RemoteFile("x.bin", List.of(base + "/no/x.bin", base + "/nope/x.bin"), sha(small));
        assertThatThrownBy(() -> DatasetDownloader.ensure(dir, List.of(f), null, false))
                .isInstanceOf(DataException.class)
                .hasMessage(dir.resolve("x.bin") + ": download failed from every mirror (" + base + "/no/x.bin: IOException: HTTP 404; "
                        + base + "/nope/x.bin: IOException: HTTP 404); place x.bin (SHA-256 " + sha(small) + ") in "
                        + dir.toAbsolutePath() + " by hand");
    }

    @Test
    void offlineNamesTheMissingFilesAndTheDirectory() throws Exception {
        Files.write(dir.resolve("small.bin"), small);
        List<RemoteFile> files = List.of(
                new RemoteFile("small.bin", List.of(base + "/a/small.bin"), sha(small)),
                new RemoteFile("data.bin", List.of(base + "/a/data.bin"), sha(payload)),
                new RemoteFile("more.bin", List.of(base + "/a/more.bin"), sha(new byte[0])));
        assertThatThrownBy(() -> DatasetDownloader.ensure(dir, files, null, true))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir + ": offline, so 2 missing data file(s) were not downloaded; place data.bin (from "
                        + base + "/a/data.bin, SHA-256 " + sha(payload) + "), more.bin (from ")
                .hasMessageEndingWith(" in " + dir.toAbsolutePath())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("small.bin").doesNotContain("\n"));
        assertThat(requests).isEmpty();
        Path absent = dir.resolve("absent");
        assertThatThrownBy(() -> DatasetDownloader.ensure(absent, files, null, true)).isInstanceOf(DataException.class);
        assertThat(absent).doesNotExist();
    }

    @Test
    void existingFileWithWrongHashIsAnErrorNotOverwritten() throws Exception {
        byte[] wrong = bytes(10, 9);
        Files.write(dir.resolve("data.bin"), wrong);
        RemoteFile f = new RemoteFile("data.bin", List.of(base + "/a/data.bin"), sha(payload));
        assertThatThrownBy(() -> DatasetDownloader.ensure(dir, List.of(f), null, false))
                .isInstanceOf(DataException.class)
                .hasMessage(dir.resolve("data.bin") + ": SHA-256 mismatch: expected " + sha(payload) + ", actual " + sha(wrong)
                        + "; delete the file so that it is downloaded again, or replace it with the right one");
        assertThat(Files.readAllBytes(dir.resolve("data.bin"))).isEqualTo(wrong);
        assertThat(requests).isEmpty();
    }

    @Test
    void sha256OfFile() throws Exception {
        Path f = Files.write(dir.resolve("f"), small);
        assertThat(DatasetDownloader.sha256(f)).isEqualTo(sha(small));
        assertThatThrownBy(() -> DatasetDownloader.sha256(dir.resolve("none")))
                .isInstanceOf(DataException.class).hasMessageStartingWith(dir.resolve("none") + ": cannot read");
    }

    @Test
    void remoteFileValidation() {
        String h = "a".repeat(64);
        assertThat(new RemoteFile("f", List.of("https://x/f"), h.toUpperCase()).sha256()).isEqualTo(h);
        assertThatThrownBy(() -> new RemoteFile("../f", List.of("https://x/f"), h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RemoteFile("f", List.of(), h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RemoteFile("f", List.of("file:///etc/passwd"), h))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an http(s) URL");
        assertThatThrownBy(() -> new RemoteFile("f", List.of("https://x/f"), "abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hex digits");
    }

    @Test
    void knownDatasetsDescribeFourFilesEach() {
        assertThat(KnownDatasets.mnist()).extracting(RemoteFile::fileName).containsExactly(
                "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
        assertThat(KnownDatasets.mnist().get(0).urls()).containsExactly(
                "https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz",
                "https://storage.googleapis.com/cvdf-datasets/mnist/train-images-idx3-ubyte.gz");
        assertThat(KnownDatasets.mnist().get(0).sha256()).isEqualTo("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609");
        assertThat(KnownDatasets.fashionMnist()).hasSize(4).allSatisfy(f -> assertThat(f.urls()).singleElement()
                .asString().startsWith("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/" + f.fileName()));
        assertThat(KnownDatasets.fashionMnist().get(3).sha256()).isEqualTo("67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5");
        assertThat(KnownDatasets.mnistLabelNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(KnownDatasets.fashionMnistLabelNames()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
    }
}
