package org.vae4j.model;

import com.google.gson.JsonDeserializationContext;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializationContext;
import com.google.gson.JsonSerializer;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import org.vae4j.util.Json;

/**
 * {@code config.json} for {@link ModelConfig}. Format 2 (written):
 *
 * <pre>{@code
 * {"formatVersion": 2,
 *  "model": {"type": "cvae", "beta": 1.0, "classes": 10},   // type, beta and the model's own settings
 *  "inputShape": [1, 28, 28], "latent": 20, "arch": {...}, "likelihood": "bernoulli", "sigma": 1.0,
 *  "transform": {...}}
 * }</pre>
 *
 * Format 1 (read only) has {@code "model": "vae"} and {@code "beta"} at the top level. Reading is strict: missing and
 * unknown fields are named, in the model section too (checked against the model's own settings record).
 */
final class ModelConfigJson implements JsonSerializer<ModelConfig>, JsonDeserializer<ModelConfig> {
    /** The model section's fields besides the model's own settings. */
    static final String TYPE = "type";
    static final String BETA = "beta";

    /** Format 1, flat. */
    private record V1(int formatVersion, String model, List<Integer> inputShape, int latent, ArchConfig arch, String likelihood,
            double sigma, double beta, DataTransform transform) {}

    /** Format 2 without its model section. */
    private record V2(int formatVersion, JsonObject model, List<Integer> inputShape, int latent, ArchConfig arch, String likelihood,
            double sigma, DataTransform transform) {}

    @Override
    public JsonElement serialize(ModelConfig c, Type type, JsonSerializationContext ctx) {
        JsonObject o = new JsonObject();
        o.addProperty("formatVersion", ModelConfig.FORMAT_VERSION);
        JsonObject section = new JsonObject();
        section.addProperty(TYPE, c.model());
        section.addProperty(BETA, c.beta());
        JsonElement own = ctx.serialize(c.settings());
        if (own != null && own.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : own.getAsJsonObject().entrySet()) {
                section.add(e.getKey(), e.getValue());
            }
        }
        o.add("model", section);
        o.add("inputShape", ctx.serialize(c.inputShape()));
        o.addProperty("latent", c.latent());
        o.add("arch", ctx.serialize(c.arch()));
        o.addProperty("likelihood", c.likelihood());
        o.addProperty("sigma", c.sigma());
        o.add("transform", ctx.serialize(c.transform()));
        return o;
    }

    @Override
    public ModelConfig deserialize(JsonElement el, Type type, JsonDeserializationContext ctx) {
        if (el == null || !el.isJsonObject()) {
            throw new IllegalArgumentException("the model configuration must be a JSON object");
        }
        JsonObject o = el.getAsJsonObject();
        JsonElement version = o.get("formatVersion");
        if (version == null || !version.isJsonPrimitive() || !version.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("missing field 'formatVersion'");
        }
        int v = version.getAsInt();
        if (v == ModelConfig.FIRST_FORMAT_VERSION) {
            Json.checkFields(o, V1.class, "");
            V1 c = ctx.deserialize(o, V1.class);
            return new ModelConfig(c.formatVersion(), c.model(), c.inputShape(), c.latent(), c.arch(), c.likelihood(), c.sigma(),
                    c.beta(), c.transform());
        }
        if (v != ModelConfig.FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported model format version " + v + " (this vae4j reads versions "
                    + ModelConfig.FIRST_FORMAT_VERSION + " to " + ModelConfig.FORMAT_VERSION + ")");
        }
        Json.checkFields(o, V2.class, "");
        JsonObject section = o.getAsJsonObject("model").deepCopy();
        String name = string(section.remove(TYPE), "model.type");
        JsonElement beta = section.remove(BETA);
        if (beta == null || !beta.isJsonPrimitive() || !beta.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("missing or non-numeric field 'model.beta'");
        }
        ModelVariant variant = ModelVariants.get(name.toLowerCase(java.util.Locale.ROOT));
        Json.checkFields(section, variant.settingsType(), "model");
        Record settings = ctx.deserialize(section, variant.settingsType());
        V2 c = ctx.deserialize(o, V2.class);
        return new ModelConfig(v, name, c.inputShape(), c.latent(), c.arch(), c.likelihood(), c.sigma(), beta.getAsDouble(),
                c.transform(), settings);
    }

    private static String string(JsonElement e, String field) {
        if (e == null || !e.isJsonPrimitive() || !((JsonPrimitive) e).isString()) {
            throw new IllegalArgumentException("missing or non-text field '" + field + "'");
        }
        return e.getAsString();
    }
}
