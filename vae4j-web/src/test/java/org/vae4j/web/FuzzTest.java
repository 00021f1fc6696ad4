package org.vae4j.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Well over 1,000 malformed or hostile requests: every one is answered with a 4xx and a JSON {"error": ...} without
 * a stack trace, the server stays up, and valid requests still work afterwards. Loopback only, bounded loops.
 */
class FuzzTest {
    static TestServer s;

    record Req(String method, String path, String contentType, byte[] body, String why) {}

    static final List<String> POSTS = List.of("/api/decode", "/api/encode", "/api/sample", "/api/interpolate", "/api/traverse", "/api/inpaint");
    static final List<String> GETS = List.of("/", "/app.js", "/style.css", "/api", "/api/info", "/api/map", "/api/stats", "/api/record/0");
    static final Map<String, List<String>> FIELDS = Map.of(
            "/api/decode", List.of("z", "scale"),
            "/api/encode", List.of("index"),
            "/api/sample", List.of("n", "seed", "scale"),
            "/api/interpolate", List.of("from", "to", "fromIndex", "toIndex", "steps", "mode", "scale"),
            "/api/traverse", List.of("z", "index", "dims", "range", "steps", "scale"),
            "/api/inpaint", List.of("index", "mask", "method", "iterations", "scale"));
    static final List<String> HOSTILE = List.of("\"../../etc/passwd\"", "\"/etc/passwd\"", "\"file:///etc/passwd\"",
            "\"..\\\\..\\\\windows\\\\win.ini\"", "\"%2e%2e%2f%2e%2e%2fetc%2fpasswd\"", "\"/proc/self/environ\"",
            "\"C:\\\\boot.ini\"", "\"\\u0000\"", "\"<script>alert(1)</script>\"", "\"${jndi:ldap://x/a}\"");
    static final List<String> BAD_VALUES = List.of("NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e308",
            "123456789012345678901234567890", "-99999999999", "2147483648", "0.5", "-1", "1e-400", "true", "null!", "[]",
            "{}", "\"1\"", "[1,[2,[3]]]", "1.0e1000000", "0x10", "+1", ".5", "01", "1e3e3", "\"NaN\"", "[NaN]", "[Infinity]");

    @BeforeAll
    static void start() {
        s = TestServer.start(1000);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    static byte[] utf8(String t) {
        return t.getBytes(StandardCharsets.UTF_8);
    }

    static String zeros(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append('0');
        }
        return b.append(']').toString();
    }

