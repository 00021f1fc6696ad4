package org.vae4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example compiles against this build and runs. */
class ReadmeExampleTest {
    @Test
    void readmeExampleCompilesAndRuns(@TempDir Path tmp) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("```java\n");
        assertThat(start).as("README has a ```java block").isNotNegative();
        int end = readme.indexOf("```", start + 8);
        String source = readme.substring(start + 8, end);
        assertThat(source).contains("public class Example");
        Path src = tmp.resolve("Example.java");
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diag = new ByteArrayOutputStream();
        int rc = javac.run(null, diag, diag, "-d", tmp.toString(), "-cp", System.getProperty("java.class.path"), src.toString());
        assertThat(rc).as(diag.toString()).isZero();
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Method main = cl.loadClass("Example").getMethod("main", String[].class);
            main.invoke(null, (Object) new String[] {tmp.resolve("run").toString()});
        } finally {
            System.setOut(old);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("sampled 16 images").contains("latent 8, reconstructed 4 images");
        assertThat(List.of("config.json", "weights.safetensors", "provenance.json", "metrics.csv"))
                .allMatch(f -> Files.exists(tmp.resolve("run").resolve(f)));
    }
}
