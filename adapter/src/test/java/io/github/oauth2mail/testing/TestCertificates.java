package io.github.oauth2mail.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed test certificates made with the JDK's keytool: a server key store for {@code localhost} /
 * {@code 127.0.0.1} and a trust store that trusts it. Made once per directory.
 */
public final class TestCertificates {

    public static final String PASSWORD = "changeit";

    private final Path serverKeyStore;
    private final Path trustStore;

    private TestCertificates(Path serverKeyStore, Path trustStore) {
        this.serverKeyStore = serverKeyStore;
        this.trustStore = trustStore;
    }

    /**
     * {@code path} for this test JVM: a relative {@code target/...} path becomes {@code target/fork-<n>/...} when
     * surefire runs test classes in parallel JVMs ({@code test.fork}), so two JVMs never write one key store.
     */
    public static Path local(Path path) {
        String fork = System.getProperty("test.fork", "");
        if (fork.matches("fork-[0-9]+") && !path.isAbsolute() && path.startsWith("target")) {
            return Path.of("target", fork).resolve(Path.of("target").relativize(path));
        }
        return path;
    }

    /** PKCS#12 key store holding the server key ({@link #PASSWORD}), alias {@code server}. */
    public Path serverKeyStore() {
        return serverKeyStore;
    }

    /** PKCS#12 trust store ({@link #PASSWORD}) that trusts the server certificate. */
    public Path trustStore() {
        return trustStore;
    }

    /**
     * Creates (or reuses) the certificates in {@code dir}, for the given host names (DNS names and IPs). Surefire runs
     * test classes in parallel JVMs: a relative {@code target/...} folder is then one per JVM ({@code test.fork}), so
     * two JVMs never write one key store.
     */
    public static synchronized TestCertificates in(Path dir, String... names) {
        dir = local(dir);
        try {
            Files.createDirectories(dir);
            Path ks = dir.resolve("server.p12");
            Path ts = dir.resolve("trust.p12");
            Path cer = dir.resolve("server.cer");
            if (!Files.exists(ts)) {
                List<String> san = new ArrayList<>();
                String[] all = names.length == 0 ? new String[] {"localhost", "127.0.0.1"} : names;
                for (String n : all) {
                    san.add((n.matches("[0-9.]+|.*:.*") ? "ip:" : "dns:") + n);
                }
                keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                        "-dname", "CN=" + all[0], "-ext", "SAN=" + String.join(",", san), "-storetype", "PKCS12",
                        "-keystore", ks.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
                keytool("-exportcert", "-alias", "server", "-keystore", ks.toString(), "-storepass", PASSWORD,
                        "-file", cer.toString());
                keytool("-importcert", "-noprompt", "-alias", "server", "-file", cer.toString(), "-storetype", "PKCS12",
                        "-keystore", ts.toString(), "-storepass", PASSWORD);
            }
            return new TestCertificates(ks, ts);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create test certificates in " + dir, e);
        }
    }

    /** Server-side SSL context presenting the test certificate. */
    public SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(serverKeyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Client-side SSL context trusting only the test certificate. */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#12 trust store ({@link #PASSWORD}) at {@code file} trusting the server certificates of all of {@code certs}. */
    public static Path combinedTrustStore(Path file, TestCertificates... certs) {
        file = local(file);
        try {
            KeyStore combined = KeyStore.getInstance("PKCS12");
            combined.load(null, null);
            int n = 0;
            for (TestCertificates c : certs) {
                try (InputStream in = Files.newInputStream(c.trustStore())) {
                    KeyStore ks = KeyStore.getInstance("PKCS12");
                    ks.load(in, PASSWORD.toCharArray());
                    combined.setCertificateEntry("server" + n++, ks.getCertificate("server"));
                }
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (java.io.OutputStream out = Files.newOutputStream(file)) {
                combined.store(out, PASSWORD.toCharArray());
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
