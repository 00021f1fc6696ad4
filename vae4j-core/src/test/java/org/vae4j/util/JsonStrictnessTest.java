package org.vae4j.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.io.ModelFormatException;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelStore;
import org.vae4j.model.Provenance;
import org.vae4j.train.EpochMetrics;
import org.vae4j.train.TrainingException;

/**
 * The JSON reader is strict (issue 11: one JSON library, strict; issue 15: the config reader accepted single quotes,
 * unquoted keys, duplicate keys, {@code "latent":"4"} and {@code hidden:[64.5]}, and printed Java exception class
 * names for syntax errors). Each rule has its case, with the exact one-line message: source, problem in words, line
 * and column.
 */
class JsonStrictnessTest {
    static final ModelConfig CONFIG = ModelConfig.vae(List.of(1, 8, 8), 4, ArchConfig.mlp(64), "bernoulli", 1.0);
    /** Line 12 of the written config is {@code   "latent": 4,}; lines 15-17 are arch's hidden sizes. */
    static final String TEXT = Json.write(CONFIG);

    static AbstractThrowableAssert<?, ? extends Throwable> rejected(String json) {
        return assertThatThrownBy(() -> Json.readStrict(json, ModelConfig.class, "config.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .startsWith("config.json: ")
                        .doesNotContain("\n", "com.", "java.", "Exception", "`", "Feature", "jackson", "Source:"));
    }

    static String edit(String from, String to) {
        assertThat(TEXT).contains(from);
        return TEXT.replace(from, to);
    }

    @Test
    void theWrittenConfigIsWhereTheLineNumbersBelowSayItIs() {
        assertThat(TEXT.lines().toList().get(11)).isEqualTo("  \"latent\": 4,");
        assertThat(TEXT.lines().toList().subList(14, 17)).containsExactly("    \"hidden\": [", "      64", "    ],");
        assertThat(Json.readStrict(TEXT, ModelConfig.class, "config.json")).isEqualTo(CONFIG);
    }

    @Test
    void singleQuotesAreRefused() {
        rejected(edit("\"latent\": 4", "'latent': 4"))
                .hasMessage("config.json: not valid JSON: single quotes are not JSON; use double quotes at line 12, column 3");
        rejected(edit("\"bernoulli\"", "'bernoulli'"))
                .hasMessage("config.json: not valid JSON: single quotes are not JSON; use double quotes at line 22, column 17");
    }

    @Test
    void unquotedNamesAreRefused() {
        rejected(edit("\"latent\": 4", "latent: 4"))
                .hasMessage("config.json: not valid JSON: a name not in double quotes (starting 'l'); names must be in double"
                        + " quotes at line 12, column 3");
        // the issue's own example
        rejected(edit("\"hidden\": [\n      64\n    ]", "hidden:[64.5]"))
                .hasMessage("config.json: not valid JSON: a name not in double quotes (starting 'h'); names must be in double"
                        + " quotes at line 15, column 5");
    }

    @Test
    void duplicateNamesAreRefused() {
        rejected(edit("\"latent\": 4,", "\"latent\": 4, \"latent\": 5,"))
                .hasMessage("config.json: not valid JSON: duplicate field 'latent' at line 12, column 24");
        // nested, and with the same value twice
        rejected(edit("\"type\": \"mlp\",", "\"type\": \"mlp\", \"type\": \"mlp\","))
                .hasMessage("config.json: not valid JSON: duplicate field 'type' at line 14, column 26");
        rejected(edit("\"type\": \"vae\",", "\"type\": \"vae\", \"beta\": 1.0,"))
                .hasMessageStartingWith("config.json: not valid JSON: duplicate field 'beta' at line 5,");
    }

    @Test
    void textIsNotANumberAndNumbersAreNotText() {
        // the "latent":"4"
        rejected(edit("\"latent\": 4", "\"latent\": \"4\""))
                .hasMessage("config.json: 'latent' must be a whole number, not the text \"4\" at line 12, column 13");
        rejected(edit("\"sigma\": 1.0", "\"sigma\": \"1.0\""))
                .hasMessage("config.json: 'sigma' must be a number, not the text \"1.0\" at line 23, column 12");
        // blank text is not a missing number (Jackson trims "\u0000" and " " to nothing), and "NaN" in quotes is text
        rejected(edit("\"latent\": 4", "\"latent\": \"\\u0000\""))
                .hasMessage("config.json: 'latent' must be a whole number, not the text \"\\u0000\" at line 12, column 13");
        rejected(edit("\"hidden\": [\n      64\n    ]", "\"hidden\": [\" \"]"))
                .hasMessage("config.json: 'arch.hidden[0]' must be a whole number, not the text \" \" at line 15, column 16");
        rejected(edit("\"sigma\": 1.0", "\"sigma\": \"NaN\""))
                .hasMessage("config.json: 'sigma' must be a number, not the text \"NaN\" at line 23, column 12");
        rejected(edit("\"likelihood\": \"bernoulli\"", "\"likelihood\": 5"))
                .hasMessage("config.json: 'likelihood' must be text in double quotes, not 5 at line 22, column 17");
        rejected(edit("\"activation\": \"relu\"", "\"activation\": true"))
                .hasMessage("config.json: 'arch.activation' must be text in double quotes, not true at line 19, column 19");
        rejected(edit("\"latent\": 4", "\"latent\": true"))
                .hasMessage("config.json: 'latent' must be a whole number, not true at line 12, column 13");
        rejected(edit("\"latent\": 4", "\"latent\": [4]"))
                .hasMessage("config.json: 'latent' must be a whole number, not an array at line 12, column 13");
    }

    @Test
    void fractionsAreNotWholeNumbers() {
        // the hidden:[64.5], with the name quoted
        rejected(edit("\"hidden\": [\n      64\n    ]", "\"hidden\": [64.5]"))
                .hasMessage("config.json: 'arch.hidden[0]' must be a whole number, not 64.5 at line 15, column 16");
        rejected(edit("\"hidden\": [\n      64\n    ]", "\"hidden\": [64.0]"))
                .hasMessage("config.json: 'arch.hidden[0]' must be a whole number, not 64.0 at line 15, column 16");
        rejected(edit("\"latent\": 4", "\"latent\": 4e0"))
                .hasMessage("config.json: 'latent' must be a whole number, not 4e0 at line 12, column 13");
        rejected(edit("\"formatVersion\": 2", "\"formatVersion\": 2.0"))
                .hasMessage("config.json: 'formatVersion' must be a whole number, not 2.0");
        rejected(edit("\"formatVersion\": 2", "\"formatVersion\": \"2\""))
                .hasMessage("config.json: 'formatVersion' must be a whole number, not the text \"2\"");
        rejected(edit("\"latent\": 4", "\"latent\": 2147483648"))
                .hasMessage("config.json: 'latent' must be a whole number from -2147483648 to 2147483647, not 2147483648"
                        + " at line 12, column 13");
        // a whole number where a fraction may stand is fine
        assertThat(Json.readStrict(edit("\"sigma\": 1.0", "\"sigma\": 1"), ModelConfig.class, "config.json")).isEqualTo(CONFIG);
    }

    @Test
    void nullIsNotAnElement() {
        rejected(edit("\"hidden\": [\n      64\n    ]", "\"hidden\": [64, null]"))
                .hasMessage("config.json: 'arch.hidden[1]' must be a whole number, not null at line 15, column 20");
    }

    @Test
    void commentsTrailingCommasLeadingZerosAndTrailingContentAreRefused() {
        rejected(edit("\"latent\": 4,", "\"latent\": 4, // four"))
                .hasMessage("config.json: not valid JSON: comments are not JSON at line 12, column 16");
        rejected("/* a config */\n" + TEXT).hasMessage("config.json: not valid JSON: comments are not JSON at line 1, column 1");
        rejected(edit("\"binarize\": \"none\"", "\"binarize\": \"none\","))
                .hasMessage("config.json: not valid JSON: a comma before '}' (trailing commas are not JSON) at line 26, column 3");
        rejected(edit("\"latent\": 4", "\"latent\": 04"))
                .hasMessage("config.json: not valid JSON: numbers must not start with 0 at line 12, column 14");
        rejected(TEXT + "{}").hasMessage("config.json: not valid JSON: content after the end of the document at line 28, column 1");
        rejected("\ufeff" + TEXT).hasMessage("config.json: not valid JSON: a byte-order mark (U+FEFF) before the JSON; save the"
                + " file as UTF-8 without one at line 1, column 1");
    }

    @Test
    void brokenTextSaysWhatAndWhere() {
        rejected(TEXT.substring(0, TEXT.indexOf("\"arch\"")))
                .hasMessage("config.json: not valid JSON: the text ends early (an object, array or value is not finished) at"
                        + " line 13, column 3");
        rejected(edit("\"latent\": 4,", "\"latent\": 4"))
                .hasMessage("config.json: not valid JSON: expected ',' or '}' after an object entry, found '\"' at line 13, column 3");
        rejected(edit("\"latent\": 4", "\"latent\" 4"))
                .hasMessage("config.json: not valid JSON: expected ':' after a name, found '4' at line 12, column 12");
        rejected(edit("\"relu\"", "\"re\tlu\""))
                .hasMessage("config.json: not valid JSON: a control character inside a string (write it as an escape such as \\n"
                        + " or \\u0009) at line 19, column 22");
        rejected(edit("\"relu\"", "relu"))
                .hasMessage("config.json: not valid JSON: unexpected text 'relu' (text values need double quotes) at line 19,"
                        + " column 23");
        rejected("").hasMessage("config.json: not valid JSON: the text is empty");
    }

    /** The reader the CLI and the explorer use: the message names the file. */
    @Test
    void aConfigFileSyntaxErrorNamesTheFileAndTheLine(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve(ModelStore.CONFIG), TEXT.replace("\"latent\": 4", "'latent': 4"));
        Path file = tmp.resolve(ModelStore.CONFIG);
        assertThatThrownBy(() -> ModelStore.readConfig(tmp)).isInstanceOf(ModelFormatException.class)
                .hasMessage(file + ": not valid JSON: single quotes are not JSON; use double quotes at line 12, column 3");
        Files.writeString(file, TEXT.substring(0, TEXT.length() - 3));
        assertThatThrownBy(() -> ModelStore.readConfig(tmp)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(file + ": not valid JSON: the text ends early")
                .hasMessageNotContaining("EOF").hasMessageNotContaining("Malformed");
    }

    @Test
    void aRunStateIsReadAsStrictlyWithThePathThroughTheNestedModel(@TempDir Path tmp) throws Exception {
        org.vae4j.train.RunState state = new org.vae4j.train.RunState(org.vae4j.train.RunState.FORMAT_VERSION, CONFIG,
                org.vae4j.train.TrainConfig.defaults(), "blobs", "blobs", "", "ab".repeat(32), "2026-01-01T00:00:00Z", null);
        String json = Json.write(state);
        Path run = Files.createDirectories(tmp.resolve("run"));
        Path f = run.resolve("train.json");
        Files.writeString(f, json.replace("\"latent\": 4", "\"latent\": \"4\""));
        assertThatThrownBy(() -> org.vae4j.train.Training.readState(run)).isInstanceOf(TrainingException.class)
                .hasMessage(f + ": 'model.latent' must be a whole number, not the text \"4\" at line 14, column 15");
        Files.writeString(f, json.replace("\"epochs\": 10", "\"epochs\": 10.5"));
        assertThatThrownBy(() -> org.vae4j.train.Training.readState(run)).isInstanceOf(TrainingException.class)
                .hasMessageStartingWith(f + ": 'training.epochs' must be a whole number, not 10.5 at line ");
        Files.writeString(f, json.replace("\"epochs\": 10", "\"epochs\": 10, \"epochs\": 11"));
        assertThatThrownBy(() -> org.vae4j.train.Training.readState(run)).isInstanceOf(TrainingException.class)
                .hasMessageStartingWith(f + ": not valid JSON: duplicate field 'epochs' at line ");
        // files from before the selection existed still read
        Files.writeString(f, Json.write(Json.parse(json, "x")).replaceAll(",\\s*\"selection\": \\{[^}]*\\}", ""));
        assertThat(Files.readString(f)).doesNotContain("selection");
        assertThat(org.vae4j.train.Training.readState(run)).isEqualTo(state);
    }

    @Test
    void aProvenanceIsReadStrictlyButMayLackFields(@TempDir Path tmp) throws Exception {
        Provenance p = new Provenance("v", "d", "e", "j", "o", 1, 2, "n", "s", "h", "t0", "t1", 3,
                Map.of("epochs", 3), Map.of("test_neg_elbo", Double.NaN));
        Path f = tmp.resolve(ModelStore.PROVENANCE);
        Files.writeString(f, Json.write(p));
        Provenance back = ModelStore.readProvenance(tmp);
        assertThat(back.training()).containsEntry("epochs", 3);
        assertThat(back.finalMetrics().get("test_neg_elbo")).isNaN();
        Files.writeString(f, Json.write(p).replace("\"threads\": 2", "\"threads\": \"2\""));
        assertThatThrownBy(() -> ModelStore.readProvenance(tmp)).isInstanceOf(ModelFormatException.class)
                .hasMessage(f + ": unreadable provenance: 'threads' must be a whole number, not the text \"2\" at line 8, column 14");
        Files.writeString(f, Json.write(p).replace("\"threads\": 2,", "'threads': 2,"));
        assertThatThrownBy(() -> ModelStore.readProvenance(tmp)).isInstanceOf(ModelFormatException.class)
                .hasMessage(f + ": unreadable provenance: not valid JSON: single quotes are not JSON; use double quotes at line 8,"
                        + " column 3");
        Files.writeString(f, Json.write(p).replace("  \"threads\": 2,\n", ""));
        assertThat(ModelStore.readProvenance(tmp).threads()).isZero();
    }

    @Test
    void nonFiniteNumbersAreWrittenAsBareTokensAndReadBack() {
        EpochMetrics m = new EpochMetrics(1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1, 1, 1, 1, 1, 1, 1, 0);
        String text = Json.text(List.of(m));
        assertThat(text).contains("\"trainLoss\": NaN,", "\"trainRecon\": Infinity,", "\"trainKl\": -Infinity,");
        assertThat(Json.readList(text, EpochMetrics.class, "history")).containsExactly(m);
        // and a config that holds one is refused by its own validation, in words
        rejected(edit("\"sigma\": 1.0", "\"sigma\": NaN")).hasMessage("config.json: sigma must be > 0, got NaN");
    }

    @Test
    void writingKeepsTheFormatVae4jAlwaysWrote() {
        assertThat(Json.write(Map.of("a", List.of()))).isEqualTo("{\n  \"a\": []\n}\n");
        assertThat(Json.write(Map.of("a", Map.of()))).isEqualTo("{\n  \"a\": {}\n}\n");
        assertThat(Json.text(List.of(1, 2.0, "x\u2028\u001b</>&'="))).isEqualTo("[\n  1,\n  2.0,\n  \"x\\u2028\\u001b</>&'=\"\n]");
        assertThat(Json.text(new java.util.LinkedHashMap<>(Map.of("n", 1e-7)))).isEqualTo("{\n  \"n\": 1.0E-7\n}");
        assertThat(Json.toMap(org.vae4j.train.TrainConfig.defaults())).containsEntry("epochs", 10).containsEntry("lr", 1e-3);
    }
}
