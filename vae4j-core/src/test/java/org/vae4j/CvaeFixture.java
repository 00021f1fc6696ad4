package org.vae4j;

import java.util.List;
import java.util.Map;
import org.vae4j.data.DataSplits;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.DataTransform;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelVariants;
import org.vae4j.model.VaeModel;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

/**
 * A small conditional VAE trained on {@link TestData}'s blobs, whose label is the quadrant of the blob: the label
 * says where the blob is, so a working condition puts a sample's mass in its label's quadrant. Its code has one
 * dimension, too little to hold the blob's position as well as its size, so the model must take the quadrant from
 * the label (with four latent dimensions it learns to ignore the label in the first epochs).
 */
public final class CvaeFixture {
    /** 12×12 blobs: 600 training, 120 test records, 4 labels (tl, tr, bl, br). */
    public static final DataSplits DATA = TestData.splits(600, 120, 1, 12);

    private CvaeFixture() {}

    /** The cvae's configuration: MLP 64, latent 1, Bernoulli. */
    public static ModelConfig config() {
        return new ModelConfig(ModelConfig.FORMAT_VERSION, "cvae", List.of(1, 12, 12), 1, ArchConfig.mlp(64), "bernoulli", 0.1, 1.0,
                DataTransform.NONE, ModelVariants.get("cvae").settings(Map.of(), 4));
    }

    /** Trains it (30 epochs, batch 32, one thread, seed 1; a few seconds). */
    public static VaeModel train() {
        return Training.of(config(), TrainConfig.defaults().withEpochs(30).withBatchSize(32).withThreads(1)).data(DATA, "blobs").fit();
    }

    /** The quadrant (0 tl, 1 tr, 2 bl, 3 br) holding the centre of mass of a 12×12 image at {@code offset}. */
    public static int quadrant(float[] x, int offset) {
        double sx = 0;
        double sy = 0;
        double s = 0;
        for (int y = 0; y < 12; y++) {
            for (int c = 0; c < 12; c++) {
                double v = x[offset + y * 12 + c];
                sx += v * c;
                sy += v * y;
                s += v;
            }
        }
        return (sx / s < 5.5 ? 0 : 1) + (sy / s < 5.5 ? 0 : 2);
    }
}
