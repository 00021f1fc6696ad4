package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the README tells a new user, checked against the commands (issue 15). */
class ReadmeTest {
    static String readme() throws Exception {
        return Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    }

    @Test
    void theCommandsNeedNoDataBesideThisCheckoutAndSayWhereMnistComesFrom() throws Exception {
        String readme = readme();
        // a clone elsewhere has no ../shared/data/mnist
        assertThat(readme).doesNotContain("../shared/data");
        assertThat(readme).contains("`--data mnist` downloads");
        assertThat(readme).contains("--data idx:DIR");
    }

    @Test
    void theLectureTableHasTheRowsTheLecturesCommandWrites() throws Exception {
        String readme = readme();
        int start = readme.indexOf("| measured | shapes AE | shapes VAE | MNIST AE | MNIST VAE |");
        assertThat(start).as("the lecture table's header").isNotNegative();
        List<String> labels = new ArrayList<>();
        for (String line : readme.substring(start).split("\n")) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("\\|");
            assertThat(cells).as(line).hasSize(6);
            labels.add(cells[1].trim());
        }
        // header, separator, then exactly the rows summary.md has, in its order (bench/lectures-table joins them)
        List<String> rows = labels.subList(2, labels.size());
        assertThat(rows).hasSameSizeAs(LecturesCommand.TABLE_ROWS);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i)).startsWith(LecturesCommand.TABLE_ROWS.get(i));
        }
        assertThat(readme).contains("bench/lectures-table");
    }
}
