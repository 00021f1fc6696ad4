package org.vae4j.judge;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.vae4j.data.Dataset;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.ModelFormatException;
import org.vae4j.io.SafeTensors;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelStore;
import org.vae4j.nn.Activations;
import org.vae4j.nn.InputBuffer;
import org.vae4j.nn.LayerStack;
import org.vae4j.train.AdamOptimizer;
import org.vae4j.util.Json;
import org.vae4j.util.Permutations;

/**
 * A small supervised classifier of records (MNIST digits, or any labelled data set of the same kind), to judge
 * generated samples by: does a sample of "3" look like a 3 to a network that never saw the generator?
 *
 * <p>The network is an MLP or a small convolutional net ({@link ArchConfig}: stride-2 convolutions, flatten, dense
 * hidden layers) followed by a dense layer of one logit per class, trained with Adam on the softmax cross-entropy.
 * Training is deterministic for a seed (weights from the engine's generator seeded once, record order from
 * {@link Permutations}; bit-identical on one thread). {@link #features} gives the last hidden layer's activations, a
 * feature space for distances between sets of images.
 *
 * <pre>{@code
 * try (DigitClassifier c = DigitClassifier.train(splits.train(), 1)) {
 *     double acc = c.accuracy(splits.test());
 *     int[] predicted = c.predict(samples, n);
 *     c.save(Path.of("judge"));
 * }
 * }</pre>
 *
 * Save format: {@code classifier.json} ({@link Meta}) and {@code weights.safetensors} (float32 tensors named
 * {@code features.fc1.weight}, ..., {@code logits.out.weight}).
 */
public final class DigitClassifier implements AutoCloseable {
    /** The description file of a saved classifier. */
    public static final String META = "classifier.json";
    /** The weights file of a saved classifier. */
    public static final String WEIGHTS = "weights.safetensors";
    /** Format of {@link #META}. */
    public static final int FORMAT_VERSION = 1;
    /** Records per forward pass when predicting. */
    static final int PREDICT_BATCH = 1000;

    private final Meta meta;
    private final NDManager manager;
    private final LayerStack features;
    private final LayerStack logits;
    private final ParameterStore ps;

    /**
     * How to train.
     *
     * @param arch the network before the class logits (its hidden layers, and convolutions for {@code conv})
     * @param epochs passes over the training records, ≥ 1
     * @param batchSize records per step, ≥ 1
     * @param lr Adam's learning rate, &gt; 0
     */
    public record Settings(ArchConfig arch, int epochs, int batchSize, double lr) {
        /** Validates. */
        public Settings {
            if (arch == null) {
                throw new IllegalArgumentException("classifier architecture missing");
            }
            if (epochs < 1 || epochs > 1000 || batchSize < 1 || !(lr > 0 && lr < 10)) {
                throw new IllegalArgumentException("classifier needs epochs in 1..1000, batch size >= 1 and 0 < lr < 10; got "
                        + epochs + ", " + batchSize + ", " + lr);
            }
        }

        /**
         * The defaults: an MLP with hidden layers of 512 and 256 ReLU units, 5 epochs, batch 128, learning rate 1e-3
         * (about 98% test accuracy on MNIST).
         */
        public static Settings defaults() {
            return new Settings(ArchConfig.mlp(512, 256), 5, 128, 1e-3);
        }

        /**
         * The yardstick's classifier ({@link Yardstick}): a small conv net — stride-2 convolutions of 32 and 64
         * channels, a dense ReLU layer of 128 units (the feature space) and the class logits — 3 epochs, batch 128,
         * learning rate 1e-3 (about 98.7% test accuracy on MNIST).
         */
        public static Settings yardstick() {
            return new Settings(ArchConfig.conv(List.of(32, 64), 128), 3, 128, 1e-3);
        }

        /**
         * {@link #yardstick()} with enough epochs for {@code trainRecords} records: about 1,400 steps, as 3 epochs of
         * the 60,000 MNIST images give — 3 epochs from 60,000 records up, more for fewer, at most 30. (On 8,000
         * 32×32 shapes, 3 epochs reached 45% test accuracy, 10 epochs 98.75%.)
         */
        public static Settings yardstick(int trainRecords) {
            int epochs = (int) Math.min(30, Math.max(3, Math.ceil(180_000.0 / Math.max(1, trainRecords))));
            return yardstick().withEpochs(epochs);
        }

        /** The same with another number of epochs. */
        public Settings withEpochs(int e) {
            return new Settings(arch, e, batchSize, lr);
        }

        /** The same with another architecture. */
        public Settings withArch(ArchConfig a) {
            return new Settings(a, epochs, batchSize, lr);
        }
    }

