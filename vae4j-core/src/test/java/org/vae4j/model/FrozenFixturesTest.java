package org.vae4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Saved models of earlier releases, kept in test resources with what they computed when saved ({@code expected.json}, see
 * {@link FixtureGenerator}): each must still load and encode, decode and reconstruct the same fixed inputs and codes to
 * the same values. Uses only the model API that every format version keeps: {@link VaeModel#load}, {@code encode} (its
 * {@code mu()} and {@code logvar()}), {@code decode}, {@code reconstruct}, {@code latent()}, {@code featureSize()}.
 *
 * <p>expected.json: {@code latent}, {@code featureSize}, {@code inputs} (records, row-major; {@code null} is a missing
 * value, NaN), their posterior {@code mu} and {@code logvar} ({@code null} for deterministic models), {@code codes}
 * (row-major) and their {@code decoded} means, and the {@code reconstructed} inputs. A conditional model's fixture also
 * has the {@code labels} of the inputs and the {@code codeLabels} of the codes, which encode, decode and reconstruct
 * get; an unconditional model's has neither.
 *
 * <p>A fixture directory is named {@code vN-...}, N the format version its {@code config.json} was written in.
 */
class FrozenFixturesTest {
    static final Path MODELS = Path.of("src/test/resources/models");
    static final double TOLERANCE = 1e-5;
    /** Numbers as written (decimal), so each is parsed to the float it was printed from. */
    static final ObjectMapper EXACT = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> dirs = Files.list(MODELS)) {
            List<String> names = dirs.filter(d -> Files.isRegularFile(d.resolve("expected.json")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
            return names.stream();
        }
    }

    @Test
    void everyFrozenFixtureIsChecked() throws IOException {
        // a fixture whose expected.json went missing would otherwise drop out of the test silently
        assertThat(fixtures()).contains("v1-mlp-bernoulli", "v1-ae-mlp-mse", "v1-vae-conv-bernoulli", "v1-vae-table-composite",
                "v1-vae-mlp-gaussian", "v2-vae-mlp-bernoulli", "v2-ae-mlp-mse", "v2-cvae-conv-bernoulli", "v2-iwae-mlp-bernoulli",
                "v2-hvae-mlp-bernoulli", "v2-vamp-mlp-bernoulli");
    }

    /**
     * Each fixture is still in the format its name says (a v1 fixture re-saved by a newer build would silently stop
     * testing format 1), and its weights say the same.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void isStoredInTheFormatItsNameSays(String name) throws IOException {
        Path dir = MODELS.resolve(name);
        int version = FixtureGenerator.formatVersion(dir);
        JsonNode config = EXACT.readTree(Files.readString(dir.resolve(ModelStore.CONFIG)));
        assertThat(config.get("formatVersion").intValue()).as(name + ": config.json formatVersion").isEqualTo(version);
        // format 1 names the model in a string, format 2 in a section
        assertThat(config.get("model").isObject()).as(name + ": a \"model\" section").isEqualTo(version >= 2);
        assertThat(org.vae4j.io.SafeTensors.read(dir.resolve(ModelStore.WEIGHTS)).metadata().get("format"))
                .as(name + ": weights format").isEqualTo("vae4j-weights/" + version);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void loadsAndComputesWhatItDidWhenSaved(String name) throws IOException {
        Path dir = MODELS.resolve(name);
        JsonNode expected = EXACT.readTree(Files.readString(dir.resolve("expected.json")));
        try (VaeModel m = VaeModel.load(dir)) {
            assertThat(m.latent()).as(name + ": latent").isEqualTo(expected.get("latent").intValue());
            assertThat(m.featureSize()).as(name + ": featureSize").isEqualTo(expected.get("featureSize").intValue());

            float[] x = floats(expected, "inputs");
            int n = x.length / m.featureSize();
            assertThat(n).as(name + ": records in inputs").isPositive();
            assertThat(x).as(name + ": inputs: whole records").hasSize(n * m.featureSize());
            int[] labels = ints(expected, "labels");
            int[] codeLabels = ints(expected, "codeLabels");
            // labels exactly for conditional models: a conditional fixture without them would not test the condition
            assertThat(labels != null).as(name + ": labels in expected.json iff the model is conditional").isEqualTo(m.conditional());
            assertThat(codeLabels != null).as(name + ": codeLabels in expected.json iff the model is conditional").isEqualTo(m.conditional());
            if (labels != null) {
                assertThat(labels).as(name + ": one label per input").hasSize(n);
            }
            // a model without an encoder (a GAN) stores its forward pass's terms instead of posterior and reconstruction
            assertThat(expected.has("mu")).as(name + ": mu in expected.json iff the model encodes").isEqualTo(m.can(Capability.ENCODES));
            if (!m.can(Capability.ENCODES)) {
                float[] z = floats(expected, "codes");
                assertClose(name, "decoded", m.decode(z, z.length / m.latent(), codeLabels), floats(expected, "decoded"));
                JsonNode terms = expected.get("terms");
                assertThat(terms).as(name + ": terms").isNotNull();
                Map<String, float[]> got = FixtureGenerator.Expected.forwardTerms(m, x, n);
                assertThat(List.copyOf(got.keySet())).as(name + ": term names").isEqualTo(iterable(terms.fieldNames()));
                got.forEach((k, v) -> assertClose(name, "terms." + k, v, floats(terms, k)));
                return;
            }
            var posterior = m.encode(x, n, labels);
            assertClose(name, "mu", posterior.mu(), floats(expected, "mu"));
            if (expected.get("logvar").isNull()) {
                assertThat(posterior.logvar()).as(name + ": logvar of a deterministic model").isNull();
            } else {
                assertThat(posterior.logvar()).as(name + ": logvar").isNotNull();
                assertClose(name, "logvar", posterior.logvar(), floats(expected, "logvar"));
            }

            float[] z = floats(expected, "codes");
            int k = z.length / m.latent();
            assertThat(k).as(name + ": codes").isPositive();
            assertThat(z).as(name + ": codes: whole codes").hasSize(k * m.latent());
            if (codeLabels != null) {
                assertThat(codeLabels).as(name + ": one label per code").hasSize(k);
            }
            assertClose(name, "decoded", m.decode(z, k, codeLabels), floats(expected, "decoded"));

            assertClose(name, "reconstructed", m.reconstruct(x, n, labels), floats(expected, "reconstructed"));
            // fixtures of models with a learned prior (hvae, vamp) also hold prior codes: the upper layers, the pseudo-inputs
            if (expected.has("priorCodes")) {
                float[] prior = floats(expected, "priorCodes");
                assertClose(name, "priorCodes", m.priorCodes(prior.length / m.latent(), FixtureGenerator.Expected.PRIOR_SEED), prior);
            }
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static void assertClose(String fixture, String what, float[] actual, float[] expected) {
        assertThat(actual).as("%s: %s", fixture, what).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("%s: %s[%d]", fixture, what, i).isCloseTo(expected[i], within(TOLERANCE));
        }
    }

    /** A JSON array of whole numbers, or null when the key is absent. */
    private static int[] ints(JsonNode o, String key) {
        JsonNode a = o.get(key);
        if (a == null) {
            return null;
        }
        assertThat(a.isArray()).as("expected.json: %s is an array", key).isTrue();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            assertThat(a.get(i).isIntegralNumber()).as("expected.json: %s[%d] is a whole number", key, i).isTrue();
            out[i] = a.get(i).intValue();
        }
        return out;
    }

    /** A JSON array of numbers; {@code null} elements are NaN (missing table cells). */
    private static float[] floats(JsonNode o, String key) {
        JsonNode a = o.get(key);
        assertThat(a).as("expected.json: %s", key).isNotNull();
        assertThat(a.isArray()).as("expected.json: %s is an array", key).isTrue();
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).isNull() ? Float.NaN : Float.parseFloat(a.get(i).decimalValue().toString());
        }
        return out;
    }
}
