package io.jpod.image.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;

/** The bundle's one spelling of a refused argument: the detail, then podman's "invalid argument". */
final class ImageErrors {
    private ImageErrors() {
    }

    static JpodException invalid(String detail) {
        return new JpodException(ErrorCode.INVALID_ARG, detail + ": " + ErrorCode.INVALID_ARG.text());
    }
}