    /**
     * What a saved classifier is ({@link #META}).
     *
     * @param formatVersion {@link #FORMAT_VERSION}
     * @param inputShape record shape ({@code [C, H, W]} or {@code [D]})
     * @param classes number of classes (logits)
     * @param labelNames the training data's label names (may be empty)
     * @param settings how it was trained
     * @param seed the seed it was trained with
     * @param dataName the training data set's name
     * @param dataHash the training data's content hash
     * @param trainRecords records it was trained on
     */
    public record Meta(int formatVersion, List<Integer> inputShape, int classes, List<String> labelNames, Settings settings,
            long seed, String dataName, String dataHash, int trainRecords) {
        /** Validates. */
        public Meta {
            if (formatVersion != FORMAT_VERSION) {
                throw new IllegalArgumentException("unsupported classifier format version " + formatVersion);
            }
            inputShape = List.copyOf(inputShape);
            labelNames = labelNames == null ? List.of() : List.copyOf(labelNames);
            if (inputShape.isEmpty() || inputShape.size() > 3 || inputShape.stream().anyMatch(s -> s < 1 || s > 1 << 16)) {
                throw new IllegalArgumentException("bad input shape " + inputShape);
            }
            if (classes < 2 || classes > 10_000) {
                throw new IllegalArgumentException("classes must be in 2..10000, got " + classes);
            }
            if (settings.arch().type().equals(ArchConfig.CONV) && inputShape.size() != 3) {
                throw new IllegalArgumentException("a conv classifier needs image records (C×H×W), not shape " + inputShape);
            }
        }

        /** Values per record. */
        public int featureSize() {
            return inputShape.stream().reduce(1, Math::multiplyExact);
        }
    }

