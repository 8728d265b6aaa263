package io.jpod.image.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** sha256 digests as images spell them: {@code sha256:<64 hex>} in descriptors, bare hex for IDs and files. */
final class Digests {
    static final String SHA256 = "sha256:";

    private Digests() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bare hex sha256 of {@code b}: an image ID when {@code b} is its config. */
    static String sha256(byte[] b) {
        return hex(sha256().digest(b));
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** The hex part of a digest, with or without its {@code sha256:}. */
    static String hex(String digest) {
        return digest.startsWith(SHA256) ? digest.substring(SHA256.length()) : digest;
    }
}
