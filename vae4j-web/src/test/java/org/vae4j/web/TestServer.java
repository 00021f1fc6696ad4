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

/**
 * Tiny models trained once per test JVM (a VAE, and a conditional VAE for the label picker), and a server over one on a
 * free loopback port.
 */
final class TestServer implements AutoCloseable {
    static final String DATA = "shapes:n=300,test=60,size=16";
    private static Path run;
    private static Path conditionalRun;
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

    /** A conditional VAE (classes: 0 square, 1 ellipse, 2 heart) trained on the same data (trained on first use). */
    static synchronized Path conditionalRun() {
        if (conditionalRun == null) {
            try {
                Path dir = Files.createTempDirectory("vae4j-web-test-cvae");
                ModelConfig config = ModelConfig.vae(List.of(1, 16, 16), 3, ArchConfig.mlp(32), "bernoulli", 1.0)
                        .withModel("cvae", new org.vae4j.model.cvae.CvaeVariant.Settings(3));
                try (VaeModel m = Training.of(config, TrainConfig.defaults().withEpochs(3).withBatchSize(32).withThreads(1))
                        .data(data(), DATA).runDirectory(dir).force(true).fit()) {
                    m.latent();
                }
                conditionalRun = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return conditionalRun;
    }

    static synchronized DataSplits data() {
        run();
        return data;
    }

    /** Starts a server over the trained model with the test split, on a free port. */
    static TestServer start(long windowMicros) {
        Path dir = run();
        return start(VaeModel.load(dir), dir, windowMicros);
    }

    /** Starts a server over the conditional model with the test split. */
    static TestServer startConditional() {
        Path dir = conditionalRun();
        return start(VaeModel.load(dir), dir, 2000);
    }

    private static Path ganRun;

    /** A GAN trained for 2 epochs on the same data (trained on first use): a real run directory, metrics and all. */
    static synchronized Path ganRun() {
        if (ganRun == null) {
            try {
                Path dir = Files.createTempDirectory("vae4j-web-test-gan");
                ModelConfig config = ModelConfig.vae(List.of(1, 16, 16), 3, ArchConfig.mlp(32), "bernoulli", 1.0)
                        .withModel("gan", org.vae4j.model.ModelVariants.get("gan").settings(java.util.Map.of(), 0));
                try (VaeModel m = Training.of(config, TrainConfig.defaults().withEpochs(2).withBatchSize(32).withThreads(1))
                        .data(data(), DATA).runDirectory(dir).force(true).fit()) {
                    m.latent();
                }
                ganRun = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ganRun;
    }

    /** Starts a server over the GAN with the test split. */
    static TestServer startGan() {
        Path dir = ganRun();
        return start(VaeModel.load(dir), dir, 2000);
    }

    /** Starts a server over an untrained model that decodes and samples but cannot encode, with the test split. */
    static TestServer startDecoderOnly() {
        ModelConfig config = ModelConfig.vae(List.of(1, 16, 16), 3, ArchConfig.mlp(32), "bernoulli", 1.0)
                .withModel("test-decoder-only", org.vae4j.model.ModelVariant.NoSettings.INSTANCE);
        return start(VaeModel.create(config, 1), null, 2000);
    }

    /** Starts a server over the trained model serving only the first {@code records} test records of the 60. */
    static TestServer startServing(int records) {
        Path dir = run();
        return start(VaeModel.load(dir), dir, 2000, records);
    }

    private static TestServer start(VaeModel model, Path dir, long windowMicros) {
        return start(model, dir, windowMicros, 2000);
    }

    /** Starts a server over the conditional model with a gmm:3 sampler fitted to its training codes. */
    static TestServer startConditionalWithSampler() {
        Path dir = conditionalRun();
        VaeModel m = VaeModel.load(dir);
        return start(m, dir, 2000, 2000, org.vae4j.generate.MixtureSampler.fit(m, data().train(), 3, 1, 100_000, null));
    }

    private static TestServer start(VaeModel model, Path dir, long windowMicros, int records) {
        return start(model, dir, windowMicros, records, null);
    }

    private static TestServer start(VaeModel model, Path dir, long windowMicros, int records, org.vae4j.generate.CodeSampler fitted) {
        ModelWorker worker = new ModelWorker(model, windowMicros, 64, 4096);
        Explorer.Card card = new Explorer.Card(dir == null ? model.config().model() : dir.getFileName().toString(),
                org.vae4j.util.Json.write(model.config()), dir == null ? null : ModelStore.readProvenance(dir), fitted);
        Explorer explorer = new Explorer(model, data().test().materialize(), card, worker, records);
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
