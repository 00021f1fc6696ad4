package org.vae4j.web;

/** Text from requests made safe to echo in messages: printable, one line, short. */
final class Safe {
    private static final int MAX = 60;

    private Safe() {}

    static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX + 3));
        for (int i = 0; i < s.length() && b.length() < MAX; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c) ? '?' : c);
        }
        if (s.length() > MAX) {
            b.append("...");
        }
        return b.toString();
    }
}
