package io.jpod.api;

/**
 * One step of a pull or a push, for the progress clients show (docker's JSON progress stream, podman's
 * "Copying blob" lines). Never carries credentials.
 *
 * @param kind      what happened
 * @param reference the fully qualified reference being pulled or pushed
 * @param id        the blob's or manifest's digest ({@code sha256:...}) the event is about; for
 *                  {@link Kind#STORED}, {@link Kind#UP_TO_DATE} the image ID; else null
 * @param current   bytes done, for {@link Kind#DOWNLOADING} and {@link Kind#UPLOADING}; else 0
 * @param total     the blob's size when known, else 0
 */
public record PullEvent(Kind kind, String reference, String id, long current, long total) {

    public enum Kind {
        /** A candidate reference is tried (podman's "Trying to pull ..."). */
        TRYING,
        /** The manifest was found; {@code id} is its digest. */
        RESOLVED,
        /** A layer is to be fetched ({@code id} the blob's digest, {@code total} its size). */
        LAYER_WAITING,
        /** A layer is stored already and is not fetched. */
        LAYER_EXISTS,
        /** Bytes of a layer or config have arrived. */
        DOWNLOADING,
        /** A blob was fetched and verified. */
        DOWNLOADED,
        /** A fetched layer is being put into the store. */
        EXTRACTING,
        /** A layer is in the store. */
        LAYER_DONE,
        /** The config is being fetched ({@code id} its digest). */
        CONFIG,
        /** The image was stored ({@code id} the image ID). */
        STORED,
        /** The image stored already is the registry's ({@code id} the image ID). */
        UP_TO_DATE,
        /** A blob is to be pushed. */
        PUSH_WAITING,
        /** The registry has the blob already: it is not sent. */
        PUSH_EXISTS,
        /** Bytes of a blob have been sent. */
        UPLOADING,
        /** A blob was pushed. */
        PUSHED,
        /** The manifest was written to the registry ({@code id} its digest). */
        MANIFEST_PUSHED
    }

    public static PullEvent of(Kind kind, String reference, String id) {
        return new PullEvent(kind, reference, id, 0, 0);
    }
}
