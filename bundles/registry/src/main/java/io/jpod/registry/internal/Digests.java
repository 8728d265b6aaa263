package io.jpod.registry.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content digests ({@code sha256:<hex>}, {@code sha512:<hex>}) of bytes and streams. */
final class Digests {
    private Digests() {
    }

    /** A MessageDigest for {@code digest}'s algorithm; INVALID_ARG for one the distribution spec does not name. */
    static MessageDigest forDigest(String digest) {
        int colon = digest == null ? -1 : digest.indexOf(':');
        String alg = colon < 0 ? "" : digest.substring(0, colon);
        try {
            return switch (alg) {
                case "sha256" -> MessageDigest.getInstance("SHA-256");
                case "sha512" -> MessageDigest.getInstance("SHA-512");
                default -> throw new JpodException(ErrorCode.INVALID_ARG,
                        "unsupported digest \"" + digest + "\": only sha256 and sha512 are");
            };
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String algorithm(MessageDigest md) {
        return md.getAlgorithm().equals("SHA-512") ? "sha512" : "sha256";
    }

    static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest of {@code data} in the algorithm of {@code like}. */
    static String of(byte[] data, String like) {
        MessageDigest md = forDigest(like);
        return algorithm(md) + ":" + HexFormat.of().formatHex(md.digest(data));
    }
}
