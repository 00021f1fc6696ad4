package org.vae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vae4j.data.DataSplits;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;
import org.vae4j.train.RunState;
import org.vae4j.train.Training;

/**
 * {@code --label} of a conditional model: the label's number (0..classes-1) or, for anything else, its name in the
 * data set the run was trained on (loaded offline from the run's {@code train.json}, only then).
 */
final class LabelOption {
    private LabelOption() {}

    /** Refuses {@code --label} on a model that does not condition on labels (exit 2). */
    static void checkAllowed(VaeModel m, String option) {
        if (!m.can(Capability.CONDITIONAL)) {
            throw new IllegalArgumentException(option + ": a '" + m.config().model() + "' model cannot "
                    + Capability.CONDITIONAL.phrase() + "; only conditional models (cvae) take one");
        }
    }

    /**
     * The label that {@code token} names.
     *
     * @param runDir the model's run directory (for label names)
     * @throws IllegalArgumentException (one line) for a number out of range or an unknown name, listing the valid ones
     */
    static int resolve(String token, VaeModel m, Path runDir, String option, PrintWriter err) {
        checkAllowed(m, option);
        String t = token.trim();
        int k = m.classes();
        if (t.matches("-?\\d{1,9}")) {
            int v = Integer.parseInt(t);
            if (v < 0 || v >= k) {
                throw new IllegalArgumentException(option + ": label " + v + " is out of range: this model knows labels 0.." + (k - 1));
            }
            return v;
        }
        List<String> names = runLabelNames(m, runDir, option, t, err);
        int i = names.indexOf(t);
        if (i < 0 || i >= k) {
            List<String> valid = new ArrayList<>();
            for (int j = 0; j < Math.min(k, names.size()); j++) {
                valid.add(names.get(j) + " (" + j + ")");
            }
            throw new IllegalArgumentException(option + ": unknown label '" + t + "'; valid: "
                    + (valid.isEmpty() ? "0.." + (k - 1) : String.join(", ", valid)));
        }
        return i;
    }

    /** The label names of the data set the run was trained on (empty when it has none). */
    static List<String> runLabelNames(VaeModel m, Path runDir, String option, String token, PrintWriter err) {
        Path state = runDir.resolve(Training.STATE);
        if (!Files.isRegularFile(state)) {
            throw new IllegalArgumentException(option + ": '" + token + "' is not a label number, and " + runDir
                    + " records no data set to look its name up in; give the label's number");
        }
        RunState st = Training.readState(runDir);
        DataSplits splits;
        try {
            splits = DataOptions.load(st.dataSpec(), st.dataDir().isEmpty() ? null : Path.of(st.dataDir()), true,
                    m.config().transform().table(), err);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + ": '" + token + "' is not a label number, and the run's data set "
                    + st.dataSpec() + " could not be loaded to look its name up (" + Main.message(e) + "); give the label's number");
        }
        return splits.train().labelNames();
    }
}
