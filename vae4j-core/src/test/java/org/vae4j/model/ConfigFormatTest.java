package org.vae4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vae4j.io.ModelFormatException;
import org.vae4j.util.Json;

/**
 * config.json format 2 (the {@code "model"} section: {@code type}, {@code beta} and the model's own settings) and
 * the way from format 1: a format-2 config round-trips; every format-1 fixture loads, re-saves as format 2 and that
 * copy loads and computes exactly what the original did; the model section refuses what it does not know, in one line
 * naming config.json.
 */
class ConfigFormatTest {
    static final Path MODELS = FrozenFixturesTest.MODELS;

    static Stream<String> models() {
        return ModelVariants.list().stream().map(ModelVariant::name).filter(n -> !n.startsWith("test-"));
    }

    /** A config of the model with non-default values: β 2.5, and the settings it gets from data with 7 classes. */
    static ModelConfig config(String model) {
        Record settings = ModelVariants.get(model).settings(Map.of(), 7);
        return new ModelConfig(ModelConfig.FORMAT_VERSION, model, List.of(1, 8, 8), 3, ArchConfig.mlp(16, 8).withActivation("elu"),
                "bernoulli", 1.0, 2.5, DataTransform.NONE, settings);
    }

    static Path write(Path dir, String json) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(ModelStore.CONFIG), json);
        return dir.resolve(ModelStore.CONFIG);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // format 2 round trip

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aFormatTwoConfigRoundTrips(String model, @TempDir Path tmp) throws IOException {
        ModelConfig c = config(model);
        String text = Json.write(c);
        JsonNode o = FrozenFixturesTest.EXACT.readTree(text);
        assertThat(o.get("formatVersion").intValue()).isEqualTo(2);
        assertThat(o.has("beta")).as("beta lives in the model section").isFalse();
        // the section holds type, β and exactly the components of the model's own settings record
        JsonNode section = o.get("model");
        Set<String> keys = new LinkedHashSet<>(List.of("type", "beta"));
        for (RecordComponent rc : ModelVariants.get(model).settingsType().getRecordComponents()) {
            keys.add(rc.getName());
        }
        Set<String> names = new LinkedHashSet<>();
        section.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(section.get("type").textValue()).isEqualTo(model);
        assertThat(section.get("beta").doubleValue()).isEqualTo(2.5);

        write(tmp, text);
        ModelConfig back = ModelStore.readConfig(tmp);
        assertThat(back).isEqualTo(c);
        assertThat(back.settings()).isEqualTo(c.settings());
        assertThat(Json.write(back)).as("written again, byte for byte").isEqualTo(text);
    }

    /** The documented example (ModelConfigJson's Javadoc), written by hand rather than by the writer. */
    @Test
    void theDocumentedFormatTwoExampleReads(@TempDir Path tmp) throws IOException {
        write(tmp, """
                {"formatVersion": 2,
                 "model": {"type": "cvae", "beta": 1.0, "classes": 10},
                 "inputShape": [1, 28, 28], "latent": 20,
                 "arch": {"type": "mlp", "hidden": [400], "channels": [], "activation": "relu", "dropout": 0.0},
                 "likelihood": "bernoulli", "sigma": 1.0, "transform": {"binarize": "none"}}
                """);
        ModelConfig c = ModelStore.readConfig(tmp);
        assertThat(c.model()).isEqualTo("cvae");
        assertThat(c.conditionWidth()).isEqualTo(10);
        assertThat(c.settings(org.vae4j.model.cvae.CvaeVariant.Settings.class).classes()).isEqualTo(10);
        assertThat(c.inputShape()).containsExactly(1, 28, 28);
    }

    /** The format-2 fixtures' settings read back as they were written. */
    @Test
    void theFormatTwoFixturesKeepTheirSettings() {
        assertThat(ModelStore.readConfig(MODELS.resolve("v2-cvae-conv-bernoulli")).settings())
                .isEqualTo(new org.vae4j.model.cvae.CvaeVariant.Settings(4));
        assertThat(ModelStore.readConfig(MODELS.resolve("v2-iwae-mlp-bernoulli")).settings())
                .isEqualTo(new org.vae4j.model.iwae.IwaeVariant.Settings(7));
        assertThat(ModelStore.readConfig(MODELS.resolve("v2-vae-mlp-bernoulli")).beta()).isEqualTo(2.0);
        // saved before g-init existed: the field is absent and means the initialisation it was created with
        assertThat(ModelStore.readConfig(MODELS.resolve("v2-gan-mlp-bernoulli")).settings())
                .isEqualTo(new org.vae4j.model.gan.GanVariant.Settings("minimax", 2, 0.5, 0.2, "pytorch"));
    }

    /** The GAN's g-init round-trips and is written under its field name. */
    @Test
    void aGanWithHeInitialisationRoundTrips(@TempDir Path tmp) throws IOException {
        Record settings = ModelVariants.get("gan").settings(Map.of("g-init", "he", "r1", "10"), 0);
        ModelConfig c = new ModelConfig(ModelConfig.FORMAT_VERSION, "gan", List.of(1, 8, 8), 3, ArchConfig.mlp(16), "bernoulli", 1.0,
                1.0, DataTransform.NONE, settings);
        String text = Json.write(c);
        assertThat(FrozenFixturesTest.EXACT.readTree(text).get("model").get("gInit").textValue()).isEqualTo("he");
        write(tmp, text);
        assertThat(ModelStore.readConfig(tmp).settings()).isEqualTo(new org.vae4j.model.gan.GanVariant.Settings("non-saturating", 1, 10,
                0.3, "he"));
    }

    /** A conv GAN defaults to He initialisation and R1 = 10; an MLP GAN, and options the user gave, are left alone. */
    @Test
    void aConvGanDefaultsToHeAndR1TenAndOptionsGivenWin() {
        org.vae4j.model.ModelVariant gan = ModelVariants.get("gan");
        ArchConfig conv = new ArchConfig(ArchConfig.CONV, List.of(32), List.of(8, 16), "relu", 0);
        assertThat(gan.settings(Map.of(), 0, conv))
                .isEqualTo(new org.vae4j.model.gan.GanVariant.Settings("non-saturating", 1, 10, 0.3, "he"));
        assertThat(gan.settings(Map.of(), 0, ArchConfig.mlp(16))).isEqualTo(org.vae4j.model.gan.GanVariant.DEFAULTS);
        assertThat(gan.settings(Map.of("g-init", "pytorch", "r1", "0"), 0, conv)).isEqualTo(org.vae4j.model.gan.GanVariant.DEFAULTS);
        assertThat(gan.settings(Map.of("r1", "2"), 0, conv))
                .isEqualTo(new org.vae4j.model.gan.GanVariant.Settings("non-saturating", 1, 2, 0.3, "he"));
        // the models without architecture-dependent defaults answer as without the architecture
        assertThat(ModelVariants.get("iwae").settings(Map.of("iw-samples", "3"), 0, conv))
                .isEqualTo(ModelVariants.get("iwae").settings(Map.of("iw-samples", "3"), 0));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // format 1 → format 2

    static Stream<String> formatOneFixtures() throws IOException {
        return FrozenFixturesTest.fixtures().filter(name -> name.startsWith("v1-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formatOneFixtures")
    void aFormatOneModelResavesAsFormatTwoAndComputesTheSame(String name, @TempDir Path tmp) throws IOException {
        Path v1 = MODELS.resolve(name);
        JsonNode old = FrozenFixturesTest.EXACT.readTree(Files.readString(v1.resolve(ModelStore.CONFIG)));
        assertThat(old.get("formatVersion").intValue()).isEqualTo(1);
        JsonNode expected = FrozenFixturesTest.EXACT.readTree(Files.readString(v1.resolve("expected.json")));
        float[] x = floats(expected, "inputs");
        float[] codes = floats(expected, "codes");
        try (VaeModel original = VaeModel.load(v1)) {
            int n = x.length / original.featureSize();
            int k = codes.length / original.latent();
            Path v2 = tmp.resolve("resaved");
            ModelStore.save(original, v2, ModelStore.readProvenance(v1));

            JsonNode now = FrozenFixturesTest.EXACT.readTree(Files.readString(v2.resolve(ModelStore.CONFIG)));
            assertThat(now.get("formatVersion").intValue()).isEqualTo(2);
            JsonNode section = now.get("model");
            assertThat(section.get("type").textValue()).as("type: the format-1 model name").isEqualTo(old.get("model").textValue());
            assertThat(section.get("beta").doubleValue()).as("beta moves into the section").isEqualTo(old.get("beta").doubleValue());
            assertThat(now.has("beta")).isFalse();
            // everything else is as it was
            for (String field : List.of("inputShape", "latent", "arch", "likelihood", "sigma", "transform")) {
                assertThat(now.get(field)).as(field).isEqualTo(old.get(field));
            }

            try (VaeModel resaved = VaeModel.load(v2)) {
                assertThat(resaved.config()).isEqualTo(original.config());
                for (String p : original.parameters().keySet()) {
                    assertThat(resaved.parameters().get(p).toFloatArray()).as(p).containsExactly(original.parameters().get(p).toFloatArray());
                }
                Posterior a = original.encode(x, n);
                Posterior b = resaved.encode(x, n);
                assertThat(b.mu()).as("mu").containsExactly(a.mu());
                if (a.logvar() == null) {
                    assertThat(b.logvar()).isNull();
                } else {
                    assertThat(b.logvar()).as("logvar").containsExactly(a.logvar());
                }
                assertThat(resaved.decode(codes, k)).as("decoded").containsExactly(original.decode(codes, k));
                assertThat(resaved.reconstruct(x, n)).as("reconstructed").containsExactly(original.reconstruct(x, n));
            }
            // and the original still loads (loading never rewrites a model directory)
            assertThat(Files.readString(v1.resolve(ModelStore.CONFIG))).contains("\"formatVersion\": 1");
        }
    }

    static float[] floats(JsonNode o, String key) {
        JsonNode a = o.get(key);
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).isNull() ? Float.NaN : Float.parseFloat(a.get(i).decimalValue().toString());
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the model section refuses what it does not know

    static final String V2 = """
            {"formatVersion": 2, "model": MODEL, "inputShape": [1, 8, 8], "latent": 3,
             "arch": {"type": "mlp", "hidden": [16], "channels": [], "activation": "relu", "dropout": 0.0},
             "likelihood": "bernoulli", "sigma": 1.0, "transform": {"binarize": "none"}}
            """;

    static Stream<Arguments> badSections() {
        return Stream.of(
                Arguments.of("unknown field", "{\"type\": \"vae\", \"beta\": 1.0, \"colour\": 3}",
                        "unknown field 'model.colour'"),
                Arguments.of("a setting the model does not have", "{\"type\": \"vae\", \"beta\": 1.0, \"classes\": 3}",
                        "unknown field 'model.classes'"),
                Arguments.of("the CLI option's name instead of the field's", "{\"type\": \"iwae\", \"beta\": 1.0, \"samples\": 5, \"iw-samples\": 5}",
                        "unknown field 'model.iw-samples'"),
                Arguments.of("missing type", "{\"beta\": 1.0}", "missing or non-text field 'model.type'"),
                Arguments.of("type not text", "{\"type\": 7, \"beta\": 1.0}", "missing or non-text field 'model.type'"),
                Arguments.of("unknown type", "{\"type\": \"flow\", \"beta\": 1.0}", "unknown model 'flow'; choose one of "),
                Arguments.of("gan without its settings", "{\"type\": \"gan\", \"beta\": 1.0}", "missing field 'model.loss'"),
                Arguments.of("gan with an unknown loss", "{\"type\": \"gan\", \"beta\": 1.0, \"loss\": \"wasserstein\", \"dSteps\": 1, "
                        + "\"r1\": 0.0, \"dDropout\": 0.3}", "--gan-loss must be minimax or non-saturating, got 'wasserstein'"),
                Arguments.of("gan with an unknown g-init", "{\"type\": \"gan\", \"beta\": 1.0, \"loss\": \"minimax\", \"dSteps\": 1, "
                        + "\"r1\": 0.0, \"dDropout\": 0.3, \"gInit\": \"xavier\"}", "gan option g-init must be pytorch or he, got 'xavier'"),
                Arguments.of("missing beta", "{\"type\": \"vae\"}", "missing or non-numeric field 'model.beta'"),
                Arguments.of("negative beta", "{\"type\": \"vae\", \"beta\": -1.0}", "beta must be >= 0, got -1.0"),
                Arguments.of("cvae without classes", "{\"type\": \"cvae\", \"beta\": 1.0}", "missing field 'model.classes'"),
                Arguments.of("cvae with 1 class", "{\"type\": \"cvae\", \"beta\": 1.0, \"classes\": 1}", "cvae needs 2..10000 classes, got 1"),
                Arguments.of("cvae with 0 classes", "{\"type\": \"cvae\", \"beta\": 1.0, \"classes\": 0}", "cvae needs 2..10000 classes, got 0"),
                Arguments.of("cvae with -3 classes", "{\"type\": \"cvae\", \"beta\": 1.0, \"classes\": -3}", "cvae needs 2..10000 classes, got -3"),
                Arguments.of("iwae without samples", "{\"type\": \"iwae\", \"beta\": 1.0}", "missing field 'model.samples'"),
                Arguments.of("iwae with 0 samples", "{\"type\": \"iwae\", \"beta\": 1.0, \"samples\": 0}",
                        "iwae needs 1..5000 training samples (--iw-samples), got 0"),
                Arguments.of("no model section", "null", "missing field 'model'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSections")
    void theModelSectionRefusesWhatItDoesNotKnowInOneLineNamingConfigJson(String what, String section, String message,
            @TempDir Path tmp) throws IOException {
        Path file = write(tmp, V2.replace("MODEL", section));
        assertThatThrownBy(() -> ModelStore.readConfig(tmp)).as(what)
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"));
        // and the same text is a valid config once the section is right
        write(tmp, V2.replace("MODEL", "{\"type\": \"cvae\", \"beta\": 1.0, \"classes\": 4}"));
        assertThat(ModelStore.readConfig(tmp).conditionWidth()).isEqualTo(4);
    }

    /** Format 1 has no section: its "model" is a name, and a section there is refused. */
    @Test
    void aFormatOneFileWithASectionIsRefused(@TempDir Path tmp) throws IOException {
        String v1 = Files.readString(MODELS.resolve("v1-mlp-bernoulli").resolve(ModelStore.CONFIG))
                .replace("\"model\": \"vae\"", "\"model\": {\"type\": \"vae\", \"beta\": 1.0}");
        Path file = write(tmp, v1);
        assertThatThrownBy(() -> ModelStore.readConfig(tmp)).isInstanceOf(ModelFormatException.class)
                .hasMessage(file + ": 'model' must be text in double quotes, not an object at line 3, column 12")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        // format 3 does not exist yet
        Path v3 = write(tmp.resolve("v3"), V2.replace("MODEL", "{\"type\": \"vae\", \"beta\": 1.0}").replace("\"formatVersion\": 2", "\"formatVersion\": 3"));
        assertThatThrownBy(() -> ModelStore.readConfig(tmp.resolve("v3"))).hasMessage(v3 + ": unsupported model format version 3 (this vae4j reads versions 1 to 2)");
    }
}
