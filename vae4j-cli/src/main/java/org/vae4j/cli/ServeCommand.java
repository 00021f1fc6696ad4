package org.vae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.vae4j.data.ArrayDataset;
import org.vae4j.model.ModelStore;
import org.vae4j.model.VaeModel;
import org.vae4j.train.Training;
import org.vae4j.util.Json;
import org.vae4j.web.Explorer;
import org.vae4j.web.ModelWorker;
import org.vae4j.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j serve}: the latent explorer in the browser. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a local web app to explore a model's latent space: sliders per latent dimension, latent map,",
            "interpolation, traversals, samples, inpainting, model card, and the JSON API behind them (see /api).",
            "Binds 127.0.0.1 unless --host is given. Ctrl-C stops it."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--port", defaultValue = "7070", description = "Port (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", paramLabel = "H", description = "Address to bind (default 127.0.0.1, this machine only). "
            + "Anything else makes the explorer reachable from other machines, without authentication.")
    String host;

    @Option(names = {"--records", "--limit"}, defaultValue = "2000", paramLabel = "N",
            description = {"Test records served: the first N, for the latent map, KL ranking and indices (2..100000; the page says",
                "how many of how many). Default: ${DEFAULT-VALUE}."})
    int limit;

    @Option(names = "--batch-window-us", defaultValue = "2000", paramLabel = "US",
            description = "Micro-batching: how long a decode batch waits for more requests (0..100000 µs). Default: ${DEFAULT-VALUE}.")
    long windowMicros;

    @Option(names = "--max-batch", defaultValue = "64", paramLabel = "N",
            description = "Micro-batching: most codes per forward pass (1..4096). Default: ${DEFAULT-VALUE}.")
    int maxBatch;

    @Mixin
    ThreadOptions threads;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
        }
        if (limit < 2 || limit > 100_000) {
            throw new IllegalArgumentException("--records must be in 2..100000, got " + limit);
        }
        if (windowMicros < 0 || windowMicros > 100_000) {
            throw new IllegalArgumentException("--batch-window-us must be in 0..100000, got " + windowMicros);
        }
        if (maxBatch < 1 || maxBatch > 4096) {
            throw new IllegalArgumentException("--max-batch must be in 1..4096, got " + maxBatch);
        }
        String bind = host == null ? WebServer.LOOPBACK : host.trim();
        if (bind.isEmpty()) {
            throw new IllegalArgumentException("--host is empty");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        threads.apply();
        VaeModel vae = model.load();
        Explorer explorer = null;
        WebServer server;
        try {
            org.vae4j.data.Dataset whole = testSplit(err);
            ArrayDataset test = whole == null ? null : whole.head(limit).materialize();
            Explorer.Card card = new Explorer.Card(name(model.dir), Json.write(vae.config()), ModelStore.readProvenance(model.dir),
                    fittedSampler(vae, err));
            explorer = new Explorer(vae, test, card, new ModelWorker(vae, windowMicros, maxBatch, 8192), limit,
                    whole == null ? 0 : whole.size());
            server = WebServer.start(explorer, bind, port);
        } catch (WebServer.PortInUseException e) {
            close(null, explorer, vae);
            throw new IllegalStateException(e.getMessage() + "; choose another with --port");
        } catch (RuntimeException | Error e) {
            close(null, explorer, vae);
            throw e;
        }
        if (!WebServer.LOOPBACK.equals(bind)) {
            err.println("vae4j: warning: --host " + bind + " makes the explorer reachable from other machines; it has no authentication");
        }
        String shown = bind.contains(":") ? "[" + bind + "]" : bind;
        out.printf("serving %s at http://%s:%d/ (%s; API at /api). Ctrl-C stops.%n", model.dir, shown, server.port(),
                explorer.records() > 0 ? served(explorer.records(), explorer.testRecords())
                        : "no data: start with --data for records and the latent map");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Explorer ex = explorer;
        Thread hook = new Thread(() -> {
            close(server, ex, vae);
            out.println("vae4j serve: stopped");
            out.flush();
            stopped.countDown();
        }, "vae4j-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
        return 0;
    }

    private static void close(WebServer server, Explorer explorer, VaeModel vae) {
        if (server != null) {
            server.close();
        }
        if (explorer != null) {
            explorer.close();
        }
        vae.close();
    }

    private static String name(Path dir) {
        Path f = dir.toAbsolutePath().normalize().getFileName();
        return f == null ? dir.toString() : f.toString();
    }

    /** "2000 of 10000 test records (--records N serves more)", or "60 test records" when all are served. */
    static String served(int records, int total) {
        return total > records ? records + " of " + total + " test records (--records N serves more)" : records + " test records";
    }

    /** The test split of --data; without it, of the run's own data set when it can be loaded offline; else none. */
    private org.vae4j.data.Dataset testSplit(PrintWriter err) {
        if (!data.available(model.dir)) {
            return null;
        }
        if (data.spec != null) {
            return data.loadFor(model.dir, err).test();
        }
        try {
            return data.loadOrFromRun(model.dir, true, err).test();
        } catch (RuntimeException e) {
            err.println("vae4j: note: the run's data set " + Training.readState(model.dir).dataSpec()
                    + " is not available offline (" + Main.message(e)
                    + "); serving without data, give --data for records and the latent map");
            return null;
        }
    }

    /** The gmm:10 sampler train saved beside the model, offered (and used by default) on the samples panel; else null. */
    private org.vae4j.generate.CodeSampler fittedSampler(VaeModel vae, PrintWriter err) {
        if (!org.vae4j.generate.Samplers.canFit(vae)) {
            return null;
        }
        try {
            return org.vae4j.generate.MixtureSampler.load(model.dir, org.vae4j.generate.CodeSampler.Spec.DEFAULT_COMPONENTS, vae);
        } catch (RuntimeException e) {
            err.println("vae4j: warning: " + e.getMessage() + "; the explorer samples from the prior");
            return null;
        }
    }
}
