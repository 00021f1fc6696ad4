package org.vae4j.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.vae4j.data.ArrayDataset;
import org.vae4j.latent.Conditions;
import org.vae4j.latent.Encodings;
import org.vae4j.latent.ImageMetrics;
import org.vae4j.latent.Inpainting;
import org.vae4j.latent.Interpolation;
import org.vae4j.latent.LatentProjection;
import org.vae4j.latent.Mask;
import org.vae4j.latent.Traversal;
import org.vae4j.generate.CodeSampler;
import org.vae4j.generate.PriorSamples;
import org.vae4j.model.Capability;
import org.vae4j.model.Posterior;
import org.vae4j.model.Provenance;
import org.vae4j.model.UnsupportedCapabilityException;
import org.vae4j.model.VaeModel;
import org.vae4j.train.Inputs;
import org.vae4j.util.Json;

/**
 * What the web app can do with one model (and optionally the test split of a data set): every operation validates
 * its arguments, runs the model on the {@link ModelWorker} and returns PNG bytes or JSON. The HTTP layer only parses
 * requests and writes answers.
 *
 * <p>The explorer asks the model what it can do: a panel whose operation needs a capability the model lacks (a
 * decoder-only model cannot encode records) is listed in {@code /api/info} under {@code unavailable} with the
 * one-line reason, and its endpoint answers 400 with the same reason. A conditional model (cvae) takes a label with
 * every request that decodes; requests that start from a test record default to the record's own label.
 */
public final class Explorer implements AutoCloseable {
    /** Mid-grey shown for missing pixels. */
    static final float HOLE = 0.5f;
    private static final long TIMEOUT_S = 120;

    /** Everything about the model other than the weights, for the model card. */
    public record Card(String name, String configJson, Provenance provenance, CodeSampler fitted) {
        /** A card without a fitted sampler (samples come from the prior). */
        public Card(String name, String configJson, Provenance provenance) {
            this(name, configJson, provenance, null);
        }
    }

