package io.jpod.image.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/** {@code import}: a root filesystem tarball as a one-layer image, its config made here from the changes. */
final class TarballImporter {
    private final ArchiveSpool spool;
    private final ObjectMapper json;

    TarballImporter(ArchiveSpool spool, ObjectMapper json) {
        this.spool = spool;
        this.json = json;
    }

    /** The image to store; its name and changes are checked before the tarball is read. */
    Candidate read(InputStream tar, String reference, List<String> changes) {
        List<String> names = reference == null || reference.isBlank() ? List.of()
                : List.of(Names.normalize(reference, Names.LOCALHOST));
        ObjectNode config = json.createObjectNode();
        Changes.apply(json, config, changes);
        SpooledLayer layer = null;
        try {
            layer = spool.spool(tar, "the tarball");
            String now = Instant.now().toString();
            ObjectNode root = json.createObjectNode();
            root.put("created", now);
            root.put("architecture", Oci.arch());
            root.put("os", "linux");
            root.set("config", config);
            ObjectNode rootfs = root.putObject("rootfs");
            rootfs.put("type", "layers");
            rootfs.putArray("diff_ids").add(layer.diffId());
            ObjectNode history = root.putArray("history").addObject();
            history.put("created", now);
            history.put("created_by", "/bin/sh -c #(nop) ADD file:" + Digests.hex(layer.diffId()) + " in / ");
            history.put("comment", "imported from tarball");
            byte[] bytes = json.writeValueAsBytes(root);
            return new Candidate(Digests.sha256(bytes), bytes, List.of(layer), names);
        } catch (IOException | RuntimeException e) {
            if (layer != null) {
                layer.discard();
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new JpodException(ErrorCode.INVALID_ARG, "cannot read the tarball: " + e.getMessage() + ": "
                    + ErrorCode.INVALID_ARG.text(), e);
        }
    }
}
