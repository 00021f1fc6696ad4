package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vae4j.data.DataSourceOption.Type;

/** Providers declare their options; {@link DataSources#withOptions} folds them into a spec generically or refuses them. */
class DataSourceOptionsTest {

    /** A kind no front end knows: {@code grid:NAME} with its own integer, flag and list options. */
    static final class GridSource implements DataSourceProvider {
        @Override
        public String kind() {
            return "grid";
        }

        @Override
        public String description() {
            return "grid:NAME - test data";
        }

        @Override
        public String syntax() {
            return "grid:NAME";
        }

        @Override
        public List<DataSourceOption> options() {
            return List.of(DataSourceOption.of("cells", "n", Type.INTEGER, "N", "cells per side.").withDefault("4"),
                    DataSourceOption.of("wrap", "wrap", Type.FLAG, null, "wrap around the edges."),
                    DataSourceOption.of("colours", "colours", Type.LIST, "A,B", "colours to use."),
                    DataSourceOption.of("val-fraction", "holdout", Type.NUMBER, "F", "held-out fraction."));
        }

        @Override
        public DataSplits load(DataSpec spec, LoadContext context) {
            throw new UnsupportedOperationException();
        }
    }

    private static final List<DataSourceProvider> WITH_GRID = withGrid();

    private static List<DataSourceProvider> withGrid() {
        List<DataSourceProvider> all = new ArrayList<>(DataSources.providers());
        all.add(new GridSource());
        return List.copyOf(all);
    }

    private static Map<String, String> given(String... nameValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return m;
    }

    @Test
    void aNewProvidersOptionsAreFoldedInDeclarationOrderWithoutKnowingTheKind() {
        // given in another order than declared; the spec gets them in declaration order, the list joined by ';'
        String spec = DataSources.withOptions("grid:a", given("val-fraction", "0.25", "colours", "red,blue", "wrap", "true",
                "cells", "08"), WITH_GRID);
        assertThat(spec).isEqualTo("grid:a,n=8,wrap,colours=red;blue,holdout=0.25");
        assertThat(DataSources.withOptions("grid", given("cells", "3"), WITH_GRID)).isEqualTo("grid:n=3");
        assertThat(DataSources.withOptions("grid:a", given("wrap", "false"), WITH_GRID)).isEqualTo("grid:a");
        // no values: the spec exactly as given
        assertThat(DataSources.withOptions(" grid:a ", Map.of(), WITH_GRID)).isEqualTo(" grid:a ");
    }

    @Test
    void valuesAreCheckedAgainstTheDeclaredTypeNamingTheFlag() {
        assertThatThrownBy(() -> DataSources.withOptions("grid:a", given("cells", "four"), WITH_GRID))
                .isInstanceOf(IllegalArgumentException.class).isNotInstanceOf(DataException.class)
                .hasMessage("--cells must be an integer, got 'four'");
        assertThatThrownBy(() -> DataSources.withOptions("grid:a", given("val-fraction", "half"), WITH_GRID))
                .hasMessage("--val-fraction must be a number, got 'half'");
        assertThatThrownBy(() -> DataSources.withOptions("grid:a", given("wrap", "maybe"), WITH_GRID))
                .hasMessage("--wrap must be true or false, got 'maybe'");
    }

