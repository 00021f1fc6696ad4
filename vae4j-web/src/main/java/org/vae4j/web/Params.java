package org.vae4j.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * A validated JSON request body: an object whose fields are all known, read with typed getters that reject wrong
 * types, non-finite or huge numbers and out-of-range values with a {@link BadRequest} naming the field.
 */
public final class Params {
    /** Largest magnitude accepted for any latent value. */
    public static final double MAX_ABS = 1e3;
    /** Largest count accepted (images, steps, iterations...). */
    public static final int MAX_COUNT = 1024;

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(8)
                .maxNumberLength(64)
                .maxStringLength(100_000)
                .build());
    }

    private final JsonNode root;

    private Params(JsonNode root) {
        this.root = root;
    }

    /**
     * Parses a body that must be a JSON object with only the given fields.
     *
     * @param body the request body (UTF-8)
     * @param allowed the field names the endpoint knows
     * @return the parameters
     */
    public static Params parse(byte[] body, Set<String> allowed) {
        JsonNode n;
        if (body.length == 0) {
            n = MAPPER.createObjectNode();
        } else {
            try {
                n = MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw new BadRequest("the body is not valid JSON: " + Safe.text(e.getOriginalMessage()));
            } catch (java.io.IOException | RuntimeException e) {
                throw new BadRequest("the body is not valid JSON");
            }
        }
        if (n == null || n.isMissingNode()) {
            n = MAPPER.createObjectNode();
        }
        if (!n.isObject()) {
            throw new BadRequest("the body must be a JSON object, got " + n.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new BadRequest("unknown field '" + Safe.text(f) + "'; this endpoint takes " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
        return new Params(n);
    }

    /** Whether the field is present and not null. */
    public boolean has(String field) {
        JsonNode v = root.get(field);
        return v != null && !v.isNull();
    }

    /**
     * An integer field in {@code [min, max]}.
     *
     * @param field the name
     * @param min smallest allowed
     * @param max largest allowed
     * @param dflt value when absent, or null when the field is required
     * @return the value
     */
    public int integer(String field, int min, int max, Integer dflt) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            if (dflt == null) {
                throw new BadRequest("'" + field + "' is required");
            }
            return dflt;
        }
        return integer(field, v, min, max);
    }

    static int integer(String field, JsonNode v, int min, int max) {
        if (!v.isIntegralNumber()) {
            // 1.0 and 1e3 are refused too: a count or index is written as a plain integer
            throw new BadRequest("'" + field + "' must be a whole number written without a fraction or exponent, got " + kind(v));
        }
        double d = v.canConvertToLong() ? v.asLong() : Double.POSITIVE_INFINITY;
        if (!(d >= min && d <= max)) {
            throw new BadRequest("'" + field + "' must be in " + min + ".." + max + ", got " + Safe.text(v.asText()));
        }
        return (int) d;
    }

    /**
     * A long integer field (e.g. a seed), any value that fits in 64 bits.
     *
     * @param field the name
     * @param dflt value when absent
     * @return the value
     */
    public long longInteger(String field, long dflt) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new BadRequest("'" + field + "' must be a whole number that fits in 64 bits, got " + Safe.text(v.asText()));
        }
        return v.asLong();
    }

    /**
     * A finite number in {@code [min, max]}.
     *
     * @param field the name
     * @param min smallest allowed
     * @param max largest allowed
     * @param dflt value when absent
     * @return the value
     */
    public double number(String field, double min, double max, double dflt) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new BadRequest("'" + field + "' must be a number, got " + kind(v));
        }
        double d = v.asDouble();
        if (!Double.isFinite(d) || d < min || d > max) {
            throw new BadRequest("'" + field + "' must be a finite number in [" + min + ", " + max + "], got " + Safe.text(v.asText()));
        }
        return d;
    }

    /**
     * A boolean field.
     *
     * @param field the name
     * @param dflt value when absent
     * @return the value
     */
    public boolean bool(String field, boolean dflt) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new BadRequest("'" + field + "' must be true or false, got " + kind(v));
        }
        return v.booleanValue();
    }

    /**
     * A string field that must be one of {@code choices} (case-insensitive); returned in lower case.
     *
     * @param field the name
     * @param choices allowed values, lower case
     * @param dflt value when absent
     * @return the value
     */
    public String choice(String field, Set<String> choices, String dflt) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual()) {
            throw new BadRequest("'" + field + "' must be one of " + String.join(", ", new java.util.TreeSet<>(choices)) + ", got " + kind(v));
        }
        String s = v.textValue().toLowerCase(Locale.ROOT);
        if (!choices.contains(s)) {
            throw new BadRequest("'" + field + "' must be one of " + String.join(", ", new java.util.TreeSet<>(choices)) + ", got '"
                    + Safe.text(v.textValue()) + "'");
        }
        return s;
    }

    /**
     * A latent code: an array of exactly {@code length} finite numbers with |value| ≤ {@value #MAX_ABS}.
     *
     * @param field the name
     * @param length the latent size
     * @return the code
     */
    public float[] code(String field, int length) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            throw new BadRequest("'" + field + "' is required: an array of " + length + " numbers");
        }
        return code(field, v, length);
    }

    static float[] code(String field, JsonNode v, int length) {
        if (!v.isArray()) {
            throw new BadRequest("'" + field + "' must be an array of " + length + " numbers, got " + kind(v));
        }
        if (v.size() != length) {
            throw new BadRequest("'" + field + "' must have " + length + " values (the latent size), got " + v.size());
        }
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            JsonNode e = v.get(i);
            if (!e.isNumber()) {
                throw new BadRequest("'" + field + "'[" + i + "] must be a number, got " + kind(e));
            }
            double d = e.asDouble();
            if (!Double.isFinite(d) || Math.abs(d) > MAX_ABS) {
                throw new BadRequest("'" + field + "'[" + i + "] must be a finite number with |value| <= " + (int) MAX_ABS
                        + ", got " + Safe.text(e.asText()));
            }
            out[i] = (float) d;
        }
        return out;
    }

    /**
     * A mask: an array of exactly {@code length} values, each 0/1 or false/true.
     *
     * @param field the name
     * @param length H·W
     * @return true where missing
     */
    public boolean[] flags(String field, int length) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            throw new BadRequest("'" + field + "' is required: an array of " + length + " values 0 or 1 (1 = missing)");
        }
        if (!v.isArray()) {
            throw new BadRequest("'" + field + "' must be an array of " + length + " values 0 or 1, got " + kind(v));
        }
        if (v.size() != length) {
            throw new BadRequest("'" + field + "' must have " + length + " values (height × width), got " + v.size());
        }
        boolean[] out = new boolean[length];
        for (int i = 0; i < length; i++) {
            JsonNode e = v.get(i);
            if (e.isBoolean()) {
                out[i] = e.booleanValue();
            } else if (e.isIntegralNumber() && e.canConvertToInt() && (e.intValue() == 0 || e.intValue() == 1)) {
                out[i] = e.intValue() == 1;
            } else {
                throw new BadRequest("'" + field + "'[" + i + "] must be 0 or 1, got " + Safe.text(e.toString()));
            }
        }
        return out;
    }

    private static String kind(JsonNode v) {
        return v.getNodeType().name().toLowerCase(Locale.ROOT) + (v.isValueNode() ? " " + Safe.text(v.asText()) : "");
    }
}
