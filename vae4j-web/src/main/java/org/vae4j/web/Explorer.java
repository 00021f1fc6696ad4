package org.vae4j.web;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.vae4j.data.ArrayDataset;
import org.vae4j.latent.Encodings;
import org.vae4j.latent.ImageMetrics;
import org.vae4j.latent.Inpainting;
import org.vae4j.latent.Interpolation;
import org.vae4j.latent.LatentProjection;
import org.vae4j.latent.Mask;
import org.vae4j.latent.Traversal;
import org.vae4j.model.Posterior;
import org.vae4j.model.Provenance;
import org.vae4j.model.VaeModel;
import org.vae4j.train.Inputs;
import org.vae4j.util.Json;

/**
 * What the web app can do with one model (and optionally the test split of a data set): every operation validates
 * its arguments, runs the model on the {@link ModelWorker} and returns PNG bytes or JSON. The HTTP layer only parses
 * requests and writes answers.
 */
public final class Explorer implements AutoCloseable {
    /** Mid-grey shown for missing pixels. */
    static final float HOLE = 0.5f;
    private static final long TIMEOUT_S = 120;
    private static final ObjectMapper LENIENT = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** Everything about the model other than the weights, for the model card. */
    public record Card(String name, String configJson, Provenance provenance) {}

    private final VaeModel model;
    private final ModelWorker worker;
    private final int latent;
    private final int channels;
    private final int height;
    private final int width;
    private final boolean image;
    private final ArrayDataset data;
    private final float[] records;
    private final double[] scores;
    private final String measure;
    private final int[] order;
    private final byte[] info;
    private final byte[] map;

    /**
     * Prepares an explorer: ranks the latent dimensions and projects the data for the latent map (on the worker).
     *
     * @param model the model (not closed by the explorer)
     * @param test the test split to explore, or null; at most {@code dataLimit} records are used
     * @param card model card information
     * @param worker the worker thread that runs the model (closed with the explorer)
     * @param dataLimit most records used for ranking and the latent map
     */
    public Explorer(VaeModel model, ArrayDataset test, Card card, ModelWorker worker, int dataLimit) {
        this.model = model;
        this.worker = worker;
        this.latent = model.latent();
        List<Integer> shape = model.config().inputShape();
        this.image = shape.size() == 3;
        if (image) {
            channels = shape.get(0);
            height = shape.get(1);
            width = shape.get(2);
        } else {
            channels = 1;
            width = (int) Math.ceil(Math.sqrt(shape.get(0)));
            height = (shape.get(0) + width - 1) / width;
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("the web app shows 1- or 3-channel images; this model has " + channels + " channels");
        }
        if (test != null && test.size() > 0) {
            if (!toList(test.shape()).equals(shape)) {
                throw new IllegalArgumentException(test.name() + " records have shape " + toList(test.shape())
                        + " but the model expects " + shape);
            }
            ArrayDataset d = test.size() > dataLimit ? test.head(dataLimit) : test;
            this.data = d;
            this.records = Inputs.forEvaluation(d.data(), model.config().transform());
        } else {
            this.data = null;
            this.records = null;
        }
        if (data != null) {
            Object[] prepared = await(worker.submit(() -> {
                Traversal.Ranking r = Traversal.rank(model, records, data.size());
                LatentProjection p = data.size() >= 2 ? LatentProjection.of(model, records, data.size()) : null;
                return new Object[] {r, p};
            }));
            Traversal.Ranking r = (Traversal.Ranking) prepared[0];
            this.scores = r.scores();
            this.measure = r.measure();
            this.order = r.top(latent);
            this.map = prepared[1] == null ? null : bytes(mapJson((LatentProjection) prepared[1]));
        } else {
            this.scores = null;
            this.measure = null;
            this.order = new int[latent];
            for (int i = 0; i < latent; i++) {
                order[i] = i;
            }
            this.map = null;
        }
        this.info = bytes(infoJson(card));
    }

    private static List<Integer> toList(int[] a) {
        return Arrays.stream(a).boxed().toList();
    }

