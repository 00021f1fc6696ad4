package org.vae4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.DataException;
import org.vae4j.io.Checksums;
import org.vae4j.model.VaeModel;

class DataSelectionTrainingTest {
    /** Weights 1 for the first half of the top-left blobs, 0 for the rest, keyed by original index. */
    static Path weightsFile(Path dir) throws Exception {
        org.vae4j.data.Dataset tl = new org.vae4j.data.LabelFilter(List.of("tl"), List.of()).apply(TrainingTest.DATA.train(), "train");
        StringBuilder sb = new StringBuilder("id,weight\n");
        for (int i = 0; i < tl.size(); i++) {
            sb.append(tl.recordId(i)).append(',').append(i < tl.size() / 2 ? 1 : 0).append('\n');
        }
        Path f = dir.resolve("weights.csv");
        Files.writeString(f, sb);
        return f;
    }

    static DataSelection selection(Path weights) {
        return new DataSelection(List.of("tl"), List.of(), weights.toString(), "");
    }

    @Test
    void labelFilterAndWeightsAreRecordedAndAResumedRunEndsBitIdentical(@TempDir Path tmp) throws Exception {
        Path w = weightsFile(tmp);
        Path full = tmp.resolve("full");
        Path part = tmp.resolve("part");
        Map<String, float[]> wa;
        try (VaeModel m = Training.of(TrainingTest.mlp(), TrainingTest.cfg(3)).data(TrainingTest.DATA, "blobs")
                .selection(selection(w)).runDirectory(full).fit()) {
            wa = TrainingTest.weights(m);
        }
        RunState st = Training.readState(full);
        assertThat(st.selection().onlyLabels()).containsExactly("tl");
        assertThat(st.selection().sampleWeights()).isEqualTo(w.toString());
        assertThat(st.selection().sampleWeightsSha256()).isEqualTo(Checksums.sha256(w));
        try (VaeModel m = Training.of(TrainingTest.mlp(), TrainingTest.cfg(2)).data(TrainingTest.DATA, "blobs")
                .selection(selection(w)).runDirectory(part).fit()) {
            assertThat(m).isNotNull();
        }
        // resume gets all the data: the recorded filter and weights are re-applied
        try (VaeModel m = Training.resume(part, TrainingTest.DATA, 3, null)) {
            TrainingTest.weights(m).forEach((k, v) -> assertThat(v).as(k).containsExactly(wa.get(k)));
        }
        // weights change what is trained: without them the result differs
        try (VaeModel m = Training.of(TrainingTest.mlp(), TrainingTest.cfg(3)).data(TrainingTest.DATA, "blobs")
                .selection(new DataSelection(List.of("tl"), List.of(), "", "")).fit()) {
            assertThat(TrainingTest.weights(m).get("encoder.fc1.weight")).isNotEqualTo(wa.get("encoder.fc1.weight"));
        }
        Files.writeString(w, Files.readString(w).replace(",0\n", ",2\n"));
        assertThatThrownBy(() -> Training.resume(part, TrainingTest.DATA, 4, null))
                .isInstanceOf(TrainingException.class)
                .hasMessageContaining("weights.csv: the sample weights changed since the run started");
    }

    @Test
    void weightsForRecordsTheFilterRemovedAreRejected(@TempDir Path tmp) throws Exception {
        Path w = weightsFile(tmp);
        // with 'tr' kept instead, the file names records that are not in the training data
        assertThatThrownBy(() -> Training.of(TrainingTest.mlp(), TrainingTest.cfg(1)).data(TrainingTest.DATA, "blobs")
                .selection(new DataSelection(List.of("tr"), List.of(), w.toString(), "")).fit())
                .isInstanceOf(DataException.class)
                .hasMessageContaining("weights.csv, line 2: id '").hasMessageContaining("is not a record of the training data");
    }

    @Test
    void aTrainJsonWithoutSelectionReadsAsNone(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        try (VaeModel m = Training.of(TrainingTest.mlp(), TrainingTest.cfg(1)).data(TrainingTest.DATA, "blobs").runDirectory(run).fit()) {
            assertThat(m).isNotNull();
        }
        Path f = run.resolve(Training.STATE);
        String json = Files.readString(f);
        assertThat(json).contains("\"selection\"");
        com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) org.vae4j.util.Json.parse(json, "train.json");
        o.remove("selection");
        Files.writeString(f, org.vae4j.util.Json.write(o));
        assertThat(Training.readState(run).selection()).isEqualTo(DataSelection.NONE);
    }
}