    private DigitClassifier(Meta meta) {
        this.meta = meta;
        this.manager = NDManager.newBaseManager();
        try {
            ArchConfig a = meta.settings().arch();
            UnaryOperator<NDArray> act = Activations.get(a.activation());
            LayerStack.Builder b = LayerStack.builder();
            long in;
            List<Integer> s = meta.inputShape();
            if (a.type().equals(ArchConfig.CONV)) {
                long ch = s.get(0);
                long h = s.get(1);
                long w = s.get(2);
                for (int i = 0; i < a.channels().size(); i++) {
                    int out = a.channels().get(i);
                    b.conv("conv" + (i + 1), ch, out, 4, 2, 1).activation(act).dropout(a.dropout());
                    ch = out;
                    h /= 2;
                    w /= 2;
                }
                if (h < 1 || w < 1) {
                    throw new IllegalArgumentException("too many conv stages for records of shape " + s);
                }
                in = ch * h * w;
            } else {
                in = meta.featureSize();
            }
            b.reshape(in);
            for (int i = 0; i < a.hidden().size(); i++) {
                b.dense("fc" + (i + 1), in, a.hidden().get(i)).activation(act).dropout(a.dropout());
                in = a.hidden().get(i);
            }
            this.features = b.build();
            this.logits = LayerStack.builder().dense("out", in, meta.classes()).build();
            long[] dims = new long[s.size() + 1];
            dims[0] = 1;
            for (int i = 0; i < s.size(); i++) {
                dims[i + 1] = s.get(i);
            }
            features.initialize(manager, DataType.FLOAT32, new Shape(dims));
            logits.initialize(manager, DataType.FLOAT32, new Shape(1, in));
            this.ps = new ParameterStore(manager, false);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** {@link #train(Dataset, Settings, long, IntConsumer)} with {@link Settings#defaults()} and no progress. */
    public static DigitClassifier train(Dataset train, long seed) {
        return train(train, Settings.defaults(), seed, null);
    }

    /**
     * Trains a classifier on the labelled records of {@code train} (values as stored, in [0, 1]).
     *
     * @param train labelled records
     * @param settings architecture and optimisation
     * @param seed seed of the initial weights and of the record order
     * @param progress receives the number of training steps done (may be null)
     * @throws IllegalArgumentException when the data have no labels or fewer than two classes
     */
    public static DigitClassifier train(Dataset train, Settings settings, long seed, IntConsumer progress) {
        if (!train.hasLabels()) {
            throw new IllegalArgumentException(train.name() + ": a classifier needs labelled records");
        }
        int n = train.size();
        int[] labels = train.labels();
        int classes = train.labelNames().size();
        for (int y : labels) {
            classes = Math.max(classes, y + 1);
        }
        Meta meta = new Meta(FORMAT_VERSION, java.util.Arrays.stream(train.shape()).boxed().toList(), classes, train.labelNames(),
                settings, seed, train.name(), train.contentHash(), n);
        // the initialisers draw from the engine's generator: seed it once, as VaeModel.create does
        Engine.getInstance().setRandomSeed((int) seed);
        DigitClassifier c = new DigitClassifier(meta);
        try {
            c.fit(train, progress);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void fit(Dataset train, IntConsumer progress) {
        Settings s = meta.settings();
        int n = train.size();
        int d = meta.featureSize();
        int k = meta.classes();
        int[] labels = train.labels();
        int bs = Math.min(s.batchSize(), n);
        float[] x = new float[bs * d];
        float[] onehot = new float[bs * k];
        InputBuffer input = new InputBuffer();
        int steps = 0;
        try (AdamOptimizer adam = new AdamOptimizer(parameters(), manager, s.lr(), 0.9, 0.999, 1e-8)) {
            for (int epoch = 1; epoch <= s.epochs(); epoch++) {
                int[] order = Permutations.shuffled(n, meta.seed() * 1_000_003L + epoch);
                for (int start = 0; start < n; start += bs) {
                    int b = Math.min(bs, n - start);
                    java.util.Arrays.fill(onehot, 0f);
                    for (int i = 0; i < b; i++) {
                        train.copyRecord(order[start + i], x, i * d);
                        onehot[i * k + labels[order[start + i]]] = 1f;
                    }
                    try (NDManager sub = manager.newSubManager()) {
                        NDArray in = input.wrap(sub, x, 0, b * d, batchShape(b));
                        NDArray target = sub.create(java.util.Arrays.copyOf(onehot, b * k), new Shape(b, k));
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            // mean over the batch of −log softmax(logits)[label]; no Java numbers under autograd
                            NDArray loss = forward(in, true).logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
                            gc.backward(loss);
                        }
                        adam.step(sub, 1f);
                    }
                    steps++;
                    if (progress != null) {
                        progress.accept(steps);
                    }
                }
            }
        }
    }

    /** Training steps for {@code records} records with these settings (for progress bars). */
    public static int steps(int records, Settings s) {
        int bs = Math.min(s.batchSize(), Math.max(1, records));
        return s.epochs() * ((records + bs - 1) / bs);
    }

    private NDArray forward(NDArray x, boolean training) {
        NDArray h = features.forward(ps, new NDList(x), training, null).singletonOrThrow();
        return logits.forward(ps, new NDList(h), training, null).singletonOrThrow();
    }

    private Shape batchShape(long n) {
        List<Integer> s = meta.inputShape();
        long[] dims = new long[s.size() + 1];
        dims[0] = n;
        for (int i = 0; i < s.size(); i++) {
            dims[i + 1] = s.get(i);
        }
        return new Shape(dims);
    }

    /** Trainable parameters by stable name ({@code features.fc1.weight}, {@code logits.out.bias}), in a fixed order. */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : features.getParameters()) {
            out.put("features." + p.getKey().replaceFirst("^\\d\\d", "").replace('_', '.'), p.getValue().getArray());
        }
        for (Pair<String, Parameter> p : logits.getParameters()) {
            out.put("logits." + p.getKey().replaceFirst("^\\d\\d", "").replace('_', '.'), p.getValue().getArray());
        }
        return out;
    }

    /** What the classifier is and how it was trained. */
    public Meta meta() {
        return meta;
    }

    /** Number of classes. */
    public int classes() {
        return meta.classes();
    }

    /** Width of {@link #features}: the last hidden layer. */
    public int featureWidth() {
        List<Integer> h = meta.settings().arch().hidden();
        if (!h.isEmpty()) {
            return h.get(h.size() - 1);
        }
        return (int) features.getOutputShapes(new Shape[] {batchShape(1)})[0].get(1);
    }

    /**
     * The class logits of {@code n} records, {@value #PREDICT_BATCH} at a time.
     *
     * @param records {@code n × featureSize} values in [0, 1], row-major
     * @return {@code n × classes} logits
     */
    public float[] logits(float[] records, int n) {
        return apply(records, n, true, meta.classes());
    }

    /**
     * The last hidden layer's activations of {@code n} records, {@value #PREDICT_BATCH} at a time.
     *
     * @return {@code n × featureWidth()} values
     */
    public float[] features(float[] records, int n) {
        return apply(records, n, false, featureWidth());
    }

    /**
     * What one forward pass gives for a set of records: the last hidden layer's activations and the most probable
     * class.
     *
     * @param features {@code n × featureWidth()} values, row-major
     * @param predicted {@code n} labels
     */
    public record Outputs(float[] features, int[] predicted) {}

    /**
     * {@link #features} and {@link #predict} of {@code n} records in one forward pass, {@value #PREDICT_BATCH} at a
     * time.
     *
     * @param records {@code n × featureSize} values in [0, 1], row-major
     */
    public Outputs outputs(float[] records, int n) {
        int d = meta.featureSize();
        if (n < 0 || records.length < (long) n * d) {
            throw new IllegalArgumentException("expected " + n + " records of " + d + " values, got " + records.length + " values");
        }
        int width = featureWidth();
        int k = meta.classes();
        float[] f = new float[Math.multiplyExact(n, width)];
        int[] predicted = new int[n];
        InputBuffer input = new InputBuffer();
        for (int start = 0; start < n; start += PREDICT_BATCH) {
            int b = Math.min(PREDICT_BATCH, n - start);
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = input.wrap(sub, records, start * d, b * d, batchShape(b));
                NDArray h = features.forward(ps, new NDList(x), false, null).singletonOrThrow();
                float[] l = logits.forward(ps, new NDList(h), false, null).singletonOrThrow().toFloatArray();
                System.arraycopy(h.toFloatArray(), 0, f, start * width, b * width);
                for (int i = 0; i < b; i++) {
                    int best = 0;
                    for (int j = 1; j < k; j++) {
                        if (l[i * k + j] > l[i * k + best]) {
                            best = j;
                        }
                    }
                    predicted[start + i] = best;
                }
            }
        }
        return new Outputs(f, predicted);
    }

    private float[] apply(float[] records, int n, boolean toLogits, int width) {
        int d = meta.featureSize();
        if (n < 0 || records.length < (long) n * d) {
            throw new IllegalArgumentException("expected " + n + " records of " + d + " values, got " + records.length + " values");
        }
        float[] out = new float[Math.multiplyExact(n, width)];
        InputBuffer input = new InputBuffer();
        for (int start = 0; start < n; start += PREDICT_BATCH) {
            int b = Math.min(PREDICT_BATCH, n - start);
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = input.wrap(sub, records, start * d, b * d, batchShape(b));
                NDArray y = toLogits ? forward(x, false) : features.forward(ps, new NDList(x), false, null).singletonOrThrow();
                System.arraycopy(y.toFloatArray(), 0, out, start * width, b * width);
            }
        }
        return out;
    }

