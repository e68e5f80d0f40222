package io.github.oauth2mail.token;

import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.MessageId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Reads the workload identity federation assertion (e.g. the Kubernetes service account token that the kubelet
 * rotates) from its file on every token request.
 */
final class FederatedAssertion implements Callable<String> {

    private final Path file;

    FederatedAssertion(Path file) {
        this.file = file;
    }

    @Override
    public String call() {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (s.isEmpty()) {
                throw new AssertionUnreadable(file, "is empty", null);
            }
            return s;
        } catch (IOException e) {
            throw new AssertionUnreadable(file, "cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    @Override
    public String toString() {
        return "FederatedAssertion[" + file + "]";
    }

    /** The file could not be used; carried through MSAL4J to {@link MsalCalls#map}. */
    static final class AssertionUnreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AssertionUnreadable(Path file, String what, Throwable cause) {
            super("federated token file " + file + " " + what, cause);
        }

        TokenException toTokenException(SourceContext ctx) {
            // transient: the file is rewritten in place by the platform and may briefly be missing
            return new TokenException(MessageId.TOKEN_REQUEST_LOCAL_PROBLEM, TokenException.Kind.TRANSIENT,
                    "Connector resource '" + ctx.resource()
                    + "' cannot request an access token from " + ctx.describe() + ": " + getMessage() + "; check "
                    + ctx.key(Setting.FEDERATED_TOKEN_FILE), "local_error", null, this);
        }
    }
}
