package org.vae4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.TestData;
import org.vae4j.TestTables;
import org.vae4j.data.LoadContext;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.data.TableSchema;
import org.vae4j.eval.EvaluationResult;
import org.vae4j.eval.Evaluator;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.DataTransform;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelStore;
import org.vae4j.model.VaeModel;

class TableTrainingTest {
    @TempDir
    Path tmp;

    static ModelConfig config(TableSchema t, String likelihood) {
        return new ModelConfig(ModelConfig.FORMAT_VERSION, "vae", List.of(t.width()), 3, ArchConfig.mlp(64), likelihood, 1.0, 1.0,
                DataTransform.ofTable(t));
    }

    @Test
    void aCompositeModelTrainsWithFiniteDecreasingNegElboAndKeepsItsSchema() {
        Path csv = TestTables.write(tmp.resolve("t.csv"), 3000, 0, 0.05, 3);
        String spec = "csv:" + csv + ",id=id,label=kind,missing=mask,val=0.2";
        DataSplits data = DataSources.load(spec, LoadContext.defaults());
        TableSchema t = data.train().table();
        assertThat(t.width()).isEqualTo(6 + 2 + 4);
        Path run = tmp.resolve("run");
        TrainConfig tc = TrainConfig.defaults().withEpochs(6).withBatchSize(64).withThreads(1);
        try (VaeModel model = Training.of(config(t, "composite"), tc).data(data, spec).runDirectory(run).fit()) {
            List<EpochMetrics> rows = EpochMetrics.readCsv(run.resolve(Training.METRICS));
            assertThat(rows).hasSize(6);
            for (EpochMetrics m : rows) {
                assertThat(m.testNegElbo()).isFinite();
            }
            // standardised data start near 12 nats of reconstruction per record; training must find the structure
            assertThat(rows.get(5).testNegElbo()).isLessThan(rows.get(0).testNegElbo() - 1);
            assertThat(rows.get(5).trainLoss()).isLessThan(rows.get(0).trainLoss());
        }
        // the saved model carries the schema, and data encoded with it are the same as those trained on
        ModelConfig saved = ModelStore.readConfig(run);
        assertThat(saved.likelihood()).isEqualTo("composite");
        assertThat(saved.transform().table()).isEqualTo(t);
        DataSplits again = DataSources.load(spec, LoadContext.defaults().withTable(saved.transform().table()));
        assertThat(again.test().materialize().data()).containsExactly(data.test().materialize().data());
        try (VaeModel m = VaeModel.load(run)) {
            EvaluationResult ev = Evaluator.evaluate(m, again.test().materialize().data(), again.test().size(), 100, 1);
            assertThat(ev.negElbo()).isFinite().isEqualTo(ev.recon() + ev.kl());
        }
    }

    @Test
    void likelihoodsAreCheckedAgainstTheKindOfData() {
        Path csv = TestTables.write(tmp.resolve("t.csv"), 200, 0, 0, 3);
        DataSplits table = DataSources.load("csv:" + csv + ",id=id,label=kind", LoadContext.defaults());
        TableSchema t = table.train().table();
        TrainConfig tc = TrainConfig.defaults().withEpochs(1);
        assertThatThrownBy(() -> Training.of(config(t, "bernoulli"), tc).data(table, "x").fit())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("likelihood bernoulli models values in [0,1], but a table's values are standardised and unbounded: use --likelihood composite");
        // composite on image data, and binarising a table, are refused when the config is made
        assertThatThrownBy(() -> ModelConfig.vae(List.of(1, 4, 4), 2, ArchConfig.mlp(8), "composite", 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("likelihood composite is for tables (csv:FILE data); this data set is not one");
        assertThatThrownBy(() -> new DataTransform("static", t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--binarize static is for images in [0,1], not for tables");
        // a composite model and data encoded by another schema do not go together
        TableSchema other = new TableSchema(List.of(TableSchema.Column.continuous("q", 0, 1)));
        DataSplits images = TestData.splits(20, 5, 1, 4);
        assertThatThrownBy(() -> Training.of(config(other, "composite"), tc).data(table, "x").fit())
                .isInstanceOf(org.vae4j.data.DataException.class).hasMessageContaining("shape"); // bad data: exit 1
        assertThat(images.train().table()).isNull();
        List<TableSchema.Column> cols = new java.util.ArrayList<>(t.columns());
        TableSchema.Column c0 = cols.get(0);
        cols.set(0, TableSchema.Column.continuous(c0.name(), c0.mean() + 1, c0.std()));
        TableSchema shifted = new TableSchema(cols);
        assertThatThrownBy(() -> Training.of(config(shifted, "composite"), tc).data(table, "x").fit())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the data were encoded with a different table schema than the model's");
    }
}
