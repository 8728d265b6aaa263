package io.jpod.build.internal;

import java.util.List;
import java.util.Map;

/**
 * One Dockerfile instruction, before variables are substituted.
 *
 * @param keyword  the instruction in upper case ({@code RUN})
 * @param flags    its {@code --name=value} flags in order of appearance (name without dashes)
 * @param args     the JSON form's strings, or the shell form's text as one element
 * @param json     whether it was written in the JSON (exec) form
 * @param original the instruction as written, continuations joined
 * @param line     the line it starts on, from 1
 * @param onBuild  for ONBUILD, the instruction it registers; otherwise null
 */
record Instruction(String keyword, Map<String, String> flags, List<String> args, boolean json, String original,
        int line, Instruction onBuild) {

    /** The shell form's text (the JSON form's strings joined by spaces). */
    String text() {
        return String.join(" ", args);
    }
}
