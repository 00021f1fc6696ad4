package org.vae4j.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Selects records by class label: keep only some labels, or drop some. Labels are given by name (as in
 * {@link ArrayDataset#labelNames()}) or by number.
 *
 * @param only labels to keep (empty: keep all)
 * @param exclude labels to drop (empty: drop none)
 */
public record LabelFilter(List<String> only, List<String> exclude) {
    /** Keeps everything. */
    public static final LabelFilter NONE = new LabelFilter(List.of(), List.of());

    /** Validates: at most one of the two lists is non-empty; no blank entries. */
    public LabelFilter {
        only = only == null ? List.of() : List.copyOf(only);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        if (!only.isEmpty() && !exclude.isEmpty()) {
            throw new IllegalArgumentException("give --only-labels or --exclude-labels, not both");
        }
        for (String s : only.isEmpty() ? exclude : only) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("label names must not be blank");
            }
        }
    }

    /** Whether this filter keeps every record. */
    public boolean isNone() {
        return only.isEmpty() && exclude.isEmpty();
    }

    /**
     * Applies the filter to both splits.
     *
     * @throws IllegalArgumentException if the data are unlabelled, a label is unknown (the message lists the valid
     *     ones) or a split is left empty
     */
    public DataSplits apply(DataSplits splits) {
        if (isNone()) {
            return splits;
        }
        return new DataSplits(apply(splits.train(), "train"), apply(splits.test(), "test"));
    }

    /** Applies the filter to one data set; {@code what} names it in messages. */
    public Dataset apply(Dataset ds, String what) {
        if (isNone()) {
            return ds;
        }
        String option = only.isEmpty() ? "--exclude-labels" : "--only-labels";
        Set<Integer> chosen = resolve(ds, only.isEmpty() ? exclude : only, option);
        boolean keepChosen = !only.isEmpty();
        int[] labels = ds.labels();
        int[] keep = new int[ds.size()];
        int k = 0;
        for (int i = 0; i < ds.size(); i++) {
            if (chosen.contains(labels[i]) == keepChosen) {
                keep[k++] = i;
            }
        }
        if (k == 0) {
            throw new IllegalArgumentException(ds.name() + " (" + what + "): no records left after " + option + " "
                    + String.join(",", only.isEmpty() ? exclude : only));
        }
        if (k == ds.size()) {
            return ds;
        }
        return withStableIds(ds).subset(java.util.Arrays.copyOf(keep, k));
    }

    // records without ids of their own are known by their index; keep the original index as the id of a selected
    // record so that files keyed by id (sample weights, scores) refer to the same record before and after filtering
    private static Dataset withStableIds(Dataset d) {
        if (!(d instanceof ArrayDataset ds) || ds.hasIds()) {
            return d; // other implementations carry ids (file names) of their own
        }
        List<String> ids = new ArrayList<>(ds.size());
        for (int i = 0; i < ds.size(); i++) {
            ids.add(Integer.toString(i));
        }
        return new ArrayDataset(ds.name(), ds.data(), ds.shape(), ds.labels(), ds.labelNames(), ds.factors(), ids);
    }

    /**
     * Resolves label names or numbers to label values.
     *
     * @param option the option's name, for messages
     * @throws IllegalArgumentException if the data are unlabelled or a label is unknown, listing the valid ones
     */
    public static Set<Integer> resolve(Dataset ds, List<String> names, String option) {
        if (!ds.hasLabels()) {
            throw new IllegalArgumentException(option + " needs labelled data, but " + ds.name() + " has no labels");
        }
        List<String> labelNames = ds.labelNames();
        Set<Integer> out = new HashSet<>();
        for (String raw : names) {
            String s = raw.trim();
            int idx = labelNames.indexOf(s);
            if (idx < 0) {
                idx = number(s, labelNames.isEmpty() ? Integer.MAX_VALUE : labelNames.size());
            }
            if (idx < 0) {
                throw new IllegalArgumentException(option + ": unknown label '" + s + "' in " + ds.name() + "; valid: "
                        + valid(ds));
            }
            out.add(idx);
        }
        return out;
    }

    private static int number(String s, int limit) {
        try {
            int v = Integer.parseInt(s);
            return v >= 0 && v < limit ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String valid(Dataset ds) {
        if (!ds.labelNames().isEmpty()) {
            List<String> v = new ArrayList<>();
            for (int i = 0; i < ds.labelNames().size(); i++) {
                v.add(ds.labelNames().get(i) + (ds.labelNames().get(i).equals(Integer.toString(i)) ? "" : " (" + i + ")"));
            }
            return String.join(", ", v);
        }
        int max = 0;
        for (int l : ds.labels()) {
            max = Math.max(max, l);
        }
        return "0.." + max;
    }
}
