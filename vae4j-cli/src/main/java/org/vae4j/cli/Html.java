package org.vae4j.cli;

import java.util.Base64;
import java.util.List;

/**
 * A small builder for self-contained HTML pages: inline CSS, no scripts, no external resources. The markup is
 * well-formed XML as well as HTML5 (every element closed, attributes quoted, text escaped), so a test can parse it.
 */
final class Html {
    private static final String CSS = String.join("\n",
            "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}",
            "h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}",
            "figure{margin:1em 0;display:inline-block;vertical-align:top}figcaption{font-size:.9em;color:#555;max-width:640px}",
            ".row{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}",
            "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}",
            "th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}",
            "p.caption{background:#f7f7fb;border-left:4px solid #4e79a7;padding:.6em .9em}",
            "code{background:#f3f3f3;padding:0 .2em}.small{font-size:.85em;color:#666}");

    private final StringBuilder sb = new StringBuilder();

    Html(String title) {
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>").append(esc(title))
                .append("</title>\n<style>\n").append(CSS).append("\n</style>\n</head>\n<body>\n");
    }

    /** Escapes text for element content and attribute values. */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A {@code data:} URI holding PNG bytes. */
    static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    Html h1(String text) {
        sb.append("<h1>").append(esc(text)).append("</h1>\n");
        return this;
    }

    Html h2(String id, String text) {
        sb.append("<h2 id=\"").append(esc(id)).append("\">").append(esc(text)).append("</h2>\n");
        return this;
    }

    Html p(String text) {
        sb.append("<p>").append(esc(text)).append("</p>\n");
        return this;
    }

    /** A paragraph in the caption style (the measured-number summary of a section). */
    Html caption(String text) {
        sb.append("<p class=\"caption\">").append(esc(text)).append("</p>\n");
        return this;
    }

    Html small(String text) {
        sb.append("<p class=\"small\">").append(esc(text)).append("</p>\n");
        return this;
    }

    /** A bulleted list of (escaped) items. */
    Html list(List<String> items) {
        sb.append("<ul>\n");
        for (String i : items) {
            sb.append("<li>").append(esc(i)).append("</li>\n");
        }
        sb.append("</ul>\n");
        return this;
    }

    /** A list of links to anchors: {@code [id, text]} pairs. */
    Html toc(List<String[]> entries) {
        sb.append("<ul>\n");
        for (String[] e : entries) {
            sb.append("<li><a href=\"#").append(esc(e[0])).append("\">").append(esc(e[1])).append("</a></li>\n");
        }
        sb.append("</ul>\n");
        return this;
    }

    /** A table; {@code header} may be null for none. */
    Html table(List<String> header, List<List<String>> rows) {
        sb.append("<table>\n");
        if (header != null) {
            sb.append("<tr>");
            for (String h : header) {
                sb.append("<th>").append(esc(h)).append("</th>");
            }
            sb.append("</tr>\n");
        }
        for (List<String> r : rows) {
            sb.append("<tr>");
            for (String c : r) {
                sb.append("<td>").append(esc(c)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
        return this;
    }

    Html rowStart() {
        sb.append("<div class=\"row\">\n");
        return this;
    }

    Html rowEnd() {
        sb.append("</div>\n");
        return this;
    }

    /**
     * A figure.
     *
     * @param src a data URI or a relative file name
     * @param alt alternative text
     * @param caption caption text (may be empty)
     * @param width display width in CSS pixels (0: natural size)
     */
    Html figure(String src, String alt, String caption, int width) {
        sb.append("<figure><img src=\"").append(esc(src)).append("\" alt=\"").append(esc(alt)).append('"');
        if (width > 0) {
            sb.append(" style=\"max-width:").append(width).append("px;width:100%\"");
        }
        sb.append("/>");
        if (!caption.isEmpty()) {
            sb.append("<figcaption>").append(esc(caption)).append("</figcaption>");
        }
        sb.append("</figure>\n");
        return this;
    }

    /** The finished page. */
    String finish() {
        return sb + "</body>\n</html>\n";
    }
}