    /** The latent size. */
    public int latent() {
        return latent;
    }

    /** {@code [height, width]} of the pictures. */
    public int[] imageSize() {
        return new int[] {height, width};
    }

    /** Records available (0 without data). */
    public int records() {
        return data == null ? 0 : data.size();
    }

    /** The worker running the model. */
    public ModelWorker worker() {
        return worker;
    }

    // ---------------------------------------------------------------------------------------------- operations

    /** The model card and everything the page needs to set itself up, as JSON bytes. */
    public byte[] info() {
        return info;
    }

    /** The latent map as JSON bytes. */
    public byte[] map() {
        if (map == null) {
            throw new BadRequest(data == null ? "no data set is loaded: start the server with --data to get a latent map"
                    : "a latent map needs at least 2 records");
        }
        return map;
    }

    /**
     * Decodes one code (micro-batched with concurrent requests).
     *
     * @param code the code, validated
     * @param scale upscaling factor
     * @return PNG bytes
     */
    public byte[] decode(float[] code, int scale) {
        return png(await(worker.decode(code)), 0, scale);
    }

    /**
     * The decoded record of one code, unrounded (for tests and the load generator's checks).
     *
     * @param code the code
     * @return {@code featureSize} values
     */
    public float[] decodeValues(float[] code) {
        return await(worker.decode(code));
    }

    /** Encodes test record {@code index}. */
    public ObjectNode encodeIndex(int index) {
        checkIndex(index);
        float[] x = record(index);
        Posterior p = await(worker.submit(() -> model.encode(x, 1)));
        ObjectNode o = posteriorJson(p);
        o.put("index", index);
        if (data.hasLabels()) {
            int label = data.labels()[index];
            o.put("label", label);
            if (label < data.labelNames().size()) {
                o.put("labelName", data.labelNames().get(label));
            }
        }
        o.put("image", Png.base64(pad(x), 0, channels, height, width, 1));
        return o;
    }

    /** Encodes an uploaded image, resized to the model's size. */
    public ObjectNode encodeUpload(byte[] bytes, boolean invert) {
        if (!image) {
            throw new BadRequest("this model's records are flat vectors, not images; encode a data index instead");
        }
        float[] x = ImageUpload.toRecord(bytes, channels, height, width, invert);
        float[] in = Inputs.forEvaluation(x, model.config().transform());
        Posterior p = await(worker.submit(() -> model.encode(in, 1)));
        ObjectNode o = posteriorJson(p);
        o.put("image", Png.base64(x, 0, channels, height, width, 1));
        return o;
    }

