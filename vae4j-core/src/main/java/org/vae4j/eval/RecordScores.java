package org.vae4j.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.nn.InputBuffer;

/** Figures per record rather than per data set, for ranking records (anomaly scores). */
public final class RecordScores {
    private RecordScores() {}

    /**
     * −ELBO (β = 1) of each record in nats, averaged over {@code samples} sampled codes z ~ q(z|x): reconstruction NLL
     * plus KL; a high value marks a record the model finds unlikely.
     *
     * @param model the model
     * @param data {@code n × featureSize} values, already transformed as the model expects
     * @param n records
     * @param batchSize records per forward pass
     * @param samples sampled codes per record, at least 1
     * @param seed seed of the sampled codes
     * @return {@code n} values
     */
    public static double[] negElbo(VaeModel model, float[] data, int n, int batchSize, int samples, long seed) {
        if (samples < 1 || batchSize < 1) {
            throw new IllegalArgumentException("samples and batch size must be >= 1, got " + samples + " and " + batchSize);
        }
        int d = model.featureSize();
        if ((long) n * d != data.length) {
            throw new IllegalArgumentException("expected " + n + " × " + d + " values, got " + data.length);
        }
        Engine.getInstance().setRandomSeed((int) seed);
        double[] out = new double[n];
        InputBuffer input = new InputBuffer();
        for (int start = 0; start < n; start += batchSize) {
            int b = Math.min(batchSize, n - start);
            for (int k = 0; k < samples; k++) {
                try (NDManager sub = model.manager().newSubManager()) {
                    NDArray x = input.wrap(sub, data, start * d, b * d, model.batchShape(b));
                    ModelOutput o = model.forward(x, false, Objective.elbo(1));
                    float[] recon = o.recon().toFloatArray();
                    float[] kl = o.kl().toFloatArray();
                    for (int i = 0; i < b; i++) {
                        out[start + i] += (recon[i] + (double) kl[i]) / samples;
                    }
                }
            }
        }
        return out;
    }
}
