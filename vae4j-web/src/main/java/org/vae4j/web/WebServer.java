package org.vae4j.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.util.JavalinBindException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.vae4j.latent.Inpainting;
import org.vae4j.latent.Interpolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the latent explorer: the page (HTML, CSS and JS from the jar), the JSON API and its
 * documentation at {@code /api}. Every answer to a bad request is a 4xx with {@code {"error": "..."}}; unexpected
 * failures are a 500 with a generic message (details go to the server log, never to the client). No request names a
 * file: records are addressed by index, images are uploaded as request bodies.
 */
public final class WebServer implements AutoCloseable {
    /** Largest image upload. */
    public static final int MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
    /** Largest JSON body. */
    public static final int MAX_JSON_BYTES = 1024 * 1024;
    /** Loopback address, the default. */
    public static final String LOOPBACK = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final String STATIC = "/org/vae4j/web/static/";
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html",
            "/app.js", "app.js",
            "/style.css", "style.css",
            "/api", "api.html");
    private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/bmp", "application/octet-stream");
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    /** Thrown when the port cannot be bound. */
    public static final class PortInUseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortInUseException(String m, Throwable cause) {
            super(m, cause);
        }
    }

    private final Explorer explorer;
    private final Javalin app;
    private final boolean loopbackOnly;
    private final Map<String, byte[]> pages = new java.util.HashMap<>();

    private WebServer(Explorer explorer, String host) {
        this.explorer = explorer;
        this.loopbackOnly = isLoopback(host);
        for (Map.Entry<String, String> e : PAGES.entrySet()) {
            pages.put(e.getKey(), resource(e.getValue()));
        }
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = MAX_UPLOAD_BYTES;
            config.http.generateEtags = false;
            config.http.disableCompression();
            config.router.ignoreTrailingSlashes = false;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new JsonErrorHandler()));
            config.jetty.modifyHttpConfiguration(h -> {
                h.setSendServerVersion(false);
                h.setSendXPoweredBy(false);
                h.setRequestHeaderSize(16 * 1024);
            });
        });
        routes();
    }

    /**
     * Starts a server.
     *
     * @param explorer what the server serves
     * @param host address to bind ({@value #LOOPBACK} for this machine only)
     * @param port port, 0 for any free one
     * @return the running server
     * @throws PortInUseException when the port is taken
     */
    public static WebServer start(Explorer explorer, String host, int port) {
        WebServer s = new WebServer(explorer, host);
        try {
            s.app.start(host, port);
        } catch (JavalinBindException e) {
            s.app.stop();
            throw new PortInUseException("port " + port + " on " + host + " is already in use", e);
        } catch (RuntimeException e) {
            s.app.stop();
            if (hasCause(e, BindException.class)) {
                throw new PortInUseException("port " + port + " on " + host + " is already in use", e);
            }
            throw e;
        }
        return s;
    }

    private static boolean hasCause(Throwable t, Class<?> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** The bound port. */
    public int port() {
        return app.port();
    }

    /** The explorer behind the server. */
    public Explorer explorer() {
        return explorer;
    }

    /** Stops accepting requests and stops the server (the explorer and model stay open). */
    @Override
    public void close() {
        app.stop();
    }

    // ---------------------------------------------------------------------------------------------- routes

    @FunctionalInterface
    private interface Route {
        void handle(Context ctx) throws Exception;
    }

    private void routes() {
        app.before(this::guard);
        for (String path : PAGES.keySet()) {
            app.get(path, wrap(ctx -> page(ctx, path)));
        }
        app.get("/api/info", wrap(ctx -> json(noQuery(ctx), explorer.info())));
        app.get("/api/map", wrap(ctx -> json(noQuery(ctx), explorer.map())));
        app.get("/api/stats", wrap(ctx -> json(noQuery(ctx), explorer.stats())));
        app.get("/api/record/{index}", wrap(this::record));
        app.post("/api/decode", wrap(this::decode));
        app.post("/api/encode", wrap(this::encode));
        app.post("/api/sample", wrap(this::sample));
        app.post("/api/interpolate", wrap(this::interpolate));
        app.post("/api/traverse", wrap(this::traverse));
        app.post("/api/inpaint", wrap(this::inpaint));

        app.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            String msg;
            if (status == 404) {
                msg = "no such endpoint: " + Safe.text(ctx.method().name()) + " " + Safe.text(ctx.path()) + " (see /api)";
            } else if (status == 405) {
                msg = "method " + Safe.text(ctx.method().name()) + " is not allowed on " + Safe.text(ctx.path()) + " (see /api)";
            } else {
                msg = Safe.text(e.getMessage());
            }
            error(ctx, status, msg);
        });
        app.exception(BadRequest.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.warn("{} {} failed", ctx.method(), Safe.text(ctx.path()), e);
            error(ctx, 500, "internal error");
        });
        app.error(404, ctx -> {
            if (!isJson(ctx)) {
                error(ctx, 404, "no such endpoint: " + Safe.text(ctx.method().name()) + " " + Safe.text(ctx.path()) + " (see /api)");
            }
        });
        app.error(405, ctx -> {
            if (!isJson(ctx)) {
                error(ctx, 405, "method " + Safe.text(ctx.method().name()) + " is not allowed on " + Safe.text(ctx.path()));
            }
        });
    }

    private static boolean isJson(Context ctx) {
        String t = ctx.res().getContentType();
        return t != null && t.startsWith("application/json");
    }

    /** Every handler: BadRequest → its status, anything else → 500 without details. */
    private static io.javalin.http.Handler wrap(Route r) {
        return ctx -> {
            try {
                r.handle(ctx);
            } catch (BadRequest | HttpResponseException e) {
                throw e;
            } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                LOG.warn("{} {} failed", ctx.method(), Safe.text(ctx.path()), e);
                error(ctx, 500, "internal error");
            }
        };
    }

    /** Headers for every answer, and the Host check that keeps other web sites out (DNS rebinding). */
    private void guard(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        if (loopbackOnly && !loopbackHost(ctx.header("Host"))) {
            throw new BadRequest(403, "this server only answers requests addressed to 127.0.0.1 or localhost");
        }
    }

    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end < 0 ? h : h.substring(0, end + 1);
        } else {
            int colon = h.lastIndexOf(':');
            h = colon < 0 ? h : h.substring(0, colon);
        }
        return h.equals("127.0.0.1") || h.equals("localhost") || h.equals("[::1]");
    }

    static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost") || host.equals("::1") || host.equals("[::1]");
    }

    private void page(Context ctx, String path) {
        String name = PAGES.get(path);
        String type = name.endsWith(".js") ? "text/javascript; charset=utf-8"
                : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
        ctx.header("Content-Security-Policy", CSP);
        byte[] body = pages.get(path);
        if (name.equals("api.html")) {
            body = apiPage(new String(body, StandardCharsets.UTF_8), ctx.header("Host"), port(), explorer.latent())
                    .getBytes(StandardCharsets.UTF_8);
        }
        ctx.contentType(type).result(body);
    }

    /** A Host header that is safe to print into a page: a name or address and an optional port, nothing else. */
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile(
            "([A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}\\])(:[0-9]{1,5})?");

    /**
     * The API page with its examples addressed to this server (the address the browser used, else 127.0.0.1 and the
     * bound port) and a code of the model's own length.
     *
     * @param template the page with {@code {{ADDRESS}}} and {@code {{ZEROS}}}
     * @param host the request's Host header (may be null or anything)
     * @param port the bound port
     * @param latent the model's latent size
     */
    static String apiPage(String template, String host, int port, int latent) {
        String address = host != null && HOST.matcher(host.trim()).matches() ? host.trim() : LOOPBACK + ":" + port;
        StringBuilder zeros = new StringBuilder("[");
        for (int i = 0; i < latent; i++) {
            zeros.append(i == 0 ? "0" : ",0");
        }
        return template.replace("{{ADDRESS}}", address).replace("{{ZEROS}}", zeros.append(']').toString());
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebServer.class.getResourceAsStream(STATIC + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + STATIC + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void record(Context ctx) {
        String s = ctx.pathParam("index");
        int index;
        try {
            index = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new BadRequest("record index must be a whole number, got '" + Safe.text(s) + "'");
        }
        int scale = queryInt(ctx, "scale", 1, 16, 1);
        ctx.contentType("image/png").result(explorer.recordPng(index, scale));
    }

    private void decode(Context ctx) {
        Params p = jsonBody(ctx, Set.of("z", "scale", "label"));
        float[] z = p.code("z", explorer.latent());
        int scale = p.integer("scale", 1, 16, 1);
        ctx.contentType("image/png").result(explorer.decode(z, label(p), scale));
    }

    private void encode(Context ctx) {
        String type = mediaType(ctx);
        if (IMAGE_TYPES.contains(type)) {
            for (String q : ctx.queryParamMap().keySet()) {
                if (!q.equals("invert") && !q.equals("label")) {
                    throw new BadRequest("unknown query parameter '" + Safe.text(q) + "'; an upload takes only ?invert=true|false and ?label=K");
                }
            }
            Integer label = null;
            String l = ctx.queryParam("label");
            if (l != null) {
                try {
                    label = Integer.parseInt(l);
                } catch (NumberFormatException e) {
                    throw new BadRequest("'label' must be a whole number, got '" + Safe.text(l) + "'");
                }
            }
            String inv = ctx.queryParam("invert");
            boolean invert;
            if (inv == null || inv.equals("false")) {
                invert = false;
            } else if (inv.equals("true")) {
                invert = true;
            } else {
                throw new BadRequest("'invert' must be true or false, got '" + Safe.text(inv) + "'");
            }
            byte[] body = body(ctx, MAX_UPLOAD_BYTES);
            json(ctx, explorer.encodeUpload(body, invert, label));
            return;
        }
        Params p = jsonBody(ctx, Set.of("index", "label"));
        json(ctx, explorer.encodeIndex(p.integer("index", 0, Integer.MAX_VALUE, null), label(p)));
    }

    private void sample(Context ctx) {
        Params p = jsonBody(ctx, Set.of("n", "seed", "scale", "label", "sampler"));
        int n = p.integer("n", 1, Params.MAX_COUNT, 16);
        long seed = p.longInteger("seed", new java.util.SplittableRandom().nextLong() >>> 11);
        int scale = p.integer("scale", 1, 16, 1);
        String sampler = p.has("sampler") ? p.choice("sampler", Set.copyOf(explorer.samplers()), null) : null;
        json(ctx, explorer.sample(n, seed, label(p), scale, sampler));
    }

    private void interpolate(Context ctx) {
        Params p = jsonBody(ctx, Set.of("from", "to", "fromIndex", "toIndex", "steps", "mode", "scale", "label"));
        checkEndpoint(p, "from", "fromIndex");
        checkEndpoint(p, "to", "toIndex");
        float[] a = p.has("from") ? p.code("from", explorer.latent()) : null;
        Integer ia = p.has("fromIndex") ? p.integer("fromIndex", 0, Integer.MAX_VALUE, null) : null;
        float[] b = p.has("to") ? p.code("to", explorer.latent()) : null;
        Integer ib = p.has("toIndex") ? p.integer("toIndex", 0, Integer.MAX_VALUE, null) : null;
        int steps = p.integer("steps", 2, Params.MAX_COUNT, 10);
        Interpolation.Mode mode = Interpolation.Mode.parse(p.choice("mode", Set.of("linear", "lerp", "slerp"), "slerp"));
        int scale = p.integer("scale", 1, 16, 1);
        json(ctx, explorer.interpolate(a, ia, b, ib, steps, mode, label(p), scale));
    }

    private static void checkEndpoint(Params p, String codeField, String indexField) {
        if (p.has(codeField) == p.has(indexField)) {
            throw new BadRequest("give exactly one of '" + codeField + "' (a code) and '" + indexField + "' (a record index)");
        }
    }

    /** The optional {@code label} field: a class of a conditional model (the explorer checks it against the model). */
    private static Integer label(Params p) {
        return p.has("label") ? p.integer("label", 0, Integer.MAX_VALUE, null) : null;
    }

    private void traverse(Context ctx) {
        Params p = jsonBody(ctx, Set.of("z", "index", "dims", "range", "steps", "scale", "label"));
        if (p.has("z") && p.has("index")) {
            throw new BadRequest("give at most one of 'z' and 'index'");
        }
        float[] base = p.has("z") ? p.code("z", explorer.latent()) : null;
        Integer index = p.has("index") ? p.integer("index", 0, Integer.MAX_VALUE, null) : null;
        int dims = p.integer("dims", 1, Params.MAX_COUNT, Math.min(8, explorer.latent()));
        double range = p.number("range", 1e-3, Params.MAX_ABS, 3);
        int steps = p.integer("steps", 2, Params.MAX_COUNT, 9);
        int scale = p.integer("scale", 1, 16, 1);
        json(ctx, explorer.traverse(base, index, dims, range, steps, label(p), scale));
    }

    private void inpaint(Context ctx) {
        Params p = jsonBody(ctx, Set.of("index", "mask", "method", "iterations", "scale", "label"));
        int index = p.integer("index", 0, Integer.MAX_VALUE, null);
        explorer.checkIndex(index);
        int[] hw = explorer.imageSize();
        boolean[] mask = p.flags("mask", hw[0] * hw[1]);
        Inpainting.Method method = Inpainting.Method.parse(p.choice("method", Set.of("iterative", "optimize"), "optimize"));
        int its = p.integer("iterations", 1, Params.MAX_COUNT, Math.min(method.defaultIterations(), Params.MAX_COUNT));
        int scale = p.integer("scale", 1, 16, 1);
        json(ctx, explorer.inpaint(index, mask, method, its, label(p), scale));
    }

    // ---------------------------------------------------------------------------------------------- plumbing

    private static String mediaType(Context ctx) {
        String t = ctx.req().getContentType();
        if (t == null) {
            return "";
        }
        int semi = t.indexOf(';');
        return (semi < 0 ? t : t.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** The body as a JSON object with only {@code fields}; 415 unless it is declared as JSON (an empty body is {}). */
    private static Params jsonBody(Context ctx, Set<String> fields) {
        if (!ctx.queryParamMap().isEmpty()) {
            throw new BadRequest("this endpoint takes its parameters as a JSON body, not in the query string");
        }
        String type = mediaType(ctx);
        byte[] body = body(ctx, MAX_JSON_BYTES);
        if (!type.equals("application/json") && !(type.isEmpty() && body.length == 0)) {
            throw new BadRequest(415, "send a JSON body with Content-Type: application/json"
                    + (type.isEmpty() ? "" : ", not " + Safe.text(type)));
        }
        return Params.parse(body, fields);
    }

    /** Reads at most {@code limit} bytes of the body; 413 when there are more. */
    static byte[] body(Context ctx, int limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw new BadRequest(413, "the body is " + declared + " bytes; at most " + limit + " are accepted");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = in.readNBytes(limit + 1);
            if (b.length > limit) {
                throw new BadRequest(413, "the body is larger than " + limit + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw new BadRequest("could not read the request body");
        }
    }

    private static Context noQuery(Context ctx) {
        if (!ctx.queryParamMap().isEmpty()) {
            throw new BadRequest("this endpoint takes no query parameters");
        }
        return ctx;
    }

    private static int queryInt(Context ctx, String name, int min, int max, int dflt) {
        for (String q : ctx.queryParamMap().keySet()) {
            if (!q.equals(name)) {
                throw new BadRequest("unknown query parameter '" + Safe.text(q) + "'");
            }
        }
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        int i;
        try {
            i = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadRequest("'" + name + "' must be a whole number, got '" + Safe.text(v) + "'");
        }
        if (i < min || i > max) {
            throw new BadRequest("'" + name + "' must be in " + min + ".." + max + ", got " + i);
        }
        return i;
    }

    private static void json(Context ctx, byte[] body) {
        ctx.contentType("application/json").result(body);
    }

    private static void json(Context ctx, ObjectNode body) {
        json(ctx, Explorer.bytes(body));
    }

    static void error(Context ctx, int status, String message) {
        ObjectNode o = Params.MAPPER.createObjectNode();
        o.put("error", message == null ? "error" : message);
        ctx.status(status);
        json(ctx, o);
    }

    static byte[] errorBytes(String message) {
        ObjectNode o = Params.MAPPER.createObjectNode();
        o.put("error", message);
        return Explorer.bytes(o);
    }

    /** Jetty's own error answers (malformed HTTP, bad URIs, oversized headers) as JSON too. */
    static final class JsonErrorHandler extends ErrorHandler {
        JsonErrorHandler() {
            setShowStacks(false);
            setShowServlet(false);
        }

        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                int code, String message) throws IOException {
            baseRequest.setHandled(true);
            response.setContentType("application/json");
            response.setCharacterEncoding("utf-8");
            String m = code == 404 ? "not found" : message == null ? "error " + code : Safe.text(message);
            try (Writer w = response.getWriter()) {
                w.write(new String(errorBytes(m), StandardCharsets.UTF_8));
            }
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            return ByteBuffer.wrap(errorBytes("bad request: " + Safe.text(reason == null ? "malformed HTTP" : reason)));
        }
    }
}
