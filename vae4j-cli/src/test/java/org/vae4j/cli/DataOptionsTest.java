package org.vae4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vae4j.cli.CliRun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.cli.CliRun.Result;
import org.vae4j.cli.plugin.StripesDataSource;
import org.vae4j.train.RunState;
import org.vae4j.train.Training;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The data sources' flags come from the providers: the test-only {@link StripesDataSource} (registered in test
 * resources, unknown to the CLI's code) gets its flags on every data command, folded into its spec, and refused with
 * other kinds; built-in flags are collected and folded by the same generic path.
 */
class DataOptionsTest {

    @TempDir
    Path tmp;

    /** A command with nothing but the data options, options listed in declaration order. */
    @Command(name = "probe", sortOptions = false)
    static final class Probe {
        @Option(names = "--before")
        String before;

        @Mixin
        DataOptions data;

        @Option(names = "--after")
        String after;
    }

    private static DataOptions parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.data;
    }

    @Test
    void everyInstalledSourcesFlagsAreAddedRightAfterDataInDeclarationOrder() {
        CommandLine cl = new CommandLine(new Probe());
        List<String> names = cl.getCommandSpec().options().stream().map(o -> o.longestName()).toList();
        assertThat(names).containsExactly("--before", "--data", "--label-column", "--id-column", "--ignore-columns", "--missing",
                "--val-fraction", "--size", "--image-channels", "--crop", "--skip-bad", "--cache-dir", "--stripe-width",
                "--stripe-vertical", "--seed", "--data-dir", "--offline", "--after");
        StringWriter help = new StringWriter();
        cl.setUsageHelpWidth(200);
        cl.usage(new PrintWriter(help));
        assertThat(help.toString())
                .contains("Data set: csv:FILE, fashion-mnist, idx:DIR, images:DIR, mnist, shapes, stripes (see 'vae4j list').")
                .contains("--stripe-width=W       stripes only: stripe width in pixels.")
                .contains("--stripe-vertical      stripes only: vertical instead of horizontal stripes.")
                .contains("--size=S               images:DIR only: resize every image to S×S (area averaging).")
                .contains("--val-fraction=F       csv:FILE and images:DIR: held-out (test) fraction");
    }

    @Test
    void givenFlagsAreCollectedAsTextAndFoldedByTheSpecsProvider() {
        DataOptions d = parse("--data", "images:pics", "--cache-dir", "c/", "--skip-bad", "--val-fraction", "1", "--crop", "center",
                "--image-channels", "3", "--size", "8");
        assertThat(d.givenSourceOptions()).containsExactly(java.util.Map.entry("val-fraction", "1.0"), java.util.Map.entry("size", "8"),
                java.util.Map.entry("image-channels", "3"), java.util.Map.entry("crop", "center"), java.util.Map.entry("skip-bad", "true"),
                java.util.Map.entry("cache-dir", "c"));
        assertThat(d.resolvedSpec()).isEqualTo("images:pics,size=8,channels=3,crop=center,val=1.0,skip-bad,cache-dir=c");

        DataOptions list = parse("--data", "csv:t.csv", "--ignore-columns", "a,b", "--ignore-columns", "c");
        assertThat(list.givenSourceOptions()).containsEntry("ignore-columns", "a,b,c");
        assertThat(list.resolvedSpec()).endsWith("t.csv,ignore=a;b;c,missing=reject,val=0.1,seed=1");

        assertThat(parse("--data", "stripes", "--stripe-vertical", "--stripe-width", "3").resolvedSpec()).isEqualTo("stripes:width=3,vertical");
        // nothing given: the spec as given
        assertThat(parse("--data", "shapes:rgb").resolvedSpec()).isEqualTo("shapes:rgb");
        assertThat(parse().resolvedSpec()).isNull();
    }

    @Test
    void aFlagTheKindDoesNotTakeIsRefusedNamingTheKindsThatDo() {
        assertThatThrownBy(() -> parse("--data", "idx:/data/mnist", "--stripe-width", "3").resolvedSpec())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--stripe-width applies to --data stripes only, not to idx:/data/mnist");
        assertThatThrownBy(() -> parse("--data", "stripes:width=2", "--label-column", "y").resolvedSpec())
                .hasMessage("--label-column applies to --data csv:FILE only, not to stripes:width=2");
        assertThatThrownBy(() -> parse("--size", "8").resolvedSpec())
                .hasMessage("--size applies to --data images:DIR only (no --data given)");
    }

    @Test
    void withoutDataTheRunsRecordedSpecIsUsedAsIsSoFlagsAreRefused() throws Exception {
        PrintWriter err = new PrintWriter(new StringWriter());
        assertThatThrownBy(() -> parse("--size", "8").loadOrFromRun(tmp, false, err))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--data is required (the model directory records no data set)");
        Files.writeString(tmp.resolve(Training.STATE), "{}");
        assertThatThrownBy(() -> parse("--missing", "mask").loadOrFromRun(tmp, false, err))
                .hasMessage("--missing needs --data (without it the run's recorded data spec is used as is)");
        assertThatThrownBy(() -> parse("--stripe-width", "3", "--crop", "none").loadOrFromRun(tmp, false, err))
                .hasMessage("--crop, --stripe-width need --data (without it the run's recorded data spec is used as is)");
    }

    @Test
    void aNewProvidersFlagsWorkFromTheCommandLineWithoutChangingIt() throws Exception {
        Path run = tmp.resolve("run");
        Result r = cli("train", "--data", "stripes", "--stripe-width", "3", "--stripe-vertical", "--arch", "mlp", "--hidden", "16",
                "--latent", "2", "--epochs", "1", "--batch-size", "16", "--threads", "1", "-q", "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("data stripes-w3: 48 train, 16 test records of shape [1, 8, 8]");
        RunState st = Training.readState(run);
        assertThat(st.dataSpec()).isEqualTo("stripes:width=3,vertical");

        // the recorded spec reloads the same data
        Result ev = cli("evaluate", "--model", run.toString(), "--json", "--threads", "1");
        assertThat(ev.code()).as(ev.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(ev.out());
        assertThat(j.get("n").asInt()).isEqualTo(16);

        // the provider's own check of the folded value, as a data error naming the spec
        Result wide = cli("train", "--data", "stripes", "--stripe-width", "9", "--out", tmp.resolve("r2").toString());
        assertThat(wide.code()).isEqualTo(1);
        assertThat(wide.err().trim()).isEqualTo("vae4j: stripes:width=9: width must be in [1,8] but is 9");
        // picocli converts by the declared type
        Result word = cli("train", "--data", "stripes", "--stripe-width", "wide", "--out", tmp.resolve("r3").toString());
        assertThat(word.code()).isEqualTo(2);
        assertThat(word.err()).contains("'wide' is not an int");
        Result other = cli("train", "--data", "shapes:n=50,test=10", "--stripe-width", "3", "--out", tmp.resolve("r4").toString());
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.err().trim()).isEqualTo("vae4j: --stripe-width applies to --data stripes only, not to shapes:n=50,test=10");
        // on encode, --seed is the stripes' option: folded for stripes, refused for other kinds
        Result seeded = cli("encode", "--model", run.toString(), "--data", "stripes:width=3,vertical", "--seed", "5",
                "--out", tmp.resolve("c.csv").toString());
        assertThat(seeded.code()).as(seeded.err()).isZero();
        assertThat(Files.readAllLines(tmp.resolve("c.csv"))).hasSize(17);
        Result notStripes = cli("encode", "--model", run.toString(), "--data", "shapes", "--seed", "5",
                "--out", tmp.resolve("d.csv").toString());
        assertThat(notStripes.code()).isEqualTo(2);
        assertThat(notStripes.err().trim()).isEqualTo("vae4j: --seed applies to --data stripes only, not to shapes");
        assertThat(tmp.resolve("r2")).doesNotExist();
        assertThat(tmp.resolve("r4")).doesNotExist();
    }

    @Test
    void listAndHelpShowTheProvidersOptionsAndACommandsOwnOptionWinsANameClash() {
        Result list = cli("list");
        assertThat(list.out()).contains("  stripes                stripes[:width=W][,vertical][,seed=N] - test images of stripes")
                .contains("--stripe-width W       stripe width in pixels. [width=W; default 2]")
                .contains("--stripe-vertical      vertical instead of horizontal stripes. [vertical]")
                .contains("--label-column COL     the column holding class labels (label=COL). [label=COL]")
                .contains("--ignore-columns A,B   columns to leave out (ignore=A;B). [ignore=A;B]");
        // train has a --seed of its own: it stays train's, and the stripes' seed is not offered there
        String train = cli("train", "--help").out();
        assertThat(Arrays.stream(train.split("\n")).filter(l -> l.strip().startsWith("--seed=")).toList())
                .containsExactly("      --seed=<seed>          Default: 1.");
        assertThat(train).contains("--stripe-width=W");
        // encode has none, so there --seed is the stripes' option
        assertThat(cli("encode", "--help").out()).contains("--seed=N               stripes only: seed of the stripes' phases.");
    }
}
