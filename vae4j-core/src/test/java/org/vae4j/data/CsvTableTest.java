package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
    static final String MIXED = """
            id,x,flag,colour,y,label
            a,1,0,red,2.5,cat
            b,2,1,blue,NA,dog
            c,3,1,red,3.5,cat
            d,4,0,"green",4.5,bird
            """;

    @TempDir
    Path tmp;

    private Path write(String name, String text) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private DataSplits load(Path f, String options) {
        return DataSources.load("csv:" + f + options, LoadContext.defaults());
    }

    private static float[] row(ArrayDataset d, int i) {
        return d.record(i);
    }

    @Test
    void mixedColumnsAreTypedStandardisedAndOneHotEncoded() throws Exception {
        Path f = write("t.csv", MIXED);
        DataSplits s = load(f, ",id=id,label=label,missing=mask,val=0");
        ArrayDataset train = s.train().materialize();
        assertThat(s.test().size()).isZero();
        assertThat(train.size()).isEqualTo(4);
        TableSchema t = train.table();
        assertThat(t.columns()).extracting(TableSchema.Column::name).containsExactly("x", "flag", "colour", "y");
        assertThat(t.columns()).extracting(TableSchema.Column::type)
                .containsExactly("continuous", "binary", "categorical", "continuous");
        assertThat(t.columns().get(2).categories()).containsExactly("blue", "green", "red");
        assertThat(t.width()).isEqualTo(7);
        assertThat(train.shape()).containsExactly(7);
        assertThat(t.valueNames()).containsExactly("x", "flag", "colour=blue", "colour=green", "colour=red", "colour=(other)", "y");
        // x: mean 2.5, population std sqrt(1.25); y: mean 3.5 over its three present values, std sqrt(2/3)
        assertThat(t.columns().get(0).mean()).isCloseTo(2.5, within(1e-12));
        assertThat(t.columns().get(0).std()).isCloseTo(Math.sqrt(1.25), within(1e-12));
        assertThat(t.columns().get(1).mean()).isCloseTo(0.5, within(1e-12));
        assertThat(t.columns().get(3).mean()).isCloseTo(3.5, within(1e-12));
        assertThat(t.columns().get(3).std()).isCloseTo(Math.sqrt(2.0 / 3), within(1e-12));
        assertThat(row(train, 0)).containsExactly(new float[] {(float) (-1.5 / Math.sqrt(1.25)), 0, 0, 0, 1, 0,
                (float) (-1 / Math.sqrt(2.0 / 3))}, org.assertj.core.data.Offset.offset(1e-6f));
        float[] r1 = row(train, 1);
        assertThat(r1[0]).isCloseTo((float) (-0.5 / Math.sqrt(1.25)), within(1e-6f));
        assertThat(r1[1]).isEqualTo(1f);
        assertThat(new float[] {r1[2], r1[3], r1[4], r1[5]}).containsExactly(1, 0, 0, 0);
        assertThat(r1[6]).isNaN(); // the missing y
        assertThat(row(train, 3)[3]).isEqualTo(1f); // quoted "green"
        // labels named in sorted order; ids from the id column
        assertThat(train.labelNames()).containsExactly("bird", "cat", "dog");
        assertThat(train.labels()).containsExactly(1, 2, 1, 0);
        assertThat(train.recordId(2)).isEqualTo("c");
        assertThat(train.name()).isEqualTo("csv:t.csv");
    }

    @Test
    void recordsAndDecoderMeansAreDescribedInTheFilesTerms() throws Exception {
        ArrayDataset train = load(write("t.csv", MIXED), ",id=id,label=label,missing=mask,val=0").train().materialize();
        TableSchema t = train.table();
        assertThat(t.describe(train.data(), 0, false)).containsExactly("1.000", "0", "red", "2.500");
        assertThat(t.describe(train.data(), 7, false)).containsExactly("2.000", "1", "blue", "NA");
        float[] mean = {0f, 0.25f, 0.1f, 0.2f, 0.3f, 0.4f, 1f};
        assertThat(t.describe(mean, 0, true)).containsExactly("2.500", "p(1)=0.25", "(other) (0.40)", "4.316");
    }

    @Test
    void statisticsComeFromTheTrainingSplitOnly() throws Exception {
        StringBuilder sb = new StringBuilder("id,v\n");
        for (int i = 0; i < 50; i++) {
            sb.append("r").append(i).append(',').append(i * i).append('\n');
        }
        Path f = write("s.csv", sb.toString());
        DataSplits s = load(f, ",id=id,val=0.2,seed=5");
        assertThat(s.test().size()).isEqualTo(10);
        assertThat(s.train().size()).isEqualTo(40);
        List<Double> trainValues = new ArrayList<>();
        for (int i = 0; i < s.train().size(); i++) {
            int k = Integer.parseInt(s.train().recordId(i).substring(1));
            trainValues.add((double) k * k);
        }
        double mean = trainValues.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double var = trainValues.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / trainValues.size();
        TableSchema.Column c = s.train().table().columns().get(0);
        assertThat(c.mean()).isCloseTo(mean, within(1e-9));
        assertThat(c.std()).isCloseTo(Math.sqrt(var), within(1e-9));
        // both splits in file order, and the same seed gives the same split
        assertThat(Integer.parseInt(s.test().recordId(0).substring(1))).isLessThan(Integer.parseInt(s.test().recordId(1).substring(1)));
        assertThat(load(f, ",id=id,val=0.2,seed=5").test().recordId(3)).isEqualTo(s.test().recordId(3));
        // test values are standardised with the training statistics
        int k = Integer.parseInt(s.test().recordId(0).substring(1));
        assertThat(s.test().record(0)[0]).isCloseTo((float) ((k * k - mean) / Math.sqrt(var)), within(1e-4f));
    }

    @Test
    void aStoredSchemaEncodesAnotherFileWithTheTrainingStatistics() throws Exception {
        TableSchema schema = load(write("t.csv", MIXED), ",id=id,label=label,missing=mask,val=0").train().table();
        // columns in another order, an unseen category, an extra ignored column
        Path other = write("o.csv", "colour,note,y,flag,x,id\npurple,hi,3.5,1,10,z\nred,,5.133,0,2.5,w\n");
        DataSplits s = CsvTable.load(CsvOptions.parse(DataSpec.parse("csv:" + other + ",id=id,ignore=note,val=1")), schema);
        assertThat(s.train().size()).isZero();
        ArrayDataset t = s.test().materialize();
        assertThat(t.table()).isEqualTo(schema);
        float[] r0 = t.record(0);
        assertThat(r0[0]).isCloseTo((float) (7.5 / Math.sqrt(1.25)), within(1e-5f));
        assertThat(r0[1]).isEqualTo(1f);
        assertThat(new float[] {r0[2], r0[3], r0[4], r0[5]}).containsExactly(0, 0, 0, 1); // purple: the "other" slot
        assertThat(r0[6]).isCloseTo(0f, within(1e-6f));
        assertThat(t.record(1)[0]).isCloseTo(0f, within(1e-6f));
        assertThat(t.record(1)[6]).isCloseTo((float) (1.633 / Math.sqrt(2.0 / 3)), within(1e-4f));
        // a schema is not re-derived from this file: its own statistics would differ
        assertThatThrownBy(() -> CsvTable.load(CsvOptions.parse(DataSpec.parse("csv:" + other + ",id=id,val=1")), schema))
                .isInstanceOf(DataException.class)
                .hasMessage(other + ": line 1: column 'note' is not in the model's table schema; leave it out with ignore=note");
        Path bad = write("b.csv", "x,flag,colour,y\n1,2,red,3\n");
        assertThatThrownBy(() -> CsvTable.load(CsvOptions.parse(DataSpec.parse("csv:" + bad + ",val=1")), schema))
                .isInstanceOf(DataException.class)
                .hasMessage(bad + ": line 2, column 'flag': 2 is not 0 or 1 (the model has this column as binary)");
        Path missingCol = write("m.csv", "x,flag,colour\n1,0,red\n");
        assertThatThrownBy(() -> CsvTable.load(CsvOptions.parse(DataSpec.parse("csv:" + missingCol + ",val=1")), schema))
                .isInstanceOf(DataException.class)
                .hasMessage(missingCol + ": line 1: column 'y' of the model's table schema is not in the header");
    }

    @Test
    void typingRulesBinaryCategoricalConstantAndIgnored() throws Exception {
        Path f = write("k.csv", "a,b,c,d,e\n1,0,1,5,x\n2,1.0,2,5,y\n3,0,z,5,x\n");
        TableSchema t = load(f, ",ignore=e,val=0").train().table();
        assertThat(t.columns()).extracting(TableSchema.Column::name).containsExactly("a", "b", "c", "d");
        assertThat(t.columns()).extracting(TableSchema.Column::type).containsExactly("continuous", "binary", "categorical", "continuous");
        // a column with some numbers and some texts (under 99% numbers) is categorical; its numbers are categories
        assertThat(t.columns().get(2).categories()).containsExactly("1", "2", "z");
        // a constant column keeps std 1 and standardises to 0
        assertThat(t.columns().get(3).std()).isEqualTo(1.0);
        assertThat(load(f, ",ignore=e,val=0").train().record(0)[t.offset(3)]).isEqualTo(0f);
    }

    @Test
    void missingCellsAreRejectedByDefaultNamingFileLineAndColumn() throws Exception {
        Path f = write("t.csv", MIXED);
        assertThatThrownBy(() -> load(f, ",id=id,label=label"))
                .isInstanceOf(DataException.class)
                .hasMessage(f + ": line 3, column 'y': missing value (use missing=mask, or --missing mask, to leave missing cells out)");
        Path lab = write("l.csv", "x,label\n1,a\n2,\n");
        assertThatThrownBy(() -> load(lab, ",label=label")).isInstanceOf(DataException.class)
                .hasMessage(lab + ": line 3, column 'label': missing label");
    }

    @Test
    void badFilesGiveOneLineErrorsWithFileLineAndColumn() throws Exception {
        Path ragged = write("r.csv", "a,b,c\n1,2,3\n4,5\n");
        assertThatThrownBy(() -> load(ragged, "")).isInstanceOf(DataException.class)
                .hasMessage(ragged + ": line 3: 2 fields but the header has 3 columns");
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 300; i++) {
            sb.append(i).append(',').append(i == 137 ? "1O" : Integer.toString(i * 2)).append('\n');
        }
        Path typo = write("n.csv", sb.toString());
        assertThatThrownBy(() -> load(typo, "")).isInstanceOf(DataException.class)
                .hasMessage(typo + ": line 139, column 'b': '1O' is not a number, but 99.7% of the column's 300 values are "
                        + "(fix the cell, mark it missing with NA, or leave the column out with ignore=b)");
        Path f = write("t.csv", MIXED);
        assertThatThrownBy(() -> load(f, ",label=kind")).isInstanceOf(DataException.class)
                .hasMessage(f + ": line 1: label column 'kind' is not in the header (columns: id, x, flag, colour, y, label)");
        assertThatThrownBy(() -> load(f, ",id=key")).isInstanceOf(DataException.class)
                .hasMessageStartingWith(f + ": line 1: id column 'key' is not in the header");
        assertThatThrownBy(() -> load(f, ",ignore=x;zz")).isInstanceOf(DataException.class)
                .hasMessageStartingWith(f + ": line 1: ignored column 'zz' is not in the header");
        Path empty = write("e.csv", "");
        assertThatThrownBy(() -> load(empty, "")).isInstanceOf(DataException.class)
                .hasMessage(empty + ": line 1: empty file, expected a header row");
        Path header = write("h.csv", "a,b\r\n");
        assertThatThrownBy(() -> load(header, "")).isInstanceOf(DataException.class)
                .hasMessage(header + ": line 2: no data rows after the header");
        Path dup = write("d.csv", "a,b,a\n1,2,3\n");
        assertThatThrownBy(() -> load(dup, "")).isInstanceOf(DataException.class)
                .hasMessage(dup + ": line 1: column name 'a' appears twice in the header");
        Path allMissing = write("am.csv", "a,b\n1,\n2,NA\n");
        assertThatThrownBy(() -> load(allMissing, ",missing=mask")).isInstanceOf(DataException.class)
                .hasMessage(allMissing + ": line 1, column 'b' has no values (every cell is missing); leave it out with ignore=b");
        StringBuilder many = new StringBuilder("a,b\n");
        for (int i = 0; i <= CsvTable.MAX_CATEGORIES; i++) {
            many.append(i).append(",t").append(i).append('\n');
        }
        Path free = write("f.csv", many.toString());
        assertThatThrownBy(() -> load(free, "")).isInstanceOf(DataException.class)
                .hasMessageStartingWith(free + ": line " + (CsvTable.MAX_CATEGORIES + 2) + ", column 'b': more than 1000 distinct texts");
    }

    @Test
    void numbersAreStrictDecimals() {
        assertThat(CsvTable.number("-1.5e3")).isEqualTo(-1500.0);
        assertThat(CsvTable.number(".5")).isEqualTo(0.5);
        assertThat(CsvTable.number("7.")).isEqualTo(7.0);
        for (String s : List.of("Infinity", "NaN", "0x10", "1d", "1e", "+", ".", "1e400", "1 2", "")) {
            assertThat(CsvTable.number(s)).as(s).isNaN();
        }
        assertThat(CsvTable.isMissing("na")).isTrue();
        assertThat(CsvTable.isMissing("N/A")).isTrue();
        assertThat(CsvTable.isMissing("none")).isFalse();
    }

    @Test
    void specOptionsParseAndPrintCanonically() {
        CsvOptions o = CsvOptions.parse(DataSpec.parse("csv:/data/my,file.csv,label=y,ignore=a;b,missing=mask,val=0.25,seed=9"));
        assertThat(o.file()).isEqualTo(Path.of("/data/my,file.csv"));
        assertThat(o.ignore()).containsExactly("a", "b");
        assertThat(o.toSpec()).isEqualTo("csv:/data/my,file.csv,label=y,ignore=a;b,missing=mask,val=0.25,seed=9");
        assertThat(CsvOptions.parse(DataSpec.parse(o.toSpec()))).isEqualTo(o);
        assertThat(CsvOptions.parse(DataSpec.parse("csv:/d/x.csv")).toSpec()).isEqualTo("csv:/d/x.csv,missing=reject,val=0.1,seed=1");
        assertThatThrownBy(() -> CsvOptions.parse(DataSpec.parse("csv:x.csv,val=2"))).isInstanceOf(DataException.class)
                .hasMessage("csv:x.csv,val=2: val must be in [0,1], got 2.0");
        assertThatThrownBy(() -> CsvOptions.parse(DataSpec.parse("csv:x.csv,label=a,id=a"))).isInstanceOf(DataException.class)
                .hasMessageContaining("column 'a' is given more than one role");
        assertThatThrownBy(() -> CsvOptions.parse(DataSpec.parse("csv:x.csv,missing=drop"))).isInstanceOf(DataException.class)
                .hasMessage("csv:x.csv,missing=drop: missing must be reject or mask, got 'drop'");
        assertThatThrownBy(() -> CsvOptions.parse(DataSpec.parse("csv:"))).isInstanceOf(DataException.class)
                .hasMessageStartingWith("csv: missing file");
    }
}
