package io.github.oauth2mail.testing;

import java.nio.file.Path;

/**
 * Makes GreenMail's SMTPS/IMAPS listeners present {@link TestCertificates} (for {@code localhost} and
 * {@code 127.0.0.1}) instead of its built-in certificate. GreenMail reads these system properties once per JVM, when
 * its first TLS listener starts: call {@link #certificates()} from a static initializer declared before the
 * {@code GreenMailExtension} field. Every test class uses the same directory, so the same key store.
 */
public final class GreenMailTls {

    private static final Path DIR = Path.of("target", "test-certs", "greenmail");

    private GreenMailTls() {
    }

    public static synchronized TestCertificates certificates() {
        TestCertificates certs = TestCertificates.in(DIR, "localhost", "127.0.0.1");
        String file = certs.serverKeyStore().toAbsolutePath().toString();
        String previous = System.getProperty("greenmail.tls.keystore.file");
        if (previous != null && !previous.equals(file)) {
            throw new IllegalStateException("greenmail.tls.keystore.file is already " + previous);
        }
        System.setProperty("greenmail.tls.keystore.file", file);
        System.setProperty("greenmail.tls.keystore.password", TestCertificates.PASSWORD);
        return certs;
    }
}