    /** Decodes {@code n} codes drawn from the prior. */
    public ObjectNode sample(int n, long seed, int scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] z = new float[n * latent];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) VaeModel.Gaussian.next(r);
        }
        float[] x = await(worker.submit(() -> Encodings.decode(model, z, n)));
        ObjectNode o = Params.MAPPER.createObjectNode();
        o.put("seed", seed);
        o.set("images", images(x, n, scale));
        o.set("codes", codes(z, n));
        return o;
    }

    /** Decodes the path between two codes. */
    public ObjectNode interpolate(float[] a, float[] b, int steps, Interpolation.Mode mode, int scale) {
        float[] path = Interpolation.path(a, b, steps, mode);
        float[] x = await(worker.submit(() -> Encodings.decode(model, path, steps)));
        ObjectNode o = Params.MAPPER.createObjectNode();
        o.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        o.set("images", images(x, steps, scale));
        o.set("codes", codes(path, steps));
        return o;
    }

    /** The code of test record {@code index} (its posterior mean). */
    public float[] codeOf(int index) {
        checkIndex(index);
        float[] x = record(index);
        return await(worker.submit(() -> model.encode(x, 1).mu()));
    }

    /** Traversal rows for the {@code dims} highest-ranked dimensions around {@code base}. */
    public ObjectNode traverse(float[] base, int dims, double range, int steps, int scale) {
        if (dims < 1 || dims > latent) {
            throw new BadRequest("'dims' must be in 1.." + latent + " (the latent size), got " + dims);
        }
        if ((long) dims * steps > Params.MAX_COUNT) {
            throw new BadRequest("dims × steps must be at most " + Params.MAX_COUNT + ", got " + (long) dims * steps);
        }
        int[] rows = Arrays.copyOf(order, dims);
        float[] x = await(worker.submit(() -> Traversal.decode(model, base, rows, range, steps)));
        ObjectNode o = Params.MAPPER.createObjectNode();
        if (measure != null) {
            o.put("measure", measure);
        }
        o.set("values", Params.MAPPER.valueToTree(Traversal.values(range, steps)));
        ArrayNode out = o.putArray("rows");
        int d = model.featureSize();
        for (int r = 0; r < dims; r++) {
            ObjectNode row = out.addObject();
            row.put("dim", rows[r]);
            if (scores != null) {
                row.put("score", scores[rows[r]]);
            }
            row.set("images", images(Arrays.copyOfRange(x, r * steps * d, (r + 1) * steps * d), steps, scale));
        }
        return o;
    }

    /** Fills the masked pixels of test record {@code index}. */
    public ObjectNode inpaint(int index, boolean[] missing, Inpainting.Method method, int iterations, int scale) {
        if (!image) {
            throw new BadRequest("inpainting needs image records; this model's records are flat vectors");
        }
        checkIndex(index);
        Mask mask;
        try {
            mask = Mask.of("drawn", height, width, missing);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage().contains("hides no pixels") ? "the mask hides no pixels; mark some pixels with 1"
                    : e.getMessage());
        }
        float[] x = record(index);
        float[] filled = await(worker.submit(() -> Inpainting.inpaint(model, x, 1, mask, method, iterations)));
        ObjectNode o = Params.MAPPER.createObjectNode();
        o.put("index", index);
        o.put("missing", mask.missingPixels());
        o.put("squaredError", ImageMetrics.maskedSquaredError(x, filled, 1, channels, mask));
        o.put("original", Png.base64(x, 0, channels, height, width, scale));
        o.put("masked", Png.base64(mask.fill(x, 1, channels, HOLE), 0, channels, height, width, scale));
        o.put("filled", Png.base64(filled, 0, channels, height, width, scale));
        return o;
    }

    /** Test record {@code index} as the model sees it, as PNG. */
    public byte[] recordPng(int index, int scale) {
        checkIndex(index);
        return png(record(index), 0, scale);
    }

    /** Micro-batching counters. */
    public ObjectNode stats() {
        ObjectNode o = Params.MAPPER.createObjectNode();
        o.put("forwardPasses", worker.forwardPasses());
        o.put("decodedCodes", worker.decodedCodes());
        o.put("largestBatch", worker.largestBatch());
        return o;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** Checks a record index, 400 when out of range or when no data set is loaded. */
    public void checkIndex(int index) {
        if (data == null) {
            throw new BadRequest("no data set is loaded: start the server with --data to use record indices");
        }
        if (index < 0 || index >= data.size()) {
            throw new BadRequest("index " + index + " is out of range (0.." + (data.size() - 1) + ")");
        }
    }

    private float[] record(int index) {
        int d = model.featureSize();
        return Arrays.copyOfRange(records, index * d, (index + 1) * d);
    }

    private ObjectNode posteriorJson(Posterior p) {
        ObjectNode o = Params.MAPPER.createObjectNode();
        o.set("mu", floats(p.mu()));
        if (p.logvar() != null) {
            o.set("logvar", floats(p.logvar()));
        } else {
            o.putNull("logvar");
        }
        return o;
    }

    private static ArrayNode floats(float[] v) {
        ArrayNode a = Params.MAPPER.createArrayNode();
        for (float f : v) {
            a.add(f);
        }
        return a;
    }

    private ArrayNode codes(float[] z, int n) {
        ArrayNode a = Params.MAPPER.createArrayNode();
        for (int i = 0; i < n; i++) {
            a.add(floats(Arrays.copyOfRange(z, i * latent, (i + 1) * latent)));
        }
        return a;
    }

    private ArrayNode images(float[] x, int n, int scale) {
        ArrayNode a = Params.MAPPER.createArrayNode();
        int d = model.featureSize();
        for (int i = 0; i < n; i++) {
            a.add(java.util.Base64.getEncoder().encodeToString(png(x, i * d, scale)));
        }
        return a;
    }

    private byte[] png(float[] x, int offset, int scale) {
        if (image) {
            return Png.encode(x, offset, channels, height, width, scale);
        }
        float[] p = new float[height * width];
        System.arraycopy(x, offset, p, 0, model.featureSize());
        return Png.encode(p, 0, 1, height, width, scale);
    }

    private float[] pad(float[] x) {
        if (image) {
            return x;
        }
        return Arrays.copyOf(x, height * width);
    }

    /** Waits for the worker; maps failures to client or server errors. */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new BadRequest(503, "the model did not answer within " + TIMEOUT_S + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadRequest(503, "interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof BadRequest b) {
                throw b;
            }
            if (c instanceof ModelWorker.BusyException) {
                throw new BadRequest(503, c.getMessage());
            }
            if (c instanceof IllegalStateException && "the server is shutting down".equals(c.getMessage())) {
                throw new BadRequest(503, c.getMessage());
            }
            if (c instanceof IllegalArgumentException) {
                throw new BadRequest(Safe.text(c.getMessage()));
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("model failure", c);
        }
    }

    private JsonNode infoJson(Card card) {
        ObjectNode o = Params.MAPPER.createObjectNode();
        o.put("name", card.name());
        o.put("latent", latent);
        ArrayNode shape = o.putArray("imageShape");
        shape.add(channels).add(height).add(width);
        o.put("image", image);
        o.set("config", lenient(card.configJson()));
        Provenance p = card.provenance();
        if (p != null) {
            o.set("provenance", lenient(Json.write(p)));
            o.set("metrics", p.finalMetrics() == null ? Params.MAPPER.createObjectNode() : lenient(Json.write(p.finalMetrics())));
        } else {
            o.putNull("provenance");
            o.putNull("metrics");
        }
        o.put("parameters", model.parameterCount());
        if (scores != null) {
            o.put("measure", measure);
            o.set("scores", Params.MAPPER.valueToTree(scores));
        } else {
            o.putNull("measure");
            o.putNull("scores");
        }
        o.set("order", Params.MAPPER.valueToTree(order));
        if (data != null) {
            ObjectNode d = o.putObject("data");
            d.put("name", data.name());
            d.put("records", data.size());
            d.put("labels", data.hasLabels());
            d.set("labelNames", Params.MAPPER.valueToTree(data.labelNames()));
            d.put("map", map != null);
        } else {
            o.putNull("data");
        }
        ObjectNode lim = o.putObject("limits");
        lim.put("maxAbs", Params.MAX_ABS);
        lim.put("maxCount", Params.MAX_COUNT);
        lim.put("maxUploadBytes", WebServer.MAX_UPLOAD_BYTES);
        lim.put("maxUploadPixels", ImageUpload.MAX_PIXELS);
        return o;
    }

    private JsonNode mapJson(LatentProjection p) {
        ObjectNode o = Params.MAPPER.createObjectNode();
        o.put("description", p.describe());
        o.put("pca", p.pca());
        o.put("n", p.n());
        ArrayNode xs = o.putArray("x");
        ArrayNode ys = o.putArray("y");
        for (int i = 0; i < p.n(); i++) {
            xs.add(p.points()[2 * i]);
            ys.add(p.points()[2 * i + 1]);
        }
        if (data.hasLabels()) {
            o.set("labels", Params.MAPPER.valueToTree(Arrays.copyOf(data.labels(), p.n())));
            o.set("labelNames", Params.MAPPER.valueToTree(data.labelNames()));
        }
        return o;
    }

    private static JsonNode lenient(String json) {
        try {
            return LENIENT.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode n) {
        try {
            return Params.MAPPER.writeValueAsBytes(n);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Stops the worker thread (the model stays open). */
    @Override
    public void close() {
        worker.close();
    }
}
