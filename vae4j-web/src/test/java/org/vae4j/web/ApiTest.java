package org.vae4j.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JSON API on a tiny model: every endpoint answers with the documented shapes. */
class ApiTest {
    static TestServer s;

    @BeforeAll
    static void start() {
        s = TestServer.start(2000);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return Params.MAPPER.readTree(r.body());
    }

    static BufferedImage png(byte[] b) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(b));
    }

    @Test
    void pagesAndInfo() throws Exception {
        assertThat(s.get("/").statusCode()).isEqualTo(200);
        assertThat(s.get("/api").body()).contains("/api/decode");
        HttpResponse<byte[]> info = s.getBytes("/api/info");
        JsonNode j = json(info);
        assertThat(j.get("latent").asInt()).isEqualTo(3);
        assertThat(j.get("scores").size()).isEqualTo(3);
        assertThat(j.get("measure").asText()).isEqualTo("KL");
        assertThat(j.get("order").size()).isEqualTo(3);
        assertThat(j.get("config").get("latent").asInt()).isEqualTo(3);
        assertThat(j.get("provenance").get("dataSpec").asText()).isEqualTo(TestServer.DATA);
        assertThat(j.get("metrics").has("test_neg_elbo")).isTrue();
        assertThat(j.get("data").get("records").asInt()).isEqualTo(60);
        assertThat(info.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void decodeGivesAPngOfTheModelsSizeThatMatchesTheModel() throws Exception {
        HttpResponse<byte[]> r = s.postJson("/api/decode", "{\"z\":[0.5,-1,2]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/png");
        BufferedImage img = png(r.body());
        assertThat(img.getWidth()).isEqualTo(16);
        float[] want = s.model.decode(new float[] {0.5f, -1f, 2f}, 1);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int g = img.getRaster().getSample(x, y, 0); // not getRGB: that applies a grey-to-sRGB gamma
                assertThat(g).isCloseTo(Math.round(want[y * 16 + x] * 255), org.assertj.core.data.Offset.offset(1));
            }
        }
        BufferedImage big = png(s.postJson("/api/decode", "{\"z\":[0,0,0],\"scale\":4}").body());
        assertThat(big.getWidth()).isEqualTo(64);
    }

    @Test
    void encodeByIndexAndByUpload() throws Exception {
        JsonNode e = json(s.postJson("/api/encode", "{\"index\":3}"));
        assertThat(e.get("mu").size()).isEqualTo(3);
        assertThat(e.get("logvar").size()).isEqualTo(3);
        byte[] image = Base64.getDecoder().decode(e.get("image").asText());
        assertThat(png(image).getWidth()).isEqualTo(16);
        HttpResponse<byte[]> up = s.post("/api/encode", "image/png", image);
        assertThat(up.statusCode()).as(new String(up.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode u = json(up);
        // the record's own PNG (exact grey levels of binary-ish shapes) encodes to nearly the same code
        for (int i = 0; i < 3; i++) {
            assertThat(u.get("mu").get(i).asDouble()).isCloseTo(e.get("mu").get(i).asDouble(), org.assertj.core.data.Offset.offset(0.05));
        }
    }

    @Test
    void sampleInterpolateTraverseInpaintMapRecord() throws Exception {
        JsonNode smp = json(s.postJson("/api/sample", "{\"n\":5,\"seed\":7}"));
        assertThat(smp.get("images").size()).isEqualTo(5);
        assertThat(smp.get("codes").get(0).size()).isEqualTo(3);
        JsonNode again = json(s.postJson("/api/sample", "{\"n\":5,\"seed\":7}"));
        assertThat(again.get("images")).isEqualTo(smp.get("images"));

        JsonNode in = json(s.postJson("/api/interpolate", "{\"fromIndex\":0,\"to\":[1,1,1],\"steps\":4,\"mode\":\"linear\"}"));
        assertThat(in.get("images").size()).isEqualTo(4);
        assertThat(in.get("codes").get(3).get(0).asDouble()).isEqualTo(1.0);

        JsonNode tr = json(s.postJson("/api/traverse", "{\"index\":2,\"dims\":2,\"steps\":5}"));
        assertThat(tr.get("rows").size()).isEqualTo(2);
        assertThat(tr.get("rows").get(0).get("images").size()).isEqualTo(5);
        assertThat(tr.get("rows").get(0).get("score").asDouble()).isGreaterThanOrEqualTo(tr.get("rows").get(1).get("score").asDouble());

        StringBuilder mask = new StringBuilder("[");
        for (int i = 0; i < 256; i++) {
            mask.append(i == 0 ? "" : ",").append(i >= 128 ? 1 : 0);
        }
        mask.append(']');
        HttpResponse<byte[]> ip = s.postJson("/api/inpaint", "{\"index\":1,\"mask\":" + mask + ",\"iterations\":5}");
        assertThat(ip.statusCode()).as(new String(ip.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode inp = json(ip);
        assertThat(inp.get("missing").asInt()).isEqualTo(128);
        assertThat(png(Base64.getDecoder().decode(inp.get("filled").asText())).getHeight()).isEqualTo(16);

        JsonNode map = json(s.getBytes("/api/map"));
        assertThat(map.get("x").size()).isEqualTo(60);
        assertThat(map.get("pca").asBoolean()).isTrue();

        HttpResponse<byte[]> rec = s.getBytes("/api/record/5?scale=2");
        assertThat(png(rec.body()).getWidth()).isEqualTo(32);
        JsonNode st = json(s.getBytes("/api/stats"));
        assertThat(st.get("forwardPasses").asLong()).isPositive();
    }

    @Test
    void badRequestsAreJson4xx() throws Exception {
        HttpResponse<byte[]> r = s.postJson("/api/decode", "{\"z\":[1,2]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).contains("3 values");
        assertThat(s.get("/nope").statusCode()).isEqualTo(404);
        assertThat(s.get("/api/decode").statusCode()).isEqualTo(405);
        assertThat(s.post("/api/decode", "text/plain", "{}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(415);
        assertThat(s.postJson("/api/encode", "{\"index\":60}").statusCode()).isEqualTo(400);
    }
}
