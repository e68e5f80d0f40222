package io.github.oauth2mail.ops;

import java.time.Instant;

/**
 * A failure as the metrics keep it: the code to search for, the identity provider's correlation id, when, the
 * (secret-free) message and the exception itself (for classification and fixes).
 */
record ErrorRecord(String code, String correlationId, Instant at, String message, Throwable cause) {

    /** A send, connect or probe failure, with code and correlation id extracted. */
    static ErrorRecord of(Throwable e, Instant at) {
        return new ErrorRecord(KnownFailures.code(e), KnownFailures.correlationId(e), at, e.getMessage(), e);
    }
}
