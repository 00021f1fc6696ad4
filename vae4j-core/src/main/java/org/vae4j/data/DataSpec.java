package org.vae4j.data;

import java.util.Locale;

/**
 * A parsed data-set specification {@code KIND[:ARGUMENT]}, for example {@code mnist},
 * {@code fashion-mnist}, {@code idx:/data/mnist}, {@code shapes}, {@code shapes:rgb} or
 * {@code shapes:size=64,n=5000,seed=3}. The meaning of the argument is up to the
 * {@link DataSourceProvider} of the kind.
 *
 * @param kind the lower-case kind, for example {@code idx}
 * @param argument everything after the first colon, trimmed; empty (never {@code null}) if none
 */
public record DataSpec(String kind, String argument) {

    /**
     * Validates and normalises the parts.
     *
     * @param kind the kind, letters, digits and dashes (stored lower-case)
     * @param argument the argument, or {@code null} for none (stored trimmed)
     * @throws IllegalArgumentException if the kind is not made of letters, digits and dashes
     */
    public DataSpec {
        if (kind == null || !kind.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
            throw new IllegalArgumentException("data kind must be letters, digits and dashes: " + kind);
        }
        kind = kind.toLowerCase(Locale.ROOT);
        argument = argument == null ? "" : argument.trim();
    }

    /**
     * Parses a spec string and checks that a provider for its kind is installed.
     *
     * @param spec for example {@code shapes:rgb}; surrounding blanks are ignored, the kind is
     *     case-insensitive
     * @return the parsed spec
     * @throws DataException if the spec is empty, malformed, or of an unknown kind (the message
     *     lists the valid kinds)
     */
    public static DataSpec parse(String spec) {
        return parse(spec, DataSources.providers());
    }

    /** {@link #parse(String)} against the given providers. */
    static DataSpec parse(String spec, java.util.List<DataSourceProvider> providers) {
        if (spec == null || spec.isBlank()) {
            throw new DataException("empty data spec; valid kinds: " + DataSources.kinds(providers));
        }
        String s = spec.trim();
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon).trim();
        String argument = colon < 0 ? "" : s.substring(colon + 1);
        DataSpec parsed;
        try {
            parsed = new DataSpec(kind, argument);
        } catch (IllegalArgumentException e) {
            throw new DataException(s + ": malformed data spec, expected KIND[:ARGUMENT]; valid kinds: "
                    + DataSources.kinds(providers), e);
        }
        if (DataSources.find(parsed.kind(), providers) == null) {
            throw new DataException(s + ": unknown data kind '" + parsed.kind() + "'; valid kinds: " + DataSources.kinds(providers));
        }
        return parsed;
    }

    /**
     * Parses the integer value of a {@code key=value} option of this spec.
     *
     * @throws DataException naming the spec and key when the value is not an integer
     */
    public int intOption(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new DataException(this + ": " + key + " must be an integer but is '" + value + "'", e);
        }
    }

    /**
     * Parses the long integer value of a {@code key=value} option of this spec.
     *
     * @throws DataException naming the spec and key when the value is not an integer
     */
    public long longOption(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new DataException(this + ": " + key + " must be an integer but is '" + value + "'", e);
        }
    }

    /**
     * Parses the numeric value of a {@code key=value} option of this spec.
     *
     * @throws DataException naming the spec and key when the value is not a number
     */
    public double doubleOption(String key, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new DataException(this + ": " + key + " must be a number but is '" + value + "'", e);
        }
    }

    /**
     * Returns the spec in its string form, which {@link #parse(String)} reads back.
     *
     * @return {@code kind} or {@code kind:argument}
     */
    @Override
    public String toString() {
        return argument.isEmpty() ? kind : kind + ":" + argument;
    }
}
