package io.jpod.rest.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A request body that must be a tar archive, plain or compressed: its first header is checked before anything is
 * made of it, so that bytes of another kind are the client's error (400), not a layer that cannot be extracted.
 */
final class TarUploads {
    private static final int BLOCK = 512;

    private TarUploads() {
    }

    /** The body, read from its start again; an empty one stays empty, as podman imports it. */
    static InputStream requireTar(InputStream body, String what) throws IOException {
        BufferedInputStream in = new BufferedInputStream(body, 2 * BLOCK);
        in.mark(BLOCK);
        byte[] head = in.readNBytes(BLOCK);
        in.reset();
        if (head.length > 0 && !compressed(head) && !(head.length == BLOCK && tarHeader(head))) {
            throw ApiException.badRequest(what + " is not a tar archive (plain, gzip, bzip2, xz or zstd): send one, "
                    + "such as tar -c makes");
        }
        return in;
    }

    private static boolean compressed(byte[] h) {
        return starts(h, 0x1f, 0x8b) || starts(h, 'B', 'Z', 'h') || starts(h, 0xfd, '7', 'z', 'X', 'Z', 0)
                || starts(h, 0x28, 0xb5, 0x2f, 0xfd);
    }

    private static boolean starts(byte[] h, int... magic) {
        if (h.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((h[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** A header block whose checksum adds up (unsigned or, as old tars wrote it, signed), or the end block. */
    static boolean tarHeader(byte[] h) {
        long unsigned = 0;
        long signed = 0;
        boolean zero = true;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : h[i];
            unsigned += b & 0xff;
            signed += b;
            zero &= h[i] == 0;
        }
        if (zero) {
            return true;
        }
        String field = new String(h, 148, 8, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
        if (!field.matches("[0-7]{1,8}")) {
            return false;
        }
        long sum = Long.parseLong(field, 8);
        return sum == unsigned || sum == signed;
    }
}
