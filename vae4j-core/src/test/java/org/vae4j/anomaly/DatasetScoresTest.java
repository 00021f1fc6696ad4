package org.vae4j.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.TestData;
import org.vae4j.data.DataSplits;
import org.vae4j.data.Dataset;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;

/** Scoring a whole data set in core gives, per record, what scoring its records as an array gives. */
class DatasetScoresTest {
    @Test
    void aDataSetScoresAsItsRecordsDoAndTheDefaultFollowsCapabilities() {
        DataSplits data = TestData.splits(32, 40, 1, 8);
        Dataset test = data.test();
        try (VaeModel vae = VaeModel.create(ModelConfig.vae(List.of(1, 8, 8), 3, ArchConfig.mlp(16), "bernoulli", 1), 3);
                VaeModel ae = VaeModel.create(ModelConfig.autoencoder(List.of(1, 8, 8), 3, ArchConfig.mlp(16), "mse"), 3)) {
            float[] x = test.head(test.size()).materialize().data();
            for (ScoreMethod m : AnomalyScores.validFor(vae)) {
                double[] whole = AnomalyScores.score(vae, test, m, 7, 11, null);
                double[] array = AnomalyScores.score(vae, x, test.size(), m, 7, 11, null);
                assertThat(whole).as(m.id()).containsExactly(array);
            }
            int[] seen = new int[1];
            AnomalyScores.score(vae, test, ScoreMethod.NEG_ELBO, 2, 1, r -> seen[0] = r);
            assertThat(seen[0]).isEqualTo(test.size());
            assertThat(AnomalyScores.defaultMethod(vae)).isEqualTo(ScoreMethod.IW_NLL);
            assertThat(AnomalyScores.defaultMethod(ae)).isEqualTo(ScoreMethod.RECON_ERROR);
            assertThatThrownBy(() -> AnomalyScores.score(vae, test.head(0), ScoreMethod.NEG_ELBO, 1, 1, null))
                    .hasMessageContaining("no records to score");
        }
    }
}
