package org.vae4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.io.ModelFormatException;

/**
 * A model saved by vae4j 0.1 (format 1) is kept in test resources: it must keep loading and decoding to the same
 * values, so a change to the format or the networks' parameter names cannot slip through.
 */
class SavedModelCompatibilityTest {
    static final Path FIXTURE = Path.of("src/test/resources/models/v1-mlp-bernoulli");

    @Test
    void formatOneModelLoadsAndDecodesAsItDid() throws Exception {
        JsonNode expected = FrozenFixturesTest.EXACT.readTree(Files.readString(FIXTURE.resolve("expected-decode.json")));
        JsonNode codes = expected.get("codes");
        JsonNode decoded = expected.get("decoded");
        float[] z = new float[codes.size()];
        for (int i = 0; i < z.length; i++) {
            z[i] = Float.parseFloat(codes.get(i).decimalValue().toString());
        }
        try (VaeModel m = VaeModel.load(FIXTURE)) {
            assertThat(m.parameters().keySet()).containsExactly("encoder.fc1.weight", "encoder.fc1.bias", "encoder.head.weight",
                    "encoder.head.bias", "decoder.fc1.weight", "decoder.fc1.bias", "decoder.out.weight", "decoder.out.bias");
            float[] x = m.decode(z, 2);
            assertThat(x).hasSize(decoded.size());
            for (int i = 0; i < x.length; i++) {
                assertThat((double) x[i]).isCloseTo(decoded.get(i).doubleValue(), within(1e-6));
            }
        }
        assertThat(ModelStore.readProvenance(FIXTURE).djlVersion()).isEqualTo("0.35.1");
    }

    @Test
    void truncatedOrMissingWeightsAreReportedByFile(@TempDir Path tmp) throws Exception {
        Files.copy(FIXTURE.resolve("config.json"), tmp.resolve("config.json"));
        assertThatThrownBy(() -> VaeModel.load(tmp)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("weights.safetensors").hasMessageContaining("missing");
        byte[] w = Files.readAllBytes(FIXTURE.resolve("weights.safetensors"));
        Files.write(tmp.resolve("weights.safetensors"), java.util.Arrays.copyOf(w, w.length - 100));
        assertThatThrownBy(() -> VaeModel.load(tmp)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("weights.safetensors");
    }
}
