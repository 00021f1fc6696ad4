package org.vae4j.lectures;

import java.util.List;
import java.util.Objects;

/**
 * Whether this run's measurements bear out one statement of the lectures, decided from the numbers by a stated rule
 * (see {@link LectureVerdicts} for the rules). The checks are the comparisons the rule combines; a caption says in
 * words which of them held.
 *
 * @param claim the lecture claim the statement belongs to
 * @param statement what was tested, as a sentence ("the KL term gathers the VAE's codes around the centre")
 * @param rule how the outcome follows from the checks ("in line with the claim only when both hold")
 * @param outcome the outcome
 * @param checks the comparisons, in a fixed order per statement
 */
public record Verdict(LectureClaim claim, String statement, String rule, Outcome outcome, List<Check> checks) {

    /** What the numbers say about a statement. */
    public enum Outcome {
        /** Every check the rule needs holds. */
        SUPPORTED("in line with the claim"),
        /** Some of the checks hold, others do not. */
        PARTLY_SUPPORTED("partly in line with the claim"),
        /** The numbers do not bear the statement out (none of its checks holds, or one contradicts it). */
        NOT_SUPPORTED("not supported"),
        /** This run cannot test the statement (one β only, no known factors). */
        NOT_MEASURED("not measured");

        private final String phrase;

        Outcome(String phrase) {
            this.phrase = phrase;
        }

        /**
         * The outcome in words.
         *
         * @return a phrase such as "not supported"
         */
        public String phrase() {
            return phrase;
        }
    }

    /**
     * One comparison of measured numbers.
     *
     * @param name a short name, unique within its verdict ({@link LectureVerdicts} has them as constants)
     * @param rule the comparison in words ("VAE coverage > autoencoder coverage")
     * @param result how it came out
     */
    public record Check(String name, String rule, Result result) {
        /** How a comparison came out. */
        public enum Result {
            /** The numbers go the way the claim says. */
            HOLDS,
            /** About the same, within the stated tolerance. */
            EVEN,
            /** The numbers go the other way. */
            FAILS
        }

        /**
         * Validates.
         *
         * @param name see the record
         * @param rule see the record
         * @param result see the record
         */
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(result, "result");
        }

        /**
         * A two-way comparison.
         *
         * @param name name
         * @param rule the comparison in words
         * @param holds whether it holds
         * @return {@link Result#HOLDS} or {@link Result#FAILS}
         */
        public static Check of(String name, String rule, boolean holds) {
            return new Check(name, rule, holds ? Result.HOLDS : Result.FAILS);
        }

        /**
         * Whether the numbers go the way the claim says.
         *
         * @return {@code result == HOLDS}
         */
        public boolean holds() {
            return result == Result.HOLDS;
        }
    }

    /**
     * Validates and copies the checks.
     *
     * @param claim see the record
     * @param statement see the record
     * @param rule see the record
     * @param outcome see the record
     * @param checks see the record
     */
    public Verdict {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(outcome, "outcome");
        checks = List.copyOf(checks);
    }

    /**
     * The check called {@code name}.
     *
     * @param name its name
     * @return the check
     * @throws IllegalArgumentException when the verdict has no such check
     */
    public Check check(String name) {
        for (Check c : checks) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("verdict '" + statement + "' has no check '" + name + "'");
    }

    /**
     * Whether the check called {@code name} holds.
     *
     * @param name its name
     * @return whether it holds
     */
    public boolean holds(String name) {
        return check(name).holds();
    }

    /**
     * Whether the statement was tested at all.
     *
     * @return {@code outcome != NOT_MEASURED}
     */
    public boolean measured() {
        return outcome != Outcome.NOT_MEASURED;
    }
}