    private final VaeModel model;
    private final ModelWorker worker;
    /** A code sampler fitted to the training codes (gmm:10), or null. */
    private final CodeSampler fitted;
    private final int latent;
    /** Records in the whole test split, of which the explorer serves {@link #records()}. */
    private final int testRecords;
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
    private final boolean conditional;
    private final int classes;
    private final List<String> labelNames;
    private final java.util.Map<String, String> unavailable = new java.util.LinkedHashMap<>();

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
        this(model, test, card, worker, dataLimit, test == null ? 0 : test.size());
    }

    /**
     * Prepares an explorer over the first records of a test split that has more than are served (the page says how many
     * of how many).
     *
     * @param model the model (not closed by the explorer)
     * @param test the first records of the test split, or null; at most {@code dataLimit} of them are used
     * @param card model card information
     * @param worker the worker thread that runs the model (closed with the explorer)
     * @param dataLimit most records used for ranking and the latent map
     * @param testRecords records in the whole test split
     */
    public Explorer(VaeModel model, ArrayDataset test, Card card, ModelWorker worker, int dataLimit, int testRecords) {
        this.model = model;
        this.worker = worker;
        this.fitted = card.fitted();
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
        this.testRecords = data == null ? 0 : Math.max(testRecords, data.size());
        this.conditional = model.can(Capability.CONDITIONAL);
        this.classes = model.classes();
        int[] dataLabels = data != null && data.hasLabels() ? data.labels() : null;
        this.labelNames = conditional && dataLabels != null && data.labelNames().size() >= classes ? List.copyOf(data.labelNames()) : null;
        panel("decode", "decoding codes", Capability.DECODES);
        panel("encode", "encoding records", Capability.ENCODES);
        panel("map", "latent map", Capability.ENCODES);
        panel("interpolate", "interpolation between records", Capability.ENCODES, Capability.DECODES);
        panel("traverse", "traversal", Capability.DECODES);
        panel("sample", "sampling", Capability.SAMPLES, Capability.DECODES);
        panel("inpaint", "inpainting", Capability.ENCODES, Capability.DECODES);
        if (data != null && conditional && dataLabels == null) {
            for (String p : List.of("encode", "map", "interpolate", "inpaint")) {
                unavailable.putIfAbsent(p, data.name() + " has no labels, and a '" + model.config().model() + "' model is conditional");
            }
        }
        if (data != null && !unavailable.containsKey("map")) {
            int[] conditions = conditional ? dataLabels : null;
            Object[] prepared = await(worker.submit(() -> {
                Traversal.Ranking r = Traversal.rank(model, records, data.size(), conditions);
                LatentProjection p = data.size() >= 2 ? LatentProjection.of(model, records, data.size(), conditions) : null;
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

    /** Records a panel as unavailable, with the one-line reason, when the model lacks a capability it needs. */
    private void panel(String name, String what, Capability... needs) {
        for (Capability c : needs) {
            if (!model.can(c)) {
                unavailable.put(name, new UnsupportedCapabilityException(model.config().model(), c, what).getMessage());
                return;
            }
        }
    }

    /** Refuses a request to a panel the model cannot serve (400 with the reason). */
    private void require(String panel) {
        String reason = unavailable.get(panel);
        if (reason != null) {
            throw new BadRequest(reason);
        }
    }

    /** Panels the model cannot serve, with the reason (empty when it serves them all). */
    public java.util.Map<String, String> unavailable() {
        return java.util.Collections.unmodifiableMap(unavailable);
    }

    /**
     * The label a request gives the model: the requested one (checked), else for a conditional model the fallback (a
     * record's own label), else a 400 asking for it; {@code -1} for a model that takes no label.
     */
    private int label(Integer requested, Integer fallback, String what) {
        if (requested != null) {
            if (!conditional) {
                throw new BadRequest(new UnsupportedCapabilityException(model.config().model(), Capability.CONDITIONAL, "'label'").getMessage());
            }
            if (requested < 0 || requested >= classes) {
                throw new BadRequest("'label' must be in 0.." + (classes - 1) + ", got " + requested);
            }
            return requested;
        }
        if (!conditional) {
            return -1;
        }
        if (fallback != null) {
            return fallback;
        }
        throw new BadRequest(what + ": 'label' is required: a '" + model.config().model() + "' model is conditional (labels 0.."
                + (classes - 1) + ")");
    }

    /** The test record's own label, or null when the data are unlabelled. */
    private Integer ownLabel(int index) {
        return data != null && data.hasLabels() ? data.labels()[index] : null;
    }

    /** {@code n} copies of a label, or null for {@code -1} (no label). */
    private static int[] labels(int label, int n) {
        return label < 0 ? null : Conditions.fixed(label, n);
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

    /** Records in the whole test split (at least {@link #records()}; 0 without data). */
    public int testRecords() {
        return testRecords;
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
            require("map");
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
        return decode(code, null, scale);
    }

    /**
     * Decodes one code given a label (conditional models; micro-batched with concurrent requests of any label).
     *
     * @param code the code, validated
     * @param label the class for a conditional model, null for one that takes none
     * @param scale upscaling factor
     * @return PNG bytes
     */
    public byte[] decode(float[] code, Integer label, int scale) {
        require("decode");
        return png(await(worker.decode(code, label(label, null, "decode"))), 0, scale);
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

    /** Encodes test record {@code index} (a conditional model given the record's own label). */
    public ObjectNode encodeIndex(int index) {
        return encodeIndex(index, null);
    }

    /**
     * Encodes test record {@code index} given a label (conditional models; default: the record's own).
     *
     * @param index the record
     * @param label the class to encode it given, or null
     * @return μ, log σ², the record's own label, the label used ({@code condition}) and the record as PNG
     */
    public ObjectNode encodeIndex(int index, Integer label) {
        require("encode");
        checkIndex(index);
        int k = label(label, ownLabel(index), "encode");
        float[] x = record(index);
        Posterior p = await(worker.submit(() -> Encodings.encode(model, x, 1, labels(k, 1))));
        ObjectNode o = posteriorJson(p);
        o.put("index", index);
        if (k >= 0) {
            o.put("condition", k);
        }
        if (data.hasLabels()) {
            int own = data.labels()[index];
            o.put("label", own);
            if (own < data.labelNames().size()) {
                o.put("labelName", data.labelNames().get(own));
            }
        }
        o.put("image", Png.base64(pad(x), 0, channels, height, width, 1));
        return o;
    }

    /** Encodes an uploaded image, resized to the model's size. */
    public ObjectNode encodeUpload(byte[] bytes, boolean invert) {
        return encodeUpload(bytes, invert, null);
    }

    /** Encodes an uploaded image given a label (which a conditional model requires). */
    public ObjectNode encodeUpload(byte[] bytes, boolean invert, Integer label) {
        require("encode");
        int k = label(label, null, "encode an image");
        if (!image) {
            throw new BadRequest("this model's records are flat vectors, not images; encode a data index instead");
        }
        float[] x = ImageUpload.toRecord(bytes, channels, height, width, invert);
        float[] in = Inputs.forEvaluation(x, model.config().transform());
        Posterior p = await(worker.submit(() -> Encodings.encode(model, in, 1, labels(k, 1))));
        ObjectNode o = posteriorJson(p);
        if (k >= 0) {
            o.put("condition", k);
        }
        o.put("image", Png.base64(x, 0, channels, height, width, 1));
        return o;
    }

    /** Decodes {@code n} codes drawn from the prior. */
    public ObjectNode sample(int n, long seed, int scale) {
        return sample(n, seed, null, scale);
    }

    /** Decodes {@code n} codes drawn from the prior, given a label (which a conditional model requires). */
    public ObjectNode sample(int n, long seed, Integer label, int scale) {
        return sample(n, seed, label, scale, "prior");
    }

    /** The samplers {@link #sample(int, long, Integer, int, String)} offers: the fitted one first (the default), then the prior. */
    public List<String> samplers() {
        return fitted == null ? List.of("prior") : List.of(fitted.spec(), "prior");
    }

    /**
     * Decodes {@code n} codes drawn from a sampler, given a label (which a conditional model requires).
     *
     * @param sampler {@code prior}, the fitted sampler's name ({@code gmm:10}), or null for the default (the fitted one
     *     when the model has one, else the prior)
     */
    public ObjectNode sample(int n, long seed, Integer label, int scale, String sampler) {
        require("sample");
        int k = label(label, null, "sample");
        CodeSampler chosen;
        if (sampler == null) {
            chosen = fitted != null ? fitted : CodeSampler.PRIOR;
        } else if (sampler.equals("prior")) {
            chosen = CodeSampler.PRIOR;
        } else if (fitted != null && sampler.equals(fitted.spec())) {
            chosen = fitted;
        } else {
            throw new BadRequest("'sampler' must be one of " + String.join(", ", samplers()) + ", got '" + Safe.text(sampler) + "'");
        }
        PriorSamples.Labels labels = k >= 0 ? PriorSamples.Labels.fixed(k) : PriorSamples.Labels.none();
        // the model's own prior (N(0, I) unless it has a learned one: hvae, vamp), drawn as VaeModel.priorCodes draws it,
        // or the mixture fitted to the training codes (sample --sampler)
        float[] z = await(worker.submit(() -> chosen == CodeSampler.PRIOR ? model.priorCodes(n, seed)
                : PriorSamples.codes(model, n, seed, labels, chosen)));
        float[] x = await(worker.submit(() -> Encodings.decode(model, z, n, labels(k, n))));
        ObjectNode o = Params.MAPPER.createObjectNode();
        o.put("seed", seed);
        o.put("sampler", chosen.spec());
        if (k >= 0) {
            o.put("label", k);
        }
        o.set("images", images(x, n, scale));
        o.set("codes", codes(z, n));
        return o;
    }

    /** Decodes the path between two codes. */
    public ObjectNode interpolate(float[] a, float[] b, int steps, Interpolation.Mode mode, int scale) {
        return interpolate(a, null, b, null, steps, mode, null, scale);
    }

    /**
     * Decodes the path between two endpoints, each a code or a test record (encoded given the path's label). A
     * conditional model interpolates within one class: {@code label}, else the label both records share.
     *
     * @param a the first code, or null when {@code ia} is given
     * @param ia the first record, or null
     * @param b the second code, or null when {@code ib} is given
     * @param ib the second record, or null
     * @param steps images, endpoints included
     * @param mode linear or spherical
     * @param label the class held fixed along the path, or null
     * @param scale upscaling factor
     * @return the images and codes of the path, and the label used
     */
    public ObjectNode interpolate(float[] a, Integer ia, float[] b, Integer ib, int steps, Interpolation.Mode mode, Integer label, int scale) {
        require(ia != null || ib != null ? "interpolate" : "decode");
        if (ia != null) {
            checkIndex(ia);
        }
        if (ib != null) {
            checkIndex(ib);
        }
        Integer shared = ia != null && ib != null && java.util.Objects.equals(ownLabel(ia), ownLabel(ib)) ? ownLabel(ia) : null;
        int k = label(label, shared, "interpolate");
        float[] za = a != null ? a : codeOf(ia, k);
        float[] zb = b != null ? b : codeOf(ib, k);
        float[] path = Interpolation.path(za, zb, steps, mode);
        float[] x = await(worker.submit(() -> k < 0 ? Interpolation.decodeCodes(model, za, zb, steps, mode)
                : Interpolation.decodeCodes(model, za, zb, steps, mode, k)));
        ObjectNode o = Params.MAPPER.createObjectNode();
        o.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        if (k >= 0) {
            o.put("label", k);
        }
        o.set("images", images(x, steps, scale));
        o.set("codes", codes(path, steps));
        return o;
    }

    /** The code of test record {@code index} (its posterior mean; a conditional model's given the record's label). */
    public float[] codeOf(int index) {
        require("encode");
        checkIndex(index);
        return codeOf(index, label(null, ownLabel(index), "encode"));
    }

    /** The code of test record {@code index} given label {@code k} ({@code -1}: none). */
    private float[] codeOf(int index, int k) {
        require("encode");
        checkIndex(index);
        float[] x = record(index);
        return await(worker.submit(() -> Encodings.encode(model, x, 1, labels(k, 1)).mu()));
    }

    /** Traversal rows for the {@code dims} highest-ranked dimensions around {@code base}. */
    public ObjectNode traverse(float[] base, int dims, double range, int steps, int scale) {
        return traverse(base, null, dims, range, steps, null, scale);
    }

    /**
     * Traversal rows for the {@code dims} highest-ranked dimensions around a code or a test record's code; a
     * conditional model traverses within one class ({@code label}, else the record's own).
     *
     * @param base the fixed code, or null for the record's (or zeros when neither is given)
     * @param index the record whose code fixes the others, or null
     * @param dims rows
     * @param range half-width of each sweep
     * @param steps images per row
     * @param label the class held fixed, or null
     * @param scale upscaling factor
     * @return the rows, their values, and the label used
     */
    public ObjectNode traverse(float[] base, Integer index, int dims, double range, int steps, Integer label, int scale) {
        require("traverse");
        if (index != null) {
            checkIndex(index);
        }
        int k = label(label, index == null ? null : ownLabel(index), "traverse");
        float[] from = base != null ? base : index != null ? codeOf(index, k) : new float[latent];
        if (dims < 1 || dims > latent) {
            throw new BadRequest("'dims' must be in 1.." + latent + " (the latent size), got " + dims);
        }
        if ((long) dims * steps > Params.MAX_COUNT) {
            throw new BadRequest("dims × steps must be at most " + Params.MAX_COUNT + ", got " + (long) dims * steps);
        }
        int[] rows = Arrays.copyOf(order, dims);
        float[] x = await(worker.submit(() -> k < 0 ? Traversal.decode(model, from, rows, range, steps)
                : Traversal.decode(model, from, rows, range, steps, k)));
        ObjectNode o = Params.MAPPER.createObjectNode();
        if (measure != null) {
            o.put("measure", measure);
        }
        if (k >= 0) {
            o.put("label", k);
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
        return inpaint(index, missing, method, iterations, null, scale);
    }

    /** Fills the masked pixels of test record {@code index}, a conditional model's given {@code label} (default: its own). */
    public ObjectNode inpaint(int index, boolean[] missing, Inpainting.Method method, int iterations, Integer label, int scale) {
        require("inpaint");
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
        int k = label(label, ownLabel(index), "inpaint");
        float[] x = record(index);
        float[] filled = await(worker.submit(() -> Inpainting.inpaint(model, x, 1, labels(k, 1), mask, method, iterations)));
        ObjectNode o = Params.MAPPER.createObjectNode();
        o.put("index", index);
        if (k >= 0) {
            o.put("label", k);
        }
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

    /**
     * The configuration as the model card shows it: {@code config.json} without its {@code sigma} unless the likelihood
     * is {@code gaussian-fixed}, the one likelihood that uses it (every config carries the field, 1.0 by default, which
     * read as a claim about a Bernoulli model's noise).
     *
     * @param configJson the model's config.json text
     * @return the configuration to show
     */
    static JsonNode cardConfig(String configJson) {
        JsonNode config = Json.parse(configJson, "config.json");
        if (config instanceof ObjectNode o && !"gaussian-fixed".equals(o.path("likelihood").asText())) {
            o.remove("sigma");
        }
        return config;
    }

    private JsonNode infoJson(Card card) {
        ObjectNode o = Params.MAPPER.createObjectNode();
        o.put("name", card.name());
        o.put("latent", latent);
        ArrayNode shape = o.putArray("imageShape");
        shape.add(channels).add(height).add(width);
        o.put("image", image);
        o.set("config", cardConfig(card.configJson()));
        Provenance p = card.provenance();
        if (p != null) {
            o.set("provenance", Json.tree(p));
            o.set("metrics", p.finalMetrics() == null ? Params.MAPPER.createObjectNode() : Json.tree(p.finalMetrics()));
        } else {
            o.putNull("provenance");
            o.putNull("metrics");
        }
        o.put("parameters", model.parameterCount());
        o.set("samplers", Params.MAPPER.valueToTree(samplers()));
        ArrayNode caps = o.putArray("capabilities");
        for (Capability c : Capability.values()) {
            if (model.can(c)) {
                caps.add(c.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            }
        }
        o.set("unavailable", Params.MAPPER.valueToTree(unavailable));
        o.put("conditional", conditional);
        if (conditional) {
            o.put("classes", classes);
            o.set("labelNames", labelNames == null ? Params.MAPPER.nullNode() : Params.MAPPER.valueToTree(labelNames));
        }
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
            d.put("testRecords", testRecords);
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