    /**
     * The most probable class of each of {@code n} records.
     *
     * @param records {@code n × featureSize} values in [0, 1], row-major (as the training data)
     * @return {@code n} labels
     */
    public int[] predict(float[] records, int n) {
        int k = meta.classes();
        float[] l = logits(records, n);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (l[i * k + j] > l[i * k + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * Share of a labelled data set's records classified as their label, read {@value #PREDICT_BATCH} at a time.
     *
     * @throws IllegalArgumentException if the data have no labels or another record shape
     */
    public double accuracy(Dataset data) {
        if (!data.hasLabels()) {
            throw new IllegalArgumentException(data.name() + ": accuracy needs labelled records");
        }
        if (!java.util.Arrays.equals(data.shape(), meta.inputShape().stream().mapToInt(Integer::intValue).toArray())) {
            throw new IllegalArgumentException(data.name() + ": records of shape " + java.util.Arrays.toString(data.shape())
                    + ", the classifier takes " + meta.inputShape());
        }
        int d = meta.featureSize();
        int n = data.size();
        long correct = 0;
        float[] x = new float[PREDICT_BATCH * d];
        for (int start = 0; start < n; start += PREDICT_BATCH) {
            int b = Math.min(PREDICT_BATCH, n - start);
            for (int i = 0; i < b; i++) {
                data.copyRecord(start + i, x, i * d);
            }
            int[] p = predict(x, b);
            for (int i = 0; i < b; i++) {
                correct += p[i] == data.labels()[start + i] ? 1 : 0;
            }
        }
        return n == 0 ? Double.NaN : (double) correct / n;
    }

    /**
     * The predicted-label histogram of the records in an {@code .npy} file (generated samples, decoder means in
     * [0, 1]), read {@value #PREDICT_BATCH} records at a time.
     *
     * @param samples an open reader at its first value; its shape must be {@code (N, inputShape...)} or
     *     {@code (N, featureSize)}
     * @throws IllegalArgumentException when the shape does not fit the classifier
     */
    public LabelShares classify(org.vae4j.io.Npy.Reader samples) {
        long[] shape = samples.shape();
        int d = meta.featureSize();
        List<Integer> in = meta.inputShape();
        boolean fits = shape.length == in.size() + 1;
        for (int i = 0; fits && i < in.size(); i++) {
            fits = shape[i + 1] == in.get(i);
        }
        fits |= shape.length == 2 && shape[1] == d;
        if (!fits) {
            throw new IllegalArgumentException("samples of shape " + java.util.Arrays.toString(shape) + " do not fit a classifier of "
                    + "records shaped " + in + " (expected (N, " + String.join(", ", in.stream().map(String::valueOf).toList()) + "))");
        }
        long n = shape[0];
        long[] counts = new long[meta.classes()];
        float[] x = new float[PREDICT_BATCH * d];
        for (long start = 0; start < n; start += PREDICT_BATCH) {
            int b = (int) Math.min(PREDICT_BATCH, n - start);
            samples.read(x, 0, b * d);
            for (int p : predict(x, b)) {
                counts[p]++;
            }
        }
        return new LabelShares(counts);
    }

    /** Share of {@code predicted} equal to {@code labels}, position by position. */
    public static double accuracy(int[] predicted, int[] labels) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
        }
        long c = 0;
        for (int i = 0; i < predicted.length; i++) {
            c += predicted[i] == labels[i] ? 1 : 0;
        }
        return predicted.length == 0 ? Double.NaN : (double) c / predicted.length;
    }

    /** Writes {@link #META} and {@link #WEIGHTS} into {@code dir} (created if needed), each atomically. */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot create directory: " + e.getMessage(), e);
        }
        String json = Json.write(meta);
        SafeTensors.write(dir.resolve(WEIGHTS), ModelStore.tensors(parameters()),
                Map.of("format", "vae4j-classifier/" + FORMAT_VERSION, "meta_sha256",
                        org.vae4j.io.Checksums.sha256(json.getBytes(StandardCharsets.UTF_8))));
        AtomicFiles.writeString(dir.resolve(META), json);
    }

    /** Whether {@code dir} holds a saved classifier. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(META)) && Files.isRegularFile(dir.resolve(WEIGHTS));
    }

    /**
     * Loads a classifier saved by {@link #save}, checking every tensor's name and shape.
     *
     * @throws ModelFormatException naming the file and the problem
     */
    public static DigitClassifier load(Path dir) {
        Path mf = dir.resolve(META);
        Path wf = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(mf) || !Files.isRegularFile(wf)) {
            throw new ModelFormatException(dir + ": not a saved classifier (needs " + META + " and " + WEIGHTS + ")");
        }
        String json;
        Meta meta;
        try {
            json = Files.readString(mf, StandardCharsets.UTF_8);
            meta = Json.readStrict(json, Meta.class, mf.toString());
        } catch (IOException e) {
            throw new ModelFormatException(mf + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new ModelFormatException(m.startsWith(mf.toString()) ? m : mf + ": " + m);
        }
        SafeTensors.Contents contents = SafeTensors.read(wf);
        String saved = contents.metadata().get("meta_sha256");
        if (saved != null && !saved.equals(org.vae4j.io.Checksums.sha256(json.getBytes(StandardCharsets.UTF_8)))) {
            throw new ModelFormatException(wf + ": written for a different " + META + " (was a save interrupted?)");
        }
        long stored = contents.tensors().values().stream().mapToLong(SafeTensors.Tensor::elementCount).sum();
        if (parameterCount(meta) > stored) {
            throw new ModelFormatException(wf + ": holds " + stored + " weights, " + META + " describes more");
        }
        DigitClassifier c = new DigitClassifier(meta);
        try {
            Map<String, float[]> values = ModelStore.matching(c.parameters(), contents.tensors(), wf);
            for (Map.Entry<String, NDArray> e : c.parameters().entrySet()) {
                org.vae4j.nn.Overwrite.withValues(e.getValue(), values.get(e.getKey()));
            }
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Trainable values a description implies, computed without building it (a hostile file is refused first). */
    static long parameterCount(Meta meta) {
        ArchConfig a = meta.settings().arch();
        long count = 0;
        long in;
        if (a.type().equals(ArchConfig.CONV)) {
            long ch = meta.inputShape().get(0);
            long h = meta.inputShape().get(1);
            long w = meta.inputShape().get(2);
            for (int c : a.channels()) {
                count += ch * 16L * c + c;
                ch = c;
                h /= 2;
                w /= 2;
            }
            in = ch * h * w;
        } else {
            in = meta.featureSize();
        }
        for (int units : a.hidden()) {
            count += in * units + units;
            in = units;
        }
        return count + in * meta.classes() + meta.classes();
    }

    @Override
    public void close() {
        manager.close();
    }
}
