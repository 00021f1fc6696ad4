package org.vae4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.io.ModelFormatException;
import org.vae4j.util.Json;

/** Bugs found by {@link ConfigFilePropertiesTest}, pinned down. */
class ConfigFileRegressionTest {
    static final ModelConfig CONFIG = ModelConfig.vae(List.of(1, 8, 8), 3, ArchConfig.mlp(16), "bernoulli", 1.0);

    static Path writeConfig(Path dir, String json) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(ModelStore.CONFIG), json);
        return dir.resolve(ModelStore.CONFIG);
    }

    /**
     * {@code "inputShape": [4096, 4096, 4096]} used to be accepted with {@code featureSize()} overflowing to 0, so a
     * hostile or mistyped config.json produced a model of nonsense size instead of an error.
     */
    @Test
    void anInputShapeWithMoreValuesThanAnIntHoldsIsRejected(@TempDir Path tmp) throws Exception {
        String json = Json.write(CONFIG).replace("\"inputShape\": [\n    1,\n    8,\n    8\n  ]",
                "\"inputShape\": [4096, 4096, 4096]");
        assertThat(json).contains("[4096, 4096, 4096]");
        Path file = writeConfig(tmp.resolve("m"), json);
        assertThatThrownBy(() -> ModelStore.readConfig(tmp.resolve("m")))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage(file + ": input shape [4096, 4096, 4096] has more than 2147483647 values per record");
        assertThatThrownBy(() -> ModelConfig.vae(List.of(65536, 65536, 1), 3, ArchConfig.mlp(16), "bernoulli", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 2147483647 values per record");
        // the largest shape that fits is still accepted (and its size is exact)
        ModelConfig big = ModelConfig.vae(List.of(Integer.MAX_VALUE), 3, ArchConfig.mlp(16), "bernoulli", 1);
        assertThat(big.featureSize()).isEqualTo(Integer.MAX_VALUE);
    }

    /**
     * Text from the file (here an ANSI escape sequence and a NUL in a field value) used to reach the one-line error
     * message raw, so printing the error could drive the user's terminal.
     */
    @Test
    void controlCharactersFromTheFileAreEscapedInTheMessage(@TempDir Path tmp) throws Exception {
        String json = Json.write(CONFIG).replace("\"relu\"", "\"\\u001b[2J\\u0000relu\"");
        Path file = writeConfig(tmp.resolve("m"), json);
        assertThatThrownBy(() -> ModelStore.readConfig(tmp.resolve("m")))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(file + ": unknown activation '\\u001b[2j\\u0000relu'")
                .hasMessageNotContaining("\u001b")
                .hasMessageNotContaining("\u0000");
        // line breaks still become spaces, as before
        assertThat(new ModelFormatException("a.json: x\ny\tz\u2028w").getMessage()).isEqualTo("a.json: x y z w");
    }
}
