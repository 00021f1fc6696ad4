package org.vae4j.io;

import java.util.ArrayList;
import java.util.List;

/** The few CSV rules vae4j's own small files need (RFC 4180 quoting of one line). */
public final class CsvFields {
    private CsvFields() {}

    /** The field as it goes into a CSV line: quoted (with doubled quotes) when it contains a comma, quote or newline. */
    public static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /**
     * Splits one CSV line into fields, undoing {@link #quote}.
     *
     * @throws IllegalArgumentException if a quoted field is not closed
     */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    f.append(c);
                }
            } else if (c == '"' && f.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unclosed quote");
        }
        out.add(f.toString());
        return out;
    }
}
