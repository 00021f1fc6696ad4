package org.vae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.DataSplits;
import org.vae4j.model.VaeModel;
import org.vae4j.train.Inputs;
import org.vae4j.train.RunState;
import org.vae4j.train.Training;

/** Records for the latent-space commands: the test split of --data, or of the run's own data set. */
final class LatentData {
    private LatentData() {}

    /** The test split, checked against the model's input shape. */
    static ArrayDataset testSplit(ModelOptions model, DataOptions data, VaeModel m, PrintWriter err) {
        DataSplits splits;
        if (data.spec != null) {
            splits = data.load(err);
        } else if (Files.isRegularFile(model.dir.resolve(Training.STATE))) {
            RunState st = Training.readState(model.dir);
            Path dir = data.dataDir != null ? data.dataDir : (st.dataDir().isEmpty() ? null : Path.of(st.dataDir()));
            splits = DataOptions.load(st.dataSpec(), dir, data.offline, err);
        } else {
            throw new IllegalArgumentException("--data is required (the model directory records no data set)");
        }
        ArrayDataset ds = splits.test();
        if (!TrainCommand.toList(ds.shape()).equals(m.config().inputShape())) {
            throw new IllegalArgumentException(ds.name() + " records have shape " + TrainCommand.toList(ds.shape())
                    + " but the model expects " + m.config().inputShape());
        }
        if (ds.size() == 0) {
            throw new IllegalArgumentException(ds.name() + ": the test split is empty");
        }
        return ds;
    }

    /** Rejects an index outside the split, naming the option. */
    static void checkIndex(String option, int index, ArrayDataset ds) {
        if (index < 0 || index >= ds.size()) {
            throw new IllegalArgumentException(option + " " + index + " is out of range (the test split has " + ds.size() + " records)");
        }
    }

    /** Records as the model sees them (binarised with the fixed test seed when the model was trained so). */
    static float[] records(VaeModel m, ArrayDataset ds, int... indices) {
        return Inputs.forEvaluation(ds.subset(indices).data(), m.config().transform());
    }
}
