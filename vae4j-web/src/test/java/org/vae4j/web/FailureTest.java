package org.vae4j.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An unexpected failure inside the model is a 500 with a generic JSON message, and the server keeps answering. */
class FailureTest {
    @Test
    void aBrokenModelGivesJson500WithoutDetailsAndTheServerStaysUp() throws Exception {
        try (TestServer s = TestServer.start(1000)) {
            assertThat(s.postJson("/api/decode", "{\"z\":[0,0,0]}").statusCode()).isEqualTo(200);
            s.model.close(); // frees the weights: every forward pass now throws inside DJL
            HttpResponse<byte[]> r = s.postJson("/api/decode", "{\"z\":[0,0,0]}");
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(body).isEqualTo("{\"error\":\"internal error\"}");
            HttpResponse<byte[]> sample = s.postJson("/api/sample", "{\"n\":2}");
            assertThat(sample.statusCode()).isEqualTo(500);
            assertThat(new String(sample.body(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"internal error\"}");
            // validation still comes first, and everything that does not need the model still works
            assertThat(s.postJson("/api/decode", "{\"z\":[0,0]}").statusCode()).isEqualTo(400);
            assertThat(s.get("/api/info").statusCode()).isEqualTo(200);
            assertThat(s.get("/api/record/0").statusCode()).isEqualTo(200);
        }
    }
}
