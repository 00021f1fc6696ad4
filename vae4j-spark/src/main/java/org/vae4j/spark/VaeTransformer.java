package org.vae4j.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelStore;
import org.vae4j.model.VaeModel;

/**
 * Base of the vae4j Spark ML transformers: reads each row's record (see {@link RowInput}), runs the saved model on
 * {@code batchSize} records at a time per task, and appends the result columns. The model directory is read on the
 * driver (its config, to check the DataFrame before any task runs) and on every executor, where it is loaded once per
 * JVM ({@link SharedModels}). Results are per record: they do not depend on the partitioning or the batch.
 */
public abstract class VaeTransformer extends Transformer {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> modelPath;
    private final Param<String> inputCol;
    private final Param<String> labelCol;
    private final IntParam batchSize;
    private final BooleanParam imageCrop;

    /** @param uid this stage's id */
    protected VaeTransformer(String uid) {
        this.uid = uid;
        this.modelPath = new Param<>(this, "modelPath", "saved vae4j model directory, readable at this path on the driver and every executor");
        this.inputCol = new Param<>(this, "inputCol", "array<float|double>, vector or image (Spark's image data source) column holding each record; unset for a table model: "
                + "the columns its stored schema names");
        this.labelCol = new Param<>(this, "labelCol", "integer class-index column (conditional models only)");
        this.batchSize = new IntParam(this, "batchSize", "records per forward pass in a task (memory bound; results do not depend on it)");
        this.imageCrop = new BooleanParam(this, "imageCrop", "image or image-file column only: centre-crop each image to a square before "
                + "resizing it to the model's size, as the images: data source's crop=center (default false: squash)");
        setDefault(batchSize, 256);
        setDefault(imageCrop, false);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The model directory param. */
    public Param<String> modelPath() {
        return modelPath;
    }

    /** The input column param. */
    public Param<String> inputCol() {
        return inputCol;
    }

    /** The label column param. */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** The batch size param. */
    public IntParam batchSize() {
        return batchSize;
    }

    /** The image crop param. */
    public BooleanParam imageCrop() {
        return imageCrop;
    }

    /** Sets whether images are centre-cropped to a square before resizing (image or image-file column only). */
    public VaeTransformer setImageCrop(boolean v) {
        set(imageCrop, v);
        return this;
    }

    /** Sets the saved model's directory. */
    public VaeTransformer setModelPath(String v) {
        set(modelPath, v);
        return this;
    }

    /** Sets the array/vector input column (leave unset for a table model's schema columns). */
    public VaeTransformer setInputCol(String v) {
        set(inputCol, v);
        return this;
    }

    /** Sets the class-index column of a conditional model. */
    public VaeTransformer setLabelCol(String v) {
        set(labelCol, v);
        return this;
    }

    /** Sets the records per forward pass. */
    public VaeTransformer setBatchSize(int v) {
        if (v < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + v);
        }
        set(batchSize, v);
        return this;
    }

    /** The model's config, read on the driver; one line naming the directory when it cannot be read. */
    protected ModelConfig config() {
        if (!isDefined(modelPath) || $(modelPath) == null) {
            throw new IllegalArgumentException("modelPath is not set");
        }
        try {
            return ModelStore.readConfig(Path.of($(modelPath)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("model " + $(modelPath) + ": " + VaeSparkException.firstLine(e), e);
        }
    }

    private RowInput input(StructType schema, ModelConfig config) {
        return RowInput.plan(schema, config, $(modelPath), isDefined(inputCol) ? $(inputCol) : null,
                isDefined(labelCol) ? $(labelCol) : null, (Boolean) $(imageCrop));
    }

    /** The columns this stage appends, for a model with this config. */
    protected abstract List<StructField> outputFields(ModelConfig config);

    /** Checks the model can do this stage's work (driver side, before any task). */
    protected abstract void check(ModelConfig config);

    /** The per-batch computation shipped to the executors (serializable, holding only settings). */
    protected abstract Compute compute(ModelConfig config);

    /** One batch of records to output values, one {@code Object[]} (the appended columns) per record. */
    public interface Compute extends java.io.Serializable {
        /**
         * @param model the executor's shared model
         * @param x {@code n × featureSize} values as the model sees them
         * @param labels class indices, or null for an unconditional model
         * @param n records
         */
        Object[][] apply(VaeModel model, float[] x, int[] labels, int n);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        ModelConfig config = config();
        input(schema, config);
        check(config);
        StructType out = schema;
        for (StructField f : outputFields(config)) {
            if (List.of(schema.fieldNames()).contains(f.name())) {
                throw new IllegalArgumentException("output column '" + f.name() + "' already exists in the DataFrame");
            }
            out = out.add(f);
        }
        return out;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        ModelConfig config = config();
        Partition p = new Partition($(modelPath), input(dataset.schema(), config), compute(config), (Integer) $(batchSize),
                dataset.schema().size());
        return dataset.toDF().mapPartitions(p, Encoders.row(out));
    }

    @Override
    public Transformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** What runs in a task: batches of rows through the shared model, lazily, appending the results to each row. */
    static final class Partition implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final String model;
        private final RowInput input;
        private final Compute compute;
        private final int batch;
        private final int width;

        Partition(String model, RowInput input, Compute compute, int batch, int width) {
            this.model = model;
            this.input = input;
            this.compute = compute;
            this.batch = batch;
            this.width = width;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            return new Iterator<>() {
                private final List<Row> out = new ArrayList<>();
                private int next;

                @Override
                public boolean hasNext() {
                    if (next < out.size()) {
                        return true;
                    }
                    out.clear();
                    next = 0;
                    if (!rows.hasNext()) {
                        return false;
                    }
                    List<Row> in = new ArrayList<>(batch);
                    while (in.size() < batch && rows.hasNext()) {
                        in.add(rows.next());
                    }
                    VaeModel m = SharedModels.get(model);
                    int d = input.featureSize();
                    int n = in.size();
                    float[] x = new float[n * d];
                    int[] labels = input.labelled() ? new int[n] : null;
                    for (int i = 0; i < n; i++) {
                        input.read(in.get(i), x, i * d, m.config().transform().table());
                        if (labels != null) {
                            labels[i] = input.label(in.get(i));
                        }
                    }
                    Object[][] results = compute.apply(m, x, labels, n);
                    for (int i = 0; i < n; i++) {
                        Row r = in.get(i);
                        Object[] v = new Object[width + results[i].length];
                        for (int j = 0; j < width; j++) {
                            v[j] = r.get(j);
                        }
                        System.arraycopy(results[i], 0, v, width, results[i].length);
                        out.add(RowFactory.create(v));
                    }
                    return true;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return out.get(next++);
                }
            };
        }
    }
}
