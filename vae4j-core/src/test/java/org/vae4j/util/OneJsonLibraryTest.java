package org.vae4j.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * vae4j reads and writes JSON with one library, Jackson, in one version (issue 11). Gson stays on the classpath only
 * because DJL uses it internally; no vae4j source may use it.
 */
class OneJsonLibraryTest {

    @Test
    void noVae4jSourceUsesGson() throws IOException {
        List<Path> modules = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of("..").toAbsolutePath().normalize())) {
            dirs.filter(d -> d.getFileName().toString().startsWith("vae4j-") && Files.isDirectory(d.resolve("src")))
                    .forEach(modules::add);
        }
        assertThat(modules).extracting(p -> p.getFileName().toString()).contains("vae4j-core");
        List<String> users = new ArrayList<>();
        for (Path m : modules) {
            try (Stream<Path> files = Files.walk(m.resolve("src"))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (Files.readString(f, StandardCharsets.UTF_8).contains("com.google." + "gson")) {
                        users.add(m.getFileName().resolve(m.relativize(f)).toString());
                    }
                }
            }
        }
        assertThat(users).as("sources that use Gson").isEmpty();
    }

    @Test
    void jacksonCoreAnnotationsAndDatabindAreOneVersion() {
        String core = com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString();
        assertThat(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString()).isEqualTo(core);
        // jackson-annotations carries no patch number from 2.20 on: same major and minor version
        var v = com.fasterxml.jackson.core.json.PackageVersion.VERSION;
        assertThat(com.fasterxml.jackson.annotation.JsonProperty.class.getPackage().getImplementationVersion())
                .startsWith(v.getMajorVersion() + "." + v.getMinorVersion());
    }
}
