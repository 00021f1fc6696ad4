package org.vae4j.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Iterator;
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
final class ModelConfigJson {
    /** The model section's fields besides the model's own settings. */
    static final String TYPE = "type";
    static final String BETA = "beta";

    private ModelConfigJson() {}

    /** Format 1, flat. */
    private record V1(int formatVersion, String model, List<Integer> inputShape, int latent, ArchConfig arch, String likelihood,
            double sigma, double beta, DataTransform transform) {}

    /** Format 2 without its model section. */
    private record V2(int formatVersion, JsonNode model, List<Integer> inputShape, int latent, ArchConfig arch, String likelihood,
            double sigma, DataTransform transform) {}

    /** Writes format 2. */
    static final class Writer extends StdSerializer<ModelConfig> {
        private static final long serialVersionUID = 1L;

        Writer() {
            super(ModelConfig.class);
        }

        @Override
        public void serialize(ModelConfig c, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            g.writeNumberField("formatVersion", ModelConfig.FORMAT_VERSION);
            g.writeObjectFieldStart("model");
            g.writeStringField(TYPE, c.model());
            g.writeNumberField(BETA, c.beta());
            JsonNode own = Json.tree(c.settings());
            if (own != null && own.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = own.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    g.writeFieldName(e.getKey());
                    provider.defaultSerializeValue(e.getValue(), g);
                }
            }
            g.writeEndObject();
            provider.defaultSerializeField("inputShape", c.inputShape(), g);
            g.writeNumberField("latent", c.latent());
            provider.defaultSerializeField("arch", c.arch(), g);
            g.writeStringField("likelihood", c.likelihood());
            g.writeNumberField("sigma", c.sigma());
            provider.defaultSerializeField("transform", c.transform(), g);
            g.writeEndObject();
        }
    }

    /** Reads formats 1 and 2. */
    static final class Reader extends StdDeserializer<ModelConfig> {
        private static final long serialVersionUID = 1L;

        Reader() {
            super(ModelConfig.class);
        }

        @Override
        public ModelConfig deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode el = ctxt.readTree(p);
            if (el == null || !el.isObject()) {
                throw new IllegalArgumentException("the model configuration must be a JSON object");
            }
            ObjectNode o = (ObjectNode) el;
            JsonNode version = o.get("formatVersion");
            if (version == null || version.isNull()) {
                throw new IllegalArgumentException("missing field 'formatVersion'");
            }
            if (!version.isIntegralNumber() || !version.canConvertToInt()) {
                throw new IllegalArgumentException("'formatVersion' must be a whole number, not "
                        + (version.isTextual() ? "the text \"" + shorten(version.textValue()) + "\"" : shorten(version.toString())));
            }
            int v = version.intValue();
            if (v == ModelConfig.FIRST_FORMAT_VERSION) {
                Json.checkFields(o, V1.class, "");
                V1 c = ctxt.readTreeAsValue(o, V1.class);
                return new ModelConfig(c.formatVersion(), c.model(), c.inputShape(), c.latent(), c.arch(), c.likelihood(), c.sigma(),
                        c.beta(), c.transform());
            }
            if (v != ModelConfig.FORMAT_VERSION) {
                throw new IllegalArgumentException("unsupported model format version " + v + " (this vae4j reads versions "
                        + ModelConfig.FIRST_FORMAT_VERSION + " to " + ModelConfig.FORMAT_VERSION + ")");
            }
            Json.checkFields(o, V2.class, "");
            if (!o.get("model").isObject()) {
                throw new IllegalArgumentException("'model' must be a JSON object (format " + v + ")");
            }
            ObjectNode section = ((ObjectNode) o.get("model")).deepCopy();
            String name = string(section.remove(TYPE), "model.type");
            JsonNode beta = section.remove(BETA);
            if (beta == null || !beta.isNumber()) {
                throw new IllegalArgumentException("missing or non-numeric field 'model.beta'");
            }
            ModelVariant variant = ModelVariants.get(name.toLowerCase(java.util.Locale.ROOT));
            Json.checkFields(section, variant.settingsType(), "model");
            Record settings;
            try {
                settings = ctxt.readTreeAsValue(section, variant.settingsType());
            } catch (JsonMappingException e) {
                e.prependPath(o, "model");
                throw e;
            }
            V2 c = ctxt.readTreeAsValue(o, V2.class);
            return new ModelConfig(v, name, c.inputShape(), c.latent(), c.arch(), c.likelihood(), c.sigma(), beta.doubleValue(),
                    c.transform(), settings);
        }
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String string(JsonNode e, String field) {
        if (e == null || !e.isTextual()) {
            throw new IllegalArgumentException("missing or non-text field '" + field + "'");
        }
        return e.textValue();
    }
}
