package org.vae4j.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.TestTables;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.LoadContext;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.data.TableSchema;
import org.vae4j.eval.EvaluationResult;
import org.vae4j.eval.Evaluator;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

class TableOutlierScoresTest {
    @TempDir
    Path tmp;

    @Test
    void negElboPerRecordRanksInjectedOutliersOfATableAboveTheRest() {
        Path trainCsv = TestTables.write(tmp.resolve("train.csv"), 4000, 0, 0.02, 11);
        String spec = "csv:" + trainCsv + ",id=id,label=kind,missing=mask,val=0.1";
        DataSplits data = DataSources.load(spec, LoadContext.defaults());
        TableSchema t = data.train().table();
        ModelConfig mc = ModelConfig.tableVae(t, 4, ArchConfig.mlp(64), 1.0);
        TrainConfig tc = TrainConfig.defaults().withEpochs(12).withBatchSize(64).withThreads(1);
        try (VaeModel model = Training.of(mc, tc).data(data, spec).fit()) {
            // a separate file, 5% outliers, encoded with the stored schema (all rows in the "test" split)
            Path scoreCsv = TestTables.write(tmp.resolve("score.csv"), 950, 50, 0.02, 12);
            ArrayDataset scored = DataSources.load("csv:" + scoreCsv + ",id=id,label=kind,missing=mask,val=1",
                    LoadContext.defaults().withTable(t)).test().materialize();
            assertThat(scored.size()).isEqualTo(1000);
            double[] s = AnomalyScores.score(model, scored.data(), scored.size(), ScoreMethod.NEG_ELBO, 4, 7, null);
            int outlier = scored.labelNames().indexOf("outlier");
            boolean[] positive = new boolean[s.length];
            int count = 0;
            for (int i = 0; i < s.length; i++) {
                positive[i] = scored.labels()[i] == outlier;
                count += positive[i] ? 1 : 0;
                assertThat(s[i]).isFinite();
            }
            assertThat(count).isEqualTo(50);
            double auc = RankingMetrics.rocAuc(s, positive);
            assertThat(auc).as("ROC-AUC").isGreaterThanOrEqualTo(0.95);
            // one sample per record, averaged over the data, is the evaluator's -ELBO with the same seed
            double[] one = AnomalyScores.score(model, scored.data(), scored.size(), ScoreMethod.NEG_ELBO, 1, 7, null);
            EvaluationResult ev = Evaluator.evaluate(model, scored.data(), scored.size(), 128, 7);
            assertThat(java.util.Arrays.stream(one).average().orElseThrow()).isCloseTo(ev.negElbo(), within(1e-3));
        }
    }
}
