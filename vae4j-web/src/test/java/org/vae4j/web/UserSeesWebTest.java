package org.vae4j.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The explorer's API page and model card as a user reads them (issue 15). */
class UserSeesWebTest {
    static final String TEMPLATE = "curl -s {{ADDRESS}}/api/info\ncurl -d '{\"z\":{{ZEROS}}}' {{ADDRESS}}/api/decode\n";

    @Test
    void theApiExamplesUseTheAddressTheBrowserUsed() {
        assertThat(WebServer.apiPage(TEMPLATE, "127.0.0.1:8123", 8123, 3))
                .isEqualTo("curl -s 127.0.0.1:8123/api/info\ncurl -d '{\"z\":[0,0,0]}' 127.0.0.1:8123/api/decode\n");
        assertThat(WebServer.apiPage(TEMPLATE, "localhost:9000", 9000, 1)).contains("localhost:9000/api/info").contains("[0]");
        assertThat(WebServer.apiPage(TEMPLATE, "[::1]:9000", 9000, 2)).contains("[::1]:9000/api/info");
        assertThat(WebServer.apiPage(TEMPLATE, "myhost.example", 80, 2)).contains("myhost.example/api/info");
    }

    @Test
    void aHostileOrMissingHostHeaderFallsBackToTheBoundAddress() {
        for (String bad : new String[] {null, "", "<script>alert(1)</script>", "a b", "x\"onload=\"y", "host:port", "évil"}) {
            assertThat(WebServer.apiPage(TEMPLATE, bad, 7171, 2)).as(bad).startsWith("curl -s 127.0.0.1:7171/api/info")
                    .doesNotContain("<script>");
        }
    }

    @Test
    void theCardShowsSigmaOnlyForTheLikelihoodThatUsesIt() {
        String bernoulli = "{\"likelihood\": \"bernoulli\", \"sigma\": 1.0, \"latent\": 2}";
        assertThat(Explorer.cardConfig(bernoulli).has("sigma")).isFalse();
        assertThat(Explorer.cardConfig(bernoulli).get("latent").asInt()).isEqualTo(2);
        String learned = "{\"likelihood\": \"gaussian\", \"sigma\": 1.0}";
        assertThat(Explorer.cardConfig(learned).has("sigma")).isFalse();
        String fixed = "{\"likelihood\": \"gaussian-fixed\", \"sigma\": 0.3}";
        assertThat(Explorer.cardConfig(fixed).get("sigma").asDouble()).isEqualTo(0.3);
    }
}
