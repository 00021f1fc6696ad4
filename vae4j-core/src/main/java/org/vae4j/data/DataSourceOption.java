package org.vae4j.data;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An option a kind of data takes, as its {@link DataSourceProvider} declares it in {@link DataSourceProvider#options()}:
 * the flag that sets it ({@code --label-column}), the spec key it becomes ({@code label}), its value type, a help text
 * and a default. A front end offers the flags of every installed provider and folds the ones given into the spec with
 * {@link DataSources#withOptions(String, java.util.Map)}, so it never needs to know which kind takes which flag.
 *
 * <p>Build one with {@link #of(String, String, Type, String, String)}, then {@link #withDefault(String)} and
 * {@link #withChoices(String...)} as needed:
 *
 * <pre>{@code
 * DataSourceOption.of("missing", "missing", Type.TEXT, "reject|mask", "what missing cells are")
 *         .withChoices("reject", "mask").withDefault("reject");
 * }</pre>
 *
 * @param name the option's name, lower-case letters, digits and dashes ({@code label-column}); the flag is
 *     {@code --name}. Providers that take the same setting may declare the same name (both {@code csv} and
 *     {@code images} declare {@code val-fraction}); its type should then agree.
 * @param key the spec key the value is written to ({@code label} in {@code csv:FILE,label=COL}): letters, digits,
 *     dashes, dots and underscores
 * @param type how the value is read and checked
 * @param paramLabel how help texts show the value ({@code COL}, {@code 1|3}); {@code null} for a {@link Type#FLAG}
 * @param description a one-line help text without the kind (front ends say which kinds take the option)
 * @param defaultValue the value the provider uses when the option is not given, in the option's text form, or
 *     {@code null} when there is none (for example no resizing); for documentation, never folded into a spec
 * @param choices for {@link Type#TEXT}: the accepted values (matched ignoring case, folded in the spelling given
 *     here); empty for any text
 */
public record DataSourceOption(String name, String key, Type type, String paramLabel, String description,
        String defaultValue, List<String> choices) {

    /** How an option's value is read and checked, and how it is written into a spec. */
    public enum Type {
        /** Any text, or one of {@link DataSourceOption#choices()}. */
        TEXT,
        /** A 32-bit integer, written in decimal. */
        INTEGER,
        /** A number ({@link Double#parseDouble}), written as {@link Double#toString(double)} does. */
        NUMBER,
        /** A file or directory, written as {@link Path#toString()} does. */
        PATH,
        /** A switch without a value: given means on; a spec gets the bare key ({@code skip-bad}). */
        FLAG,
        /** Items separated by {@code ,} when given; a spec gets them separated by {@code ;} ({@code ignore=A;B}). */
        LIST
    }

    /**
     * Checks the declaration.
     *
     * @throws IllegalArgumentException naming the option when a part is missing or malformed, the default is not a
     *     valid value, or choices are given for a type other than {@link Type#TEXT}
     */
    public DataSourceOption {
        if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("data option name must be lower-case letters, digits and dashes: " + name);
        }
        if (key == null || !key.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("data option " + name + ": spec key must be letters, digits, '.', '_' and '-': " + key);
        }
        if (type == null) {
            throw new IllegalArgumentException("data option " + name + ": missing type");
        }
        if (description == null || description.isBlank() || description.contains("\n")) {
            throw new IllegalArgumentException("data option " + name + ": needs a one-line description");
        }
        if (type == Type.FLAG) {
            paramLabel = null;
        } else if (paramLabel == null || paramLabel.isBlank()) {
            throw new IllegalArgumentException("data option " + name + ": needs a parameter label such as N or DIR");
        }
        choices = choices == null ? List.of() : List.copyOf(choices);
        if (!choices.isEmpty() && type != Type.TEXT) {
            throw new IllegalArgumentException("data option " + name + ": choices are for TEXT options, not " + type);
        }
        if (defaultValue != null) {
            new DataSourceOption(name, key, type, paramLabel, description, null, choices).normalise(defaultValue);
        }
    }

    /**
     * An option without default or choices.
     *
     * @param name the name ({@code size}); the flag is {@code --size}
     * @param key the spec key
     * @param type the value type
     * @param paramLabel the value's label in help texts, {@code null} for a flag
     * @param description a one-line help text
     * @return the declaration
     */
    public static DataSourceOption of(String name, String key, Type type, String paramLabel, String description) {
        return new DataSourceOption(name, key, type, paramLabel, description, null, List.of());
    }

    /**
     * Copy with a documented default.
     *
     * @param value the default in the option's text form
     * @return the new declaration
     */
    public DataSourceOption withDefault(String value) {
        return new DataSourceOption(name, key, type, paramLabel, description, value, choices);
    }

    /**
     * Copy that accepts only these values (a {@link Type#TEXT} option).
     *
     * @param values the accepted values
     * @return the new declaration
     */
    public DataSourceOption withChoices(String... values) {
        return new DataSourceOption(name, key, type, paramLabel, description, defaultValue, Arrays.asList(values));
    }

    /**
     * Returns the command-line flag.
     *
     * @return {@code --} followed by the name
     */
    public String flag() {
        return "--" + name;
    }

    /**
     * Checks a value and returns it in canonical text form: an integer or number as Java prints it, a path as
     * {@link Path#toString()}, a choice in its declared spelling, a flag as {@code true} or {@code false}, a list's
     * items joined by {@code ,} (as given).
     *
     * @param value the value as given
     * @return the canonical text
     * @throws IllegalArgumentException with a one-line message naming the flag when the value is not of the type
     */
    public String normalise(String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag() + " needs a value");
        }
        return switch (type) {
            case TEXT -> {
                if (choices.isEmpty()) {
                    yield value;
                }
                for (String c : choices) {
                    if (c.equalsIgnoreCase(value)) {
                        yield c;
                    }
                }
                yield fail(value, "must be " + alternatives());
            }
            case INTEGER -> {
                try {
                    yield Integer.toString(Integer.parseInt(value.strip()));
                } catch (NumberFormatException e) {
                    yield fail(value, "must be an integer");
                }
            }
            case NUMBER -> {
                try {
                    yield Double.toString(Double.parseDouble(value.strip()));
                } catch (NumberFormatException e) {
                    yield fail(value, "must be a number");
                }
            }
            case PATH -> {
                try {
                    yield Path.of(value).toString();
                } catch (InvalidPathException e) {
                    yield fail(value, "must be a path (" + e.getReason() + ")");
                }
            }
            case FLAG -> {
                String v = value.strip().toLowerCase(Locale.ROOT);
                if (v.equals("true") || v.equals("false")) {
                    yield v;
                }
                yield fail(value, "must be true or false");
            }
            case LIST -> value;
        };
    }

    /**
     * Splits a {@link Type#LIST} value into its items.
     *
     * @param value the value, items separated by {@code ,}
     * @return the items, empty ones kept (the provider decides whether they are allowed)
     */
    public static List<String> items(String value) {
        return List.of(value.split(",", -1));
    }

    private String alternatives() {
        if (choices.size() == 1) {
            return choices.get(0);
        }
        return String.join(", ", choices.subList(0, choices.size() - 1)) + " or " + choices.get(choices.size() - 1);
    }

    private String fail(String value, String problem) {
        throw new IllegalArgumentException(flag() + " " + problem + ", got '" + value + "'");
    }
}
