package org.vae4j.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelStore;
import org.vae4j.model.VaeModel;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

/** A tiny model trained once per test JVM, and a server over it on a free loopback port. */
final class TestServer implements AutoCloseable {
    static final String DATA = "shapes:n=300,test=60,size=16";
    private static Path run;
    private static DataSplits data;

    final VaeModel model;
    final Explorer explorer;
    final WebServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    private TestServer(VaeModel model, Explorer explorer, WebServer server) {
        this.model = model;
        this.explorer = explorer;
        this.server = server;
    }

    /** The trained run directory (trained on first use). */
    static synchronized Path run() {
        if (run == null) {
            try {
                Path dir = Files.createTempDirectory("vae4j-web-test");
                data = DataSources.load(DATA, null);
                ModelConfig config = ModelConfig.vae(List.of(1, 16, 16), 3, ArchConfig.mlp(32), "bernoulli", 1.0);
                try (VaeModel m = Training.of(config, TrainConfig.defaults().withEpochs(2).withBatchSize(32).withThreads(1))
                        .data(data, DATA).runDirectory(dir).force(true).fit()) {
                    m.latent();
                }
                run = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return run;
    }

    static synchronized DataSplits data() {
        run();
        return data;
    }

    /** Starts a server over the trained model with the test split, on a free port. */
    static TestServer start(long windowMicros) {
        Path dir = run();
        VaeModel model = VaeModel.load(dir);
        ModelWorker worker = new ModelWorker(model, windowMicros, 64, 4096);
        Explorer.Card card = new Explorer.Card(dir.getFileName().toString(), org.vae4j.util.Json.write(model.config()),
                ModelStore.readProvenance(dir));
        Explorer explorer = new Explorer(model, data().test().materialize(), card, worker, 2000);
        WebServer server = WebServer.start(explorer, WebServer.LOOPBACK, 0);
        return new TestServer(model, explorer, server);
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> postJson(String path, String json) throws IOException, InterruptedException {
        return post(path, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close();
        explorer.close();
        model.close();
    }
}
