package org.vae4j.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;

class JsonTest {
    static final ModelConfig CONFIG = ModelConfig.vae(List.of(1, 28, 28), 20, ArchConfig.mlp(512, 256), "bernoulli", 4.0);

    @Test
    void configRoundTrips() {
        String json = Json.write(CONFIG);
        assertThat(json).contains("\"likelihood\": \"bernoulli\"").contains("\"formatVersion\": 2");
        assertThat(Json.readStrict(json, ModelConfig.class, "config.json")).isEqualTo(CONFIG);
    }

    @Test
    void theTableSchemaIsOptionalAbsentWhenNullAndStrictWhenPresent() {
        String json = Json.write(CONFIG);
        // configs without tables are written as before (no "table" key) and old files without it load
        assertThat(json).doesNotContain("table");
        assertThat(Json.readStrict(json.replace("\"binarize\": \"none\"", "\"binarize\": \"none\", \"table\": null"),
                ModelConfig.class, "config.json")).isEqualTo(CONFIG);
        org.vae4j.data.TableSchema t = new org.vae4j.data.TableSchema(List.of(
                org.vae4j.data.TableSchema.Column.continuous("age", 41.5, 12.25),
                org.vae4j.data.TableSchema.Column.binary("smoker", 0.25),
                org.vae4j.data.TableSchema.Column.categorical("colour", List.of("blue", "red"))));
        ModelConfig table = ModelConfig.tableVae(t, 4, ArchConfig.mlp(16), 1.0);
        String tj = Json.write(table);
        assertThat(Json.readStrict(tj, ModelConfig.class, "config.json")).isEqualTo(table);
        assertThatThrownBy(() -> Json.readStrict(tj.replace("\"mean\": 41.5,", ""), ModelConfig.class, "config.json"))
                .hasMessage("config.json: missing field 'transform.table.columns[0].mean'");
        assertThatThrownBy(() -> Json.readStrict(tj.replace("\"std\": 12.25", "\"std\": 0"), ModelConfig.class, "config.json"))
                .hasMessage("config.json: table column 'age': std must be positive and finite, got 0.0");
        assertThatThrownBy(() -> Json.readStrict(tj.replace("\"inputShape\": [\n    5", "\"inputShape\": [\n    6"), ModelConfig.class, "config.json"))
                .hasMessage("config.json: input shape [6] does not match the table schema's 5 values per record");
    }

    @Test
    void missingUnknownAndInvalidFieldsAreNamed() {
        String json = Json.write(CONFIG);
        assertThatThrownBy(() -> Json.readStrict(json.replace("\"latent\": 20,", ""), ModelConfig.class, "config.json"))
                .hasMessage("config.json: missing field 'latent'");
        assertThatThrownBy(() -> Json.readStrict(json.replace("\"latent\": 20,", "\"latent\": 20, \"colour\": 3,"), ModelConfig.class, "config.json"))
                .hasMessageStartingWith("config.json: unknown field 'colour'");
        assertThatThrownBy(() -> Json.readStrict(json.replace("\"activation\": \"relu\"", "\"activation\": \"swish\""), ModelConfig.class, "c.json"))
                .hasMessageStartingWith("c.json: unknown activation 'swish'");
        assertThatThrownBy(() -> Json.readStrict(json.replace("\"formatVersion\": 2", "\"formatVersion\": 99"), ModelConfig.class, "c.json"))
                .hasMessageContaining("unsupported model format version 99");
        assertThatThrownBy(() -> Json.readStrict(json.replace("\"beta\": 4.0", "\"beta\": 4.0, \"classes\": 3"), ModelConfig.class, "c.json"))
                .hasMessageStartingWith("c.json: unknown field 'model.classes'");
        assertThatThrownBy(() -> Json.readStrict(json.replace("\"type\": \"vae\",", ""), ModelConfig.class, "c.json"))
                .hasMessageContaining("'model.type'");
        assertThatThrownBy(() -> Json.readStrict("{not json", ModelConfig.class, "c.json"))
                .hasMessageStartingWith("c.json: not valid JSON");
        assertThatThrownBy(() -> Json.readStrict("[]", ModelConfig.class, "c.json"))
                .hasMessage("c.json: top level must be a JSON object");
    }

    @Test
    void configValidationRejectsBadValues() {
        assertThatThrownBy(() -> ModelConfig.vae(List.of(1, 28, 28), 0, ArchConfig.mlp(8), "bernoulli", 1))
                .hasMessageContaining("latent size");
        assertThatThrownBy(() -> ModelConfig.vae(List.of(1, 28, 28), 2, ArchConfig.conv(List.of(8, 8, 8), 0), "bernoulli", 1))
                .hasMessageContaining("not divisible by 2^3");
        assertThatThrownBy(() -> ModelConfig.vae(List.of(1, 28, 28), 2, ArchConfig.mlp(8), "bernoulli", Double.NaN))
                .hasMessageContaining("beta");
        assertThatThrownBy(() -> new ModelConfig(1, "flow", List.of(4), 2, ArchConfig.mlp(8), "mse", 1, 1, null))
                .hasMessageContaining("unknown model 'flow'");
    }
}