    @Test
    void anOptionTheSpecsKindDoesNotTakeIsRefusedInOneLineNamingTheKindsThatDo() {
        assertThatThrownBy(() -> DataSources.withOptions("shapes:n=50,test=10", given("size", "8")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--size applies to --data images:DIR only, not to shapes:n=50,test=10");
        assertThatThrownBy(() -> DataSources.withOptions("idx:/data/mnist", given("label-column", "y")))
                .hasMessage("--label-column applies to --data csv:FILE only, not to idx:/data/mnist");
        assertThatThrownBy(() -> DataSources.withOptions("csv:t.csv", given("size", "8", "crop", "center")))
                .hasMessage("--size, --crop applies to --data images:DIR only, not to csv:t.csv");
        // taken by two kinds
        assertThatThrownBy(() -> DataSources.withOptions("shapes", given("val-fraction", "0.2")))
                .hasMessage("--val-fraction applies to --data csv:FILE and images:DIR only, not to shapes");
        // the kinds that take all of them
        assertThatThrownBy(() -> DataSources.withOptions("mnist", given("size", "8", "val-fraction", "0.2")))
                .hasMessage("--val-fraction, --size applies to --data images:DIR only, not to mnist");
        // no kind takes both: the first alone
        assertThatThrownBy(() -> DataSources.withOptions("mnist", given("size", "8", "missing", "mask")))
                .hasMessage("--missing applies to --data csv:FILE only, not to mnist");
        // a new provider's option on a built-in kind, and a built-in option on the new kind
        assertThatThrownBy(() -> DataSources.withOptions("images:d", given("cells", "3"), WITH_GRID))
                .hasMessage("--cells applies to --data grid:NAME only, not to images:d");
        assertThatThrownBy(() -> DataSources.withOptions("grid:a", given("size", "3"), WITH_GRID))
                .hasMessage("--size applies to --data images:DIR only, not to grid:a");
        assertThatThrownBy(() -> DataSources.withOptions("shapes", given("val-fraction", "0.2"), WITH_GRID))
                .hasMessage("--val-fraction applies to --data csv:FILE, images:DIR and grid:NAME only, not to shapes");
        assertThatThrownBy(() -> DataSources.withOptions("shapes", given("nope", "1")))
                .hasMessage("--nope is not an option of any data source (see 'vae4j list')");
    }

    @Test
    void withoutASpecOptionsAreRefusedAndNothingGivenIsNoSpec() {
        assertThat(DataSources.withOptions(null, Map.of())).isNull();
        assertThatThrownBy(() -> DataSources.withOptions(null, given("skip-bad", "true")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--skip-bad applies to --data images:DIR only (no --data given)");
    }

    @Test
    void theSpecIsCheckedBeforeItsOptions() {
        assertThatThrownBy(() -> DataSources.withOptions("cifar:x", given("size", "8")))
                .isInstanceOf(DataException.class).hasMessageStartingWith("cifar:x: unknown data kind 'cifar'");
        // a kind without options and no values: unchanged, not even normalised
        assertThat(DataSources.withOptions("Shapes:rgb", Map.of())).isEqualTo("Shapes:rgb");
    }

    @Test
    void imageFolderFlagsAreAppendedInDeclarationOrder() {
        String spec = DataSources.withOptions("images:pics", given("cache-dir", "c/", "skip-bad", "true", "val-fraction", "1",
                "crop", "center", "image-channels", "3", "size", "8"));
        assertThat(spec).isEqualTo("images:pics,size=8,channels=3,crop=center,val=1.0,skip-bad,cache-dir=c");
        // a key the spec already has is left to the spec parser, which names it
        String twice = DataSources.withOptions("images:pics,size=4", given("size", "8"));
        assertThat(twice).isEqualTo("images:pics,size=4,size=8");
        assertThatThrownBy(() -> ImagesDataSource.parse(DataSpec.parse(twice))).isInstanceOf(DataException.class)
                .hasMessageContaining("option 'size' given twice");
    }

    @Test
    void csvWritesItsCanonicalSpecEvenWithoutOptions() {
        String abs = Path.of("people.csv").toAbsolutePath().normalize().toString();
        assertThat(DataSources.withOptions("csv:people.csv", Map.of())).isEqualTo("csv:" + abs + ",missing=reject,val=0.1,seed=1");
        assertThat(DataSources.withOptions("csv:people.csv,seed=4", given("val-fraction", "0.25", "missing", "MASK",
                "ignore-columns", "a,b", "id-column", "key", "label-column", "group")))
                .isEqualTo("csv:" + abs + ",label=group,id=key,ignore=a;b,missing=mask,val=0.25,seed=4");
        // the same value as the spec's is no contradiction; missing and val replace the spec's
        assertThat(DataSources.withOptions("csv:people.csv,label=group,val=0.5,missing=mask", given("label-column", "group",
                "val-fraction", "0.2", "missing", "reject")))
                .isEqualTo("csv:" + abs + ",label=group,missing=reject,val=0.2,seed=1");
    }

    @Test
    void csvRefusesContradictionsAndBadValuesInOneLine() {
        assertThatThrownBy(() -> DataSources.withOptions("csv:p.csv,label=group", given("label-column", "colour")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--label-column colour contradicts label=group in --data csv:p.csv,label=group");
        assertThatThrownBy(() -> DataSources.withOptions("csv:p.csv,id=k", given("id-column", "j")))
                .hasMessage("--id-column j contradicts id=k in --data csv:p.csv,id=k");
        assertThatThrownBy(() -> DataSources.withOptions("csv:p.csv,ignore=a", given("ignore-columns", "b")))
                .hasMessage("--ignore-columns contradicts ignore= in --data csv:p.csv,ignore=a");
        assertThatThrownBy(() -> DataSources.withOptions("csv:p.csv", given("missing", "drop")))
                .hasMessage("--missing must be reject or mask, got 'drop'");
        assertThatThrownBy(() -> DataSources.withOptions("csv:p.csv", given("val-fraction", "2")))
                .isNotInstanceOf(DataException.class).hasMessage("val must be in [0,1], got 2.0");
        assertThatThrownBy(() -> DataSources.withOptions("csv:p.csv", given("label-column", "x", "id-column", "x")))
                .hasMessage("column 'x' is given more than one role (label, id, ignore)");
        // a malformed spec is a data error, as when loading it
        assertThatThrownBy(() -> DataSources.withOptions("csv:p.csv,label=a,label=b", given("id-column", "x")))
                .isInstanceOf(DataException.class).hasMessageContaining("option 'label' given twice");
    }

    @Test
    void declarationsAreCheckedAndValuesNormalised() {
        assertThatThrownBy(() -> DataSourceOption.of("Size", "size", Type.INTEGER, "S", "d"))
                .hasMessageContaining("lower-case letters, digits and dashes");
        assertThatThrownBy(() -> DataSourceOption.of("size", "a=b", Type.INTEGER, "S", "d")).hasMessageContaining("spec key");
        assertThatThrownBy(() -> DataSourceOption.of("size", "size", Type.INTEGER, null, "d")).hasMessageContaining("parameter label");
        assertThatThrownBy(() -> DataSourceOption.of("size", "size", Type.INTEGER, "S", "two\nlines"))
                .hasMessageContaining("one-line description");
        assertThatThrownBy(() -> DataSourceOption.of("size", "size", Type.INTEGER, "S", "d").withChoices("1", "2"))
                .hasMessageContaining("choices are for TEXT options");
        assertThatThrownBy(() -> DataSourceOption.of("size", "size", Type.INTEGER, "S", "d").withDefault("big"))
                .hasMessage("--size must be an integer, got 'big'");
        DataSourceOption flag = DataSourceOption.of("skip", "skip", Type.FLAG, "X", "d");
        assertThat(flag.paramLabel()).isNull();
        assertThat(flag.normalise("TRUE")).isEqualTo("true");
        assertThat(DataSourceOption.of("n", "n", Type.NUMBER, "F", "d").normalise(" 1e-1")).isEqualTo("0.1");
        assertThat(DataSourceOption.of("n", "n", Type.INTEGER, "N", "d").normalise("+7")).isEqualTo("7");
        assertThat(DataSourceOption.of("p", "p", Type.PATH, "DIR", "d").normalise("a//b/")).isEqualTo("a/b");
        assertThat(DataSourceOption.of("c", "c", Type.TEXT, "x|y|z", "d").withChoices("x", "y", "z").normalise("Z")).isEqualTo("z");
        assertThatThrownBy(() -> DataSourceOption.of("c", "c", Type.TEXT, "x|y|z", "d").withChoices("x", "y", "z").normalise("w"))
                .hasMessage("--c must be x, y or z, got 'w'");
        assertThat(DataSourceOption.items("a,,b")).containsExactly("a", "", "b");
    }

    @Test
    void everyInstalledProvidersOptionsAreUniqueAndASharedNameMeansTheSameType() {
        Map<String, Type> types = new HashMap<>();
        for (DataSourceProvider p : DataSources.providers()) {
            Set<String> names = new HashSet<>();
            for (DataSourceOption o : p.options()) {
                assertThat(names.add(o.name())).as(p.kind() + " declares " + o.name() + " twice").isTrue();
                Type before = types.putIfAbsent(o.name(), o.type());
                assertThat(before == null || before == o.type()).as(o.name() + " has two types").isTrue();
            }
            assertThat(p.syntax()).startsWith(p.kind());
        }
        assertThat(types).containsOnlyKeys("label-column", "id-column", "ignore-columns", "missing", "val-fraction", "size",
                "image-channels", "crop", "skip-bad", "cache-dir");
    }
}
