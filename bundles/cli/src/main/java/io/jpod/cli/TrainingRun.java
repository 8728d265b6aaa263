package io.jpod.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The training run of bin/jpod-cli-cache: the command lines on standard input (one a line, words split at
 * spaces), one after another in this JVM, so that the class cache the JVM writes at exit holds what typical
 * commands load. Prints each line's exit code to standard error; exits 0 when every line exited 0.
 */
public final class TrainingRun {
    private TrainingRun() {
    }

    public static void main(String[] args) throws Exception {
        int failed = 0;
        PrintWriter err = new PrintWriter(System.err, true);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            int code = Main.execute(line.trim().split(" +"), err);
            err.println("jpod-cli-cache: exit " + code + ": jpod " + line.trim());
            if (code != 0) {
                failed++;
            }
        }
        System.out.flush();
        System.exit(failed == 0 ? 0 : 1);
    }
}
