package org.vae4j.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vae4j.web.ApiTest.json;
import static org.vae4j.web.ApiTest.png;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JSON API asks the model what it can do: a conditional VAE takes a label wherever it decodes (a record's own by
 * default), a VAE refuses one, and a model that cannot encode has its encoding panels listed as unavailable, with the
 * reason its endpoints answer.
 */
class ConditionalApiTest {
    static TestServer cvae;
    static TestServer vae;
    static TestServer decoderOnly;
    static int[] labels;

    @BeforeAll
    static void start() {
        cvae = TestServer.startConditional();
        vae = TestServer.start(2000);
        decoderOnly = TestServer.startDecoderOnly();
        labels = TestServer.data().test().labels();
    }

    @AfterAll
    static void stop() {
        for (TestServer s : new TestServer[] {cvae, vae, decoderOnly}) {
            if (s != null) {
                s.close();
            }
        }
    }

    static String error(HttpResponse<byte[]> r) throws Exception {
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(400);
        return json(r).get("error").asText();
    }

    static JsonNode ok(TestServer s, String path, String body) throws Exception {
        HttpResponse<byte[]> r = s.postJson(path, body);
        assertThat(r.statusCode()).as(path + " " + body + ": " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return json(r);
    }

    /** The first test record after {@code i} with the same label ({@code same}) or another one. */
    static int next(int i, boolean same) {
        for (int j = i + 1; j < labels.length; j++) {
            if ((labels[j] == labels[i]) == same) {
                return j;
            }
        }
        throw new AssertionError("no such record");
    }

    @Test
    void infoListsCapabilitiesClassesAndNoUnavailablePanels() throws Exception {
        JsonNode c = json(cvae.getBytes("/api/info"));
        assertThat(c.get("conditional").asBoolean()).isTrue();
        assertThat(c.get("classes").asInt()).isEqualTo(3);
        assertThat(c.get("labelNames").toString()).isEqualTo("[\"square\",\"ellipse\",\"heart\"]");
        assertThat(c.get("capabilities").toString()).isEqualTo(
                "[\"encodes\",\"posterior\",\"decodes\",\"samples\",\"conditional\",\"importance-weighted\"]");
        assertThat(c.get("unavailable").size()).isZero();
        assertThat(c.get("scores").size()).isEqualTo(3);
        JsonNode v = json(vae.getBytes("/api/info"));
        assertThat(v.get("conditional").asBoolean()).isFalse();
        assertThat(v.has("classes")).isFalse();
        assertThat(v.get("capabilities").toString()).doesNotContain("conditional");
    }

    @Test
    void decodeAndSampleNeedALabelAndTheLabelIsTheDecodersCondition() throws Exception {
        assertThat(error(cvae.postJson("/api/decode", "{\"z\":[0.5,-1,0]}")))
                .isEqualTo("decode: 'label' is required: a 'cvae' model is conditional (labels 0..2)");
        assertThat(error(cvae.postJson("/api/decode", "{\"z\":[0.5,-1,0],\"label\":3}"))).isEqualTo("'label' must be in 0..2, got 3");
        float[] z = {0.5f, -1f, 0f};
        BufferedImage[] img = new BufferedImage[3];
        for (int k = 0; k < 3; k++) {
            HttpResponse<byte[]> r = cvae.postJson("/api/decode", "{\"z\":[0.5,-1,0],\"label\":" + k + "}");
            assertThat(r.statusCode()).isEqualTo(200);
            img[k] = png(r.body());
            float[] want = cvae.model.decode(z, 1, new int[] {k});
            for (int p = 0; p < 256; p += 17) {
                assertThat(img[k].getRaster().getSample(p % 16, p / 16, 0)).isCloseTo(Math.round(want[p] * 255), Offset.offset(1));
            }
        }
        assertThat(differs(img[0], img[2])).isTrue();

        assertThat(error(cvae.postJson("/api/sample", "{\"n\":4,\"seed\":3}"))).startsWith("sample: 'label' is required");
        JsonNode s1 = ok(cvae, "/api/sample", "{\"n\":4,\"seed\":3,\"label\":1}");
        JsonNode s2 = ok(cvae, "/api/sample", "{\"n\":4,\"seed\":3,\"label\":2}");
        assertThat(s1.get("label").asInt()).isEqualTo(1);
        assertThat(s1.get("codes")).isEqualTo(s2.get("codes"));
        assertThat(s1.get("images")).isNotEqualTo(s2.get("images"));
    }

    @Test
    void requestsFromATestRecordDefaultToItsOwnLabel() throws Exception {
        JsonNode own = ok(cvae, "/api/encode", "{\"index\":4}");
        assertThat(own.get("condition").asInt()).isEqualTo(labels[4]);
        assertThat(own.get("label").asInt()).isEqualTo(labels[4]);
        int other = (labels[4] + 1) % 3;
        JsonNode given = ok(cvae, "/api/encode", "{\"index\":4,\"label\":" + other + "}");
        assertThat(given.get("condition").asInt()).isEqualTo(other);
        assertThat(given.get("label").asInt()).isEqualTo(labels[4]);
        assertThat(given.get("mu")).isNotEqualTo(own.get("mu"));

        JsonNode tr = ok(cvae, "/api/traverse", "{\"index\":4,\"dims\":2,\"steps\":3}");
        assertThat(tr.get("label").asInt()).isEqualTo(labels[4]);
        assertThat(error(cvae.postJson("/api/traverse", "{\"z\":[0,0,0],\"dims\":2,\"steps\":3}"))).startsWith("traverse: 'label' is required");
        JsonNode tz = ok(cvae, "/api/traverse", "{\"z\":[0,0,0],\"dims\":2,\"steps\":3,\"label\":0}");
        assertThat(tz.get("rows").get(0).get("images").size()).isEqualTo(3);

        StringBuilder mask = new StringBuilder("[");
        for (int i = 0; i < 256; i++) {
            mask.append(i == 0 ? "" : ",").append(i >= 128 ? 1 : 0);
        }
        mask.append(']');
        JsonNode ip = ok(cvae, "/api/inpaint", "{\"index\":4,\"mask\":" + mask + ",\"iterations\":3}");
        assertThat(ip.get("label").asInt()).isEqualTo(labels[4]);
        JsonNode map = json(cvae.getBytes("/api/map"));
        assertThat(map.get("n").asInt()).isEqualTo(60);
    }

    @Test
    void interpolationRunsWithinOneClass() throws Exception {
        int same = next(0, true);
        int other = next(0, false);
        JsonNode in = ok(cvae, "/api/interpolate", "{\"fromIndex\":0,\"toIndex\":" + same + ",\"steps\":4}");
        assertThat(in.get("label").asInt()).isEqualTo(labels[0]);
        // the endpoints are the records' codes given that label
        float[] x0 = TestServer.data().test().record(0);
        float[] mu0 = cvae.model.encode(org.vae4j.train.Inputs.forEvaluation(x0, cvae.model.config().transform()), 1,
                new int[] {labels[0]}).mu();
        for (int j = 0; j < 3; j++) {
            assertThat(in.get("codes").get(0).get(j).floatValue()).isCloseTo(mu0[j], Offset.offset(1e-6f));
        }
        assertThat(error(cvae.postJson("/api/interpolate", "{\"fromIndex\":0,\"toIndex\":" + other + "}")))
                .startsWith("interpolate: 'label' is required");
        JsonNode mixed = ok(cvae, "/api/interpolate", "{\"fromIndex\":0,\"toIndex\":" + other + ",\"steps\":4,\"label\":2}");
        assertThat(mixed.get("label").asInt()).isEqualTo(2);
        assertThat(mixed.get("images").size()).isEqualTo(4);
    }

    @Test
    void aModelThatTakesNoLabelRefusesOne() throws Exception {
        String refused = "'label': a 'vae' model cannot condition on a label";
        assertThat(error(vae.postJson("/api/decode", "{\"z\":[0,0,0],\"label\":0}"))).isEqualTo(refused);
        assertThat(error(vae.postJson("/api/sample", "{\"n\":2,\"label\":1}"))).isEqualTo(refused);
        assertThat(error(vae.postJson("/api/encode", "{\"index\":1,\"label\":1}"))).isEqualTo(refused);
        assertThat(error(vae.postJson("/api/interpolate", "{\"fromIndex\":0,\"toIndex\":1,\"label\":1}"))).isEqualTo(refused);
        assertThat(error(vae.postJson("/api/traverse", "{\"index\":0,\"label\":1}"))).isEqualTo(refused);
        HttpResponse<byte[]> up = vae.post("/api/encode?label=1", "image/png",
                Base64.getDecoder().decode(json(vae.postJson("/api/encode", "{\"index\":3}")).get("image").asText()));
        assertThat(error(up)).isEqualTo(refused);
    }

    @Test
    void panelsAModelCannotServeAreListedWithTheReasonTheirEndpointsGive() throws Exception {
        JsonNode info = json(decoderOnly.getBytes("/api/info"));
        assertThat(info.get("capabilities").toString()).isEqualTo("[\"decodes\",\"samples\"]");
        JsonNode un = info.get("unavailable");
        List<String> panels = new java.util.ArrayList<>();
        un.fieldNames().forEachRemaining(panels::add);
        assertThat(panels).containsExactly("encode", "map", "interpolate", "inpaint");
        assertThat(un.get("encode").asText()).isEqualTo("encoding records: a 'test-decoder-only' model cannot encode records");
        assertThat(un.get("map").asText()).isEqualTo("latent map: a 'test-decoder-only' model cannot encode records");
        assertThat(info.get("scores").isNull()).isTrue();
        assertThat(info.get("data").get("map").asBoolean()).isFalse();

        assertThat(error(decoderOnly.postJson("/api/encode", "{\"index\":0}"))).isEqualTo(un.get("encode").asText());
        assertThat(error(decoderOnly.getBytes("/api/map"))).isEqualTo(un.get("map").asText());
        assertThat(error(decoderOnly.postJson("/api/interpolate", "{\"fromIndex\":0,\"toIndex\":1}"))).isEqualTo(un.get("interpolate").asText());
        assertThat(error(decoderOnly.postJson("/api/traverse", "{\"index\":0}"))).isEqualTo(un.get("encode").asText());
        // what it can do still works
        assertThat(decoderOnly.postJson("/api/decode", "{\"z\":[0,0,0]}").statusCode()).isEqualTo(200);
        assertThat(ok(decoderOnly, "/api/sample", "{\"n\":3}").get("images").size()).isEqualTo(3);
        assertThat(ok(decoderOnly, "/api/interpolate", "{\"from\":[0,0,0],\"to\":[1,1,1],\"steps\":3}").get("images").size()).isEqualTo(3);
        assertThat(ok(decoderOnly, "/api/traverse", "{\"z\":[0,0,0],\"dims\":2,\"steps\":3}").get("rows").size()).isEqualTo(2);
    }

    static boolean differs(BufferedImage a, BufferedImage b) {
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRaster().getSample(x, y, 0) != b.getRaster().getSample(x, y, 0)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void samplesComeFromTheFittedSamplerByDefaultAndFromThePriorWhenAsked() throws Exception {
        TestServer g = TestServer.startConditionalWithSampler();
        try {
            JsonNode info = json(g.getBytes("/api/info"));
            assertThat(info.get("samplers").toString()).isEqualTo("[\"gmm:3\",\"prior\"]");
            JsonNode fitted = ok(g, "/api/sample", "{\"n\":4,\"seed\":3,\"label\":1}");
            assertThat(fitted.get("sampler").asText()).isEqualTo("gmm:3");
            JsonNode prior = ok(g, "/api/sample", "{\"n\":4,\"seed\":3,\"label\":1,\"sampler\":\"prior\"}");
            assertThat(prior.get("sampler").asText()).isEqualTo("prior");
            // the prior's codes are the model's own prior codes of the seed; the fitted sampler's are other codes
            float[] want = g.model.priorCodes(4, 3);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < g.model.latent(); j++) {
                    assertThat((float) prior.get("codes").get(i).get(j).asDouble()).isEqualTo(want[i * g.model.latent() + j]);
                }
            }
            assertThat(fitted.get("codes").toString()).isNotEqualTo(prior.get("codes").toString());
            assertThat(error(g.postJson("/api/sample", "{\"n\":4,\"label\":1,\"sampler\":\"gmm:9\"}")))
                    .contains("'sampler' must be one of gmm:3, prior");
            // a server without a fitted sampler offers the prior only
            assertThat(json(vae.getBytes("/api/info")).get("samplers").toString()).isEqualTo("[\"prior\"]");
        } finally {
            g.close();
        }
    }
}