    static List<Req> hostileRequests() {
        List<Req> rs = new ArrayList<>();
        String json = "application/json";
        // 1. malformed JSON, to every POST endpoint
        List<String> malformed = List.of("{", "}", "{\"z\":", "{\"z\":[0,0,0]", "{\"z\":[0,0,0]}}", "{\"z\":[0,0,0]} x", "[1,2,3]",
                "42", "\"text\"", "true", "null", "{'z':[0,0,0]}", "{z:[0,0,0]}", "{\"z\":[0,0,0],}", "{\"a\":1,\"a\":2}",
                "{\"z\":[0,0,0] \"scale\":1}", "\u0000", "{\"z\":[0,,0]}", "{\"z\":[0 0 0]}", "{\"z\":[NaN,0,0]}",
                "{\"z\":[Infinity,0,0]}", "{\"z\":[-Infinity,0,0]}", "{\"n\":NaN}", "{\"seed\":Infinity}",
                "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{}}}}}}}}}}",
                "{\"z\":[" + "1".repeat(200) + ",0,0]}", "{\"../../etc/passwd\":1}");
        for (String p : POSTS) {
            for (String m : malformed) {
                rs.add(new Req("POST", p, json, utf8(m), "malformed " + m));
            }
            rs.add(new Req("POST", p, json, new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'}, "invalid UTF-8"));
            rs.add(new Req("POST", p, json, new byte[] {'{', '"', 'z', '"', ':', '"', (byte) 0xc3, '"', '}'}, "truncated UTF-8 sequence"));
        }
        // 2. every field of every endpoint with bad values and path-like strings
        for (String p : POSTS) {
            for (String f : FIELDS.get(p)) {
                List<String> values = new ArrayList<>(BAD_VALUES);
                values.addAll(HOSTILE);
                for (String v : values) {
                    if (f.equals("seed") && v.matches("-?\\d{1,18}") || f.equals("range") && v.equals("0.5")) {
                        continue; // valid values for these fields
                    }
                    String body = validBody(p, f, v);
                    rs.add(new Req("POST", p, json, utf8(body), f + "=" + v));
                }
            }
            // unknown fields, path-like names
            for (String h : HOSTILE) {
                String rest = validBody(p, null, null).substring(1);
                rs.add(new Req("POST", p, json, utf8("{" + h + ":1," + rest), "unknown field " + h));
                rs.add(new Req("POST", p, json, utf8("{\"file\":" + h + "," + rest), "file field " + h));
            }
        }
        // 3. codes and masks of the wrong length or with bad entries
        for (int len : new int[] {0, 1, 2, 4, 5, 100, 5000}) {
            rs.add(new Req("POST", "/api/decode", json, utf8("{\"z\":" + zeros(len) + "}"), "z length " + len));
            rs.add(new Req("POST", "/api/traverse", json, utf8("{\"z\":" + zeros(len) + "}"), "traverse z length " + len));
            rs.add(new Req("POST", "/api/interpolate", json, utf8("{\"from\":" + zeros(len) + ",\"toIndex\":1}"), "from length " + len));
            rs.add(new Req("POST", "/api/inpaint", json, utf8("{\"index\":0,\"mask\":" + zeros(len) + "}"), "mask length " + len));
        }
        for (String e : List.of("1000.001", "-1000.5", "1001", "3.4e38", "1e39", "\"0\"", "null", "true", "[0]", "{}")) {
            rs.add(new Req("POST", "/api/decode", json, utf8("{\"z\":[0," + e + ",0]}"), "z entry " + e));
        }
        rs.add(new Req("POST", "/api/inpaint", json, utf8("{\"index\":0,\"mask\":" + zeros(256) + "}"), "empty mask"));
        rs.add(new Req("POST", "/api/inpaint", json, utf8("{\"index\":0,\"mask\":" + zeros(256).replace("0", "2") + "}"), "mask of 2s"));
        rs.add(new Req("POST", "/api/traverse", json, utf8("{\"dims\":4}"), "dims > latent"));
        rs.add(new Req("POST", "/api/traverse", json, utf8("{\"dims\":3,\"steps\":500}"), "dims x steps > 1024"));
        rs.add(new Req("POST", "/api/traverse", json, utf8("{\"z\":[0,0,0],\"index\":1}"), "z and index"));
        rs.add(new Req("POST", "/api/interpolate", json, utf8("{\"fromIndex\":0}"), "no to"));
        rs.add(new Req("POST", "/api/interpolate", json, utf8("{\"fromIndex\":0,\"from\":[0,0,0],\"toIndex\":1}"), "two froms"));
        rs.add(new Req("POST", "/api/sample", json, utf8("{\"n\":1025}"), "n too large"));
        rs.add(new Req("POST", "/api/sample", json, utf8("{\"n\":0}"), "n zero"));
        rs.add(new Req("POST", "/api/encode", json, utf8("{}"), "encode without index"));
        rs.add(new Req("POST", "/api/decode", json, utf8("{}"), "decode without z"));
        rs.add(new Req("POST", "/api/decode", json, new byte[0], "empty JSON body"));
        rs.add(new Req("POST", "/api/decode", null, new byte[0], "no body at all"));
        // 4. bad content types
        for (String p : POSTS) {
            for (String ct : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                    "application/xml", "text/html", "application/jsonx", "json", "*/*", "application/javascript")) {
                rs.add(new Req("POST", p, ct, utf8(validBody(p, null, null)), "content type " + ct));
            }
            if (!p.equals("/api/encode")) {
                rs.add(new Req("POST", p, "image/png", tinyPng(), "image to a JSON endpoint"));
            }
            rs.add(new Req("POST", p + "?file=../../etc/passwd", json, utf8(validBody(p, null, null)), "query string path"));
        }
        // 5. uploads: garbage, truncated, lying headers, too large
        byte[] png = tinyPng();
        rs.add(new Req("POST", "/api/encode", "image/png", new byte[0], "empty upload"));
        rs.add(new Req("POST", "/api/encode", "image/png", utf8("../../etc/passwd"), "path as upload"));
        rs.add(new Req("POST", "/api/encode", "image/png", Arrays.copyOf(png, 20), "truncated PNG"));
        rs.add(new Req("POST", "/api/encode", "image/jpeg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0, 1, 2}, "broken JPEG"));
        rs.add(new Req("POST", "/api/encode", "image/gif", utf8("GIF89a\u0001\u0000"), "broken GIF"));
        rs.add(new Req("POST", "/api/encode", "image/bmp", utf8("BM garbage garbage"), "broken BMP"));
        for (int[] wh : new int[][] {{100_000, 100_000}, {5000, 1}, {1, 5000}, {2049, 2049}, {0, 10}, {Integer.MAX_VALUE, 1}}) {
            rs.add(new Req("POST", "/api/encode", "image/png", pngHeader(wh[0], wh[1]), "PNG header claiming " + wh[0] + "x" + wh[1]));
        }
        rs.add(new Req("POST", "/api/encode", "image/png", new byte[6 * 1024 * 1024], "6 MB upload"));
        byte[] bigJson = utf8("{\"z\":[" + "0,".repeat(600_000) + "0]}");
        rs.add(new Req("POST", "/api/decode", json, bigJson, "1.2 MB JSON"));
        rs.add(new Req("POST", "/api/encode?invert=maybe", "image/png", png, "bad invert"));
        rs.add(new Req("POST", "/api/encode?path=/etc/passwd", "image/png", png, "upload with path query"));
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 40; i++) {
            byte[] junk = new byte[1 + r.nextInt(4096)];
            r.nextBytes(junk);
            rs.add(new Req("POST", "/api/encode", i % 2 == 0 ? "image/png" : "application/octet-stream", junk, "random bytes " + i));
            byte[] mangled = png.clone();
            for (int k = 0; k < 6; k++) {
                mangled[8 + r.nextInt(mangled.length - 8)] ^= (byte) (1 + r.nextInt(255));
            }
            // a flipped byte in the zlib stream or a CRC may still decode; force a broken IHDR length
            mangled[8 + 3] = (byte) 0x77;
            rs.add(new Req("POST", "/api/encode", "image/png", mangled, "mangled PNG " + i));
        }
        // 6. unknown routes, path traversal in URLs, wrong methods
        for (String path : List.of("/nope", "/api/nope", "/api/", "/index.html", "/static/app.js", "/etc/passwd", "/../../etc/passwd",
                "/api/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/api/record/..%2f..%2fetc%2fpasswd", "/api/record/-1",
                "/api/record/60", "/api/record/99999999999", "/api/record/1e3", "/api/record/abc", "/api/record/0?scale=0",
                "/api/record/0?scale=17", "/api/record/0?scale=x", "/api/record/0?file=/etc/passwd", "/api/record/%00",
                "/api/record/0%00.png", "/WEB-INF/web.xml", "/META-INF/MANIFEST.MF", "/org/vae4j/web/static/app.js",
                "/app.js/../../etc/passwd", "/api/info/", "/API/INFO", "/api//info", "/api/record/", "/api/record/0/1",
                "/.git/config", "/api/map?x=1", "/favicon.ico", "/%c0%ae%c0%ae/etc/passwd", "/;/etc/passwd", "/api;x=y/info")) {
            rs.add(new Req("GET", path, null, null, "GET " + path));
        }
        for (String p : POSTS) {
            for (String m : List.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE")) {
                rs.add(new Req(m, p, json, m.equals("GET") || m.equals("TRACE") || m.equals("OPTIONS") ? null : utf8(validBody(p, null, null)),
                        m + " " + p));
            }
        }
        for (String p : GETS) {
            for (String m : List.of("POST", "PUT", "DELETE", "PATCH")) {
                rs.add(new Req(m, p, "application/json", utf8("{}"), m + " " + p));
            }
        }
        for (int i = 0; i < 60; i++) {
            StringBuilder b = new StringBuilder("/");
            int len = 1 + r.nextInt(30);
            String chars = "abcdefghijklmnopqrstuvwxyz0123456789-_.~/%";
            for (int k = 0; k < len; k++) {
                b.append(chars.charAt(r.nextInt(chars.length())));
            }
            String path = b.toString().replaceAll("%(?![0-9a-fA-F]{2})", "%25");
            if (GETS.contains(path) || path.startsWith("/api/record/")) {
                continue;
            }
            rs.add(new Req(i % 2 == 0 ? "GET" : "POST", path, i % 2 == 0 ? null : json, i % 2 == 0 ? null : utf8("{}"), "random route"));
        }
        return rs;
    }

    /** A valid body for {@code path}, with {@code field} set to the raw JSON {@code value} when given. */
    static String validBody(String path, String field, String value) {
        Map<String, String> f = new java.util.LinkedHashMap<>();
        switch (path) {
            case "/api/decode" -> f.put("z", "[0.1,0.2,0.3]");
            case "/api/encode" -> f.put("index", "1");
            case "/api/sample" -> f.put("n", "2");
            case "/api/interpolate" -> {
                f.put("fromIndex", "0");
                f.put("to", "[1,1,1]");
                f.put("steps", "3");
            }
            case "/api/traverse" -> {
                f.put("index", "0");
                f.put("dims", "2");
                f.put("steps", "3");
            }
            case "/api/inpaint" -> {
                f.put("index", "0");
                f.put("mask", zeros(256).replaceFirst("0", "1"));
                f.put("iterations", "2");
            }
            default -> throw new IllegalArgumentException(path);
        }
        if (field != null) {
            if (path.equals("/api/interpolate") && (field.equals("from") || field.equals("fromIndex"))) {
                f.remove("fromIndex");
            }
            if (path.equals("/api/interpolate") && (field.equals("to") || field.equals("toIndex"))) {
                f.remove("to");
            }
            if (path.equals("/api/traverse") && field.equals("z")) {
                f.remove("index");
            }
            f.put(field, value);
        }
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, String> e : f.entrySet()) {
            b.append(b.length() == 1 ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue());
        }
        return b.append('}').toString();
    }

    static byte[] tinyPng() {
        float[] v = new float[16 * 16];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 7) / 7f;
        }
        return Png.encode(v, 0, 1, 16, 16, 1);
    }

    /** A PNG signature and an IHDR with a valid CRC claiming a size, and no image data. */
    static byte[] pngHeader(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
        byte[] chunk = new byte[17];
        System.arraycopy("IHDR".getBytes(StandardCharsets.US_ASCII), 0, chunk, 0, 4);
        java.nio.ByteBuffer.wrap(chunk, 4, 8).putInt(w).putInt(h);
        chunk[12] = 8;
        out.writeBytes(chunk);
        CRC32 c = new CRC32();
        c.update(chunk);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
        return out.toByteArray();
    }

    HttpResponse<byte[]> send(Req q) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = q.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(q.body());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.base() + q.path())).timeout(Duration.ofSeconds(60)).method(q.method(), body);
        if (q.contentType() != null) {
            b.header("Content-Type", q.contentType());
        }
        if (q.method().equals("OPTIONS")) {
            b.header("Origin", "http://evil.example").header("Access-Control-Request-Method", "POST");
        }
        return s.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void hostileRequestsGetJson4xxAndTheServerKeepsWorking() throws Exception {
        List<Req> requests = hostileRequests();
        assertThat(requests.size()).isGreaterThanOrEqualTo(1000);
        List<String> problems = new ArrayList<>();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (Req q : requests) {
            HttpResponse<byte[]> r;
            try {
                r = send(q);
            } catch (IOException e) {
                problems.add(q.why() + ": connection failed: " + e);
                continue;
            }
            statuses.merge(r.statusCode(), 1, Integer::sum);
            String text = new String(r.body(), StandardCharsets.UTF_8);
            if (r.statusCode() < 400 || r.statusCode() >= 500) {
                problems.add(q.why() + ": status " + r.statusCode() + " " + text.substring(0, Math.min(120, text.length())));
                continue;
            }
            if (!r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                problems.add(q.why() + ": content type " + r.headers().firstValue("Content-Type").orElse("none") + " " + text);
                continue;
            }
            JsonNode j = Params.MAPPER.readTree(r.body());
            if (!j.isObject() || !j.path("error").isTextual() || j.get("error").asText().isBlank()) {
                problems.add(q.why() + ": body " + text);
            } else if (text.contains("Exception") || text.contains("\\tat ") || text.contains("/etc/passwd:") || text.contains("root:")) {
                problems.add(q.why() + ": leaks " + text);
            }
            if (r.headers().firstValue("Access-Control-Allow-Origin").isPresent()) {
                problems.add(q.why() + ": CORS header");
            }
        }
        assertThat(problems).as("%d requests, statuses %s", requests.size(), statuses).isEmpty();

        // still up, and valid requests still succeed
        assertThat(s.get("/api/info").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> ok = s.postJson("/api/decode", "{\"z\":[0.1,0.2,0.3]}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/png");
        for (String p : POSTS) {
            HttpResponse<byte[]> v = s.postJson(p, validBody(p, null, null));
            assertThat(v.statusCode()).as(p + " " + new String(v.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        }
        HttpResponse<byte[]> up = s.post("/api/encode", "image/png", tinyPng());
        assertThat(up.statusCode()).isEqualTo(200);
        System.out.printf(Locale.ROOT, "fuzz: %d hostile requests, statuses %s%n", requests.size(), statuses);
    }

    @Test
    void randomMutationsOfValidBodiesNeverGive5xx() throws Exception {
        SplittableRandom r = new SplittableRandom(17);
        String alphabet = "{}[],:\"0123456789.eE+-naNIfty \\u";
        int n = 0;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String p = POSTS.get(i % POSTS.size());
            char[] body = validBody(p, null, null).toCharArray();
            int edits = 1 + r.nextInt(4);
            for (int k = 0; k < edits; k++) {
                body[r.nextInt(body.length)] = alphabet.charAt(r.nextInt(alphabet.length()));
            }
            HttpResponse<byte[]> resp = send(new Req("POST", p, "application/json", new String(body).getBytes(StandardCharsets.UTF_8), "mutation"));
            n++;
            int st = resp.statusCode();
            String text = new String(resp.body(), StandardCharsets.UTF_8);
            if (st >= 500) {
                problems.add(new String(body) + " -> " + st + " " + text);
            } else if (st >= 400 && !text.startsWith("{\"error\":")) {
                problems.add(new String(body) + " -> " + st + " not JSON: " + text);
            }
        }
        assertThat(problems).as("%d mutated requests", n).isEmpty();
        assertThat(s.get("/api/info").statusCode()).isEqualTo(200);
    }
}
