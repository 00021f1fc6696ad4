package org.vae4j.latent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.LoadContext;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.data.ShapesDataset;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Posterior;
import org.vae4j.model.VaeModel;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

/** Acceptance: latent histograms find the rare shape/size combinations of a skewed shapes data set. */
class DebiasingTest {
    // hearts 1 in 9, the two largest scales 1 in 9 each: "large heart" is 1/9 × 2/18 ≈ 1.2% of the records
    static final String SPEC = "shapes:size=16,n=4000,test=100,seed=3,weights.shape=4/4/1,weights.scale=4/4/4/4/1/1";

    @Test
    void rarestShapeSizeCombinationsTopTheUnderRepresentedList() {
        DataSplits data = DataSources.load(SPEC, LoadContext.defaults());
        ArrayDataset train = data.train().materialize();
        ModelConfig mc = ModelConfig.vae(List.of(1, 16, 16), 8, ArchConfig.mlp(256), "bernoulli", 1.0);
        TrainConfig tc = TrainConfig.defaults().withEpochs(12).withBatchSize(64).withThreads(1).withSeed(1);
        float[] mu;
        try (VaeModel m = Training.of(mc, tc).data(data, SPEC).fit()) {
            Posterior p = Encodings.encode(m, train.data(), train.size());
            mu = p.mu();
        }
        LatentDensity.Result r = LatentDensity.estimate(mu, train.size(), 8, 10, 0.01);
        int[] shape = train.factors().get(ShapesDataset.SHAPE);
        int[] scale = train.factors().get(ShapesDataset.SCALE);
        int n = train.size();
        int k = 100;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(r.density()[a], r.density()[b]));
        int rareAll = 0;
        int rareTop = 0;
        int commonAll = 0;
        int commonTop = 0;
        for (int i = 0; i < n; i++) {
            boolean rare = shape[i] == 2 && scale[i] >= 4;
            boolean common = shape[i] != 2 && scale[i] < 4;
            rareAll += rare ? 1 : 0;
            commonAll += common ? 1 : 0;
        }
        for (int j = 0; j < k; j++) {
            int i = order[j];
            rareTop += shape[i] == 2 && scale[i] >= 4 ? 1 : 0;
            commonTop += shape[i] != 2 && scale[i] < 4 ? 1 : 0;
        }
        double baseRate = (double) rareAll / n;
        double topShare = (double) rareTop / k;
        System.out.printf("rare base %.4f (%d), top-%d share %.4f (%d); common base %.3f top %.3f%n", baseRate, rareAll, k, topShare,
                rareTop, (double) commonAll / n, (double) commonTop / k);
        assertThat(topShare).isGreaterThan(5 * baseRate);
        // the most common combination is under-represented at the top of the list
        assertThat((double) commonTop / k).isLessThan(0.5 * commonAll / n);
        // and the rare records get larger weights on average
        double wRare = 0;
        double wAll = 0;
        for (int i = 0; i < n; i++) {
            wAll += r.weights()[i] / n;
            if (shape[i] == 2 && scale[i] >= 4) {
                wRare += r.weights()[i] / rareAll;
            }
        }
        assertThat(wRare).isGreaterThan(2 * wAll);
    }
}
