package org.vae4j.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.vae4j.anomaly.ScoreMethod;
import org.vae4j.data.Dataset;
import org.vae4j.model.Posterior;

/**
 * Driver-side jobs over a vae4j {@link Dataset} the driver has read (what {@code vae4j spark score|encode} do): the
 * records go to the executors in chunks, as a DataFrame {@code (idx long, x array<float>[, label int])} of the requested
 * number of partitions, through {@link VaeScorer} / {@link VaeEncoder}, and come back in record order.
 */
public final class SparkRecords {
    /** Column of a record's position in the data set. */
    public static final String INDEX = "idx";
    /** Column of a record's values. */
    public static final String VALUES = "x";
    /** Column of a record's class index (conditional models). */
    public static final String LABEL = "label";

    private SparkRecords() {}

    /** Records {@code [start, start+n)} with their labels: what one element of the parallelised collection carries. */
    record Chunk(long start, int width, float[] x, int[] labels) implements Serializable {}

    /**
     * The records as a DataFrame of {@code partitions} partitions.
     *
     * @param labels class indices (conditional models) or null
     */
    public static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Dataset data, int[] labels, int partitions) {
        int n = data.size();
        int d = data.featureSize();
        int per = Math.max(1, Math.min(4096, (n + partitions - 1) / partitions));
        List<Chunk> chunks = new ArrayList<>();
        for (int start = 0; start < n; start += per) {
            int b = Math.min(per, n - start);
            float[] x = new float[b * d];
            for (int i = 0; i < b; i++) {
                data.copyRecord(start + i, x, i * d);
            }
            chunks.add(new Chunk(start, d, x, labels == null ? null : java.util.Arrays.copyOfRange(labels, start, start + b)));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        boolean labelled = labels != null;
        JavaRDD<Row> rows = jsc.parallelize(chunks, partitions).flatMap(c -> rowsOf(c, labelled));
        StructType schema = new StructType().add(INDEX, DataTypes.LongType, false)
                .add(VALUES, DataTypes.createArrayType(DataTypes.FloatType, false), false);
        if (labelled) {
            schema = schema.add(LABEL, DataTypes.IntegerType, false);
        }
        return spark.createDataFrame(rows, schema);
    }

    private static Iterator<Row> rowsOf(Chunk c, boolean labelled) {
        int b = c.x().length / c.width();
        List<Row> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            float[] x = java.util.Arrays.copyOfRange(c.x(), i * c.width(), (i + 1) * c.width());
            out.add(labelled ? RowFactory.create(c.start() + i, x, c.labels()[i]) : RowFactory.create(c.start() + i, x));
        }
        return out.iterator();
    }

    /**
     * Scores every record on the cluster.
     *
     * @return one score per record, in record order
     */
    public static double[] score(SparkSession spark, Path model, Dataset data, int[] labels, ScoreMethod method, int samples,
            long seed, int partitions) {
        VaeScorer scorer = new VaeScorer().setMethod(method.id()).setSamples(samples).setSeed(seed);
        scorer.setModelPath(model.toAbsolutePath().toString()).setInputCol(VALUES);
        if (labels != null) {
            scorer.setLabelCol(LABEL);
        }
        double[] out = new double[data.size()];
        boolean[] seen = new boolean[out.length];
        for (Row r : planned(() -> scorer.transform(frame(spark, data, labels, partitions))).select(INDEX, "score").collectAsList()) {
            int i = (int) r.getLong(0);
            out[i] = r.getDouble(1);
            seen[i] = true;
        }
        checkAll(seen);
        return out;
    }

    /**
     * Encodes every record on the cluster.
     *
     * @return the posteriors in record order ({@code logvar} null for a model without one)
     */
    public static Posterior encode(SparkSession spark, Path model, Dataset data, int[] labels, int latent, boolean variational,
            int partitions) {
        VaeEncoder enc = new VaeEncoder();
        enc.setModelPath(model.toAbsolutePath().toString()).setInputCol(VALUES);
        if (labels != null) {
            enc.setLabelCol(LABEL);
        }
        int n = data.size();
        float[] mu = new float[n * latent];
        float[] lv = variational ? new float[n * latent] : null;
        boolean[] seen = new boolean[n];
        org.apache.spark.sql.Dataset<Row> out = planned(() -> enc.transform(frame(spark, data, labels, partitions)));
        out = variational ? out.select(INDEX, "mu", "logvar") : out.select(INDEX, "mu");
        for (Row r : out.collectAsList()) {
            int i = (int) r.getLong(0);
            copy(r.getList(1), mu, i * latent);
            if (variational) {
                copy(r.getList(2), lv, i * latent);
            }
            seen[i] = true;
        }
        checkAll(seen);
        return new Posterior(n, latent, mu, lv);
    }

    // the CLI has checked its options already: what the transformer still refuses is the model or the data (exit 1)
    private static org.apache.spark.sql.Dataset<Row> planned(java.util.function.Supplier<org.apache.spark.sql.Dataset<Row>> plan) {
        try {
            return plan.get();
        } catch (IllegalArgumentException e) {
            throw new VaeSparkException(e.getMessage(), e);
        }
    }

    private static void copy(List<Object> v, float[] dst, int off) {
        for (int j = 0; j < v.size(); j++) {
            dst[off + j] = (Float) v.get(j);
        }
    }

    private static void checkAll(boolean[] seen) {
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) {
                throw new VaeSparkException("the job returned no result for record " + i);
            }
        }
    }
}
