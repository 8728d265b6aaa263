package io.jpod.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** podman's rename: a container, running or not, gets a new name. */
@Command(name = "rename", description = "Rename an existing container")
final class RenameCommand extends Base {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;
    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    int run() {
        api().post("containers/" + Api.seg(container) + "/rename", Api.query("name", name), null);
        return 0;
    }
}
