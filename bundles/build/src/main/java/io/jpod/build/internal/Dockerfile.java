package io.jpod.build.internal;

import java.util.List;

/**
 * A parsed Dockerfile: its instructions in order and the escape character its {@code # escape=} directive chose.
 */
record Dockerfile(List<Instruction> instructions, char escape) {
    Dockerfile {
        instructions = List.copyOf(instructions);
    }
}
