package org.vae4j.cli;

import java.util.List;
import java.util.function.Supplier;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Option;

/**
 * {@code --label K} for the latent-space commands: the class a conditional model (cvae) is given, for encoding and
 * decoding alike. Refused for models that take no label; without it, commands that start from data records use each
 * record's own label, and the others ask for it.
 */
final class LabelOption {
    @Option(names = "--label", paramLabel = "K", description = {"Conditional models (cvae): the class to condition on, a label name or number",
        "(default: each record's own label; required where no data record is used)."})
    String value;

    /**
     * The label as a number, or null when not given.
     *
     * @param m the model; one that takes no label refuses {@code --label} (exit code 2)
     * @param names the label names, asked for only when the value is not a number (null or empty when unknown)
     * @throws IllegalArgumentException for an unknown name or a number outside the model's classes
     */
    Integer resolve(VaeModel m, Supplier<List<String>> names) {
        return value == null ? null : resolve(value, m, names, "--label");
    }

    /**
     * The label {@code value} names, for commands whose {@code --label} is their own option ({@code sample}).
     *
     * @param option the option's name, for messages
     * @throws IllegalArgumentException as {@link #resolve(VaeModel, Supplier)}
     */
    static int resolve(String value, VaeModel m, Supplier<List<String>> names, String option) {
        m.require(Capability.CONDITIONAL, option);
        String s = value.trim();
        int k = m.classes();
        int label;
        if (s.matches("-?\\d{1,9}")) {
            label = Integer.parseInt(s);
        } else {
            List<String> known = names.get();
            label = known == null ? -1 : known.indexOf(s);
            if (label < 0) {
                throw new IllegalArgumentException(option + ": unknown label '" + s + "'; "
                        + (known == null || known.isEmpty() ? "the label names are not known here, give a number 0.." + (k - 1)
                        : "valid: " + valid(k, known)));
            }
        }
        if (label < 0 || label >= k) {
            throw new IllegalArgumentException(option + " " + s + " is out of range: this model knows labels 0.." + (k - 1));
        }
        return label;
    }

    /**
     * The label for work that starts from no data record (a grid of codes, an image file): {@code --label}, which a
     * conditional model then requires.
     *
     * @param what the command or input, for the message
     */
    Integer required(VaeModel m, Supplier<List<String>> names, String what) {
        Integer label = resolve(m, names);
        if (label == null && m.can(Capability.CONDITIONAL)) {
            throw missing(m, what);
        }
        return label;
    }

    /** The one-line error asking for {@code --label}. */
    static IllegalArgumentException missing(VaeModel m, String what) {
        return new IllegalArgumentException(what + ": a '" + m.config().model() + "' model is conditional: give --label K (a label name or 0.."
                + (m.classes() - 1) + ")");
    }

    /** "0 square, 1 ellipse, 2 heart" for the model's classes. */
    static String valid(int classes, List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < classes; i++) {
            sb.append(i == 0 ? "" : ", ").append(i);
            if (names != null && i < names.size()) {
                sb.append(' ').append(names.get(i));
            }
        }
        return sb.toString();
    }

    /**
     * What a conditional model was given, for a command's output: ", given each record's own label" or
     * ", given class 2 (heart)"; empty for a model that takes no label.
     */
    static String given(VaeModel m, Integer label, List<String> names) {
        if (!m.can(Capability.CONDITIONAL)) {
            return "";
        }
        return label == null ? ", given each record's own label" : ", given " + describe(label, names);
    }

    /** "heart", or "2" when the names are unknown. */
    static String name(int label, List<String> names) {
        return names != null && label < names.size() ? names.get(label) : Integer.toString(label);
    }

    /** "class 2 (heart)", or "class 2" when the names are unknown. */
    static String describe(int label, List<String> names) {
        return "class " + label + (names != null && label < names.size() ? " (" + names.get(label) + ")" : "");
    }
}
