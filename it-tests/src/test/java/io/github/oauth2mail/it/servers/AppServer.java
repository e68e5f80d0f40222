package io.github.oauth2mail.it.servers;

import java.net.URI;
import java.nio.file.Path;

/** A running application server with the sample app deployed, as the scenarios see it. */
public interface AppServer extends AutoCloseable {

    /** e.g. WildFly 38.0.1.Final */
    String description();

    /** {@code http://127.0.0.1:<port>/sample-app}. */
    URI sampleApp();

    /** Everything the server wrote so far: its console and its log files (where FINE/FINEST lines go). */
    String log();

    /** Where to read the log (a folder or a file) when an assertion fails. */
    Path logLocation();

    /** Milliseconds from process start until the server said it was started. */
    long startupMillis();

    @Override
    void close();
}
