package org.vae4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process, as the tests' one way of calling {@link Main#run}. */
final class CliRun {
    private CliRun() {}

    /** Exit code and everything printed. */
    record Result(int code, String out, String err) {}

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }
}
