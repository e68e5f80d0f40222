package io.github.oauth2mail.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private key and its certificate chain, loaded from a PKCS#12 file (with password) or a PEM file holding an
 * unencrypted PKCS#8 {@code PRIVATE KEY} block and one or more {@code CERTIFICATE} blocks.
 */
public final class ClientCertificate {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    private ClientCertificate(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * Loads the file.
     *
     * @throws IllegalArgumentException with a message safe to show (names the file and the cause, never the password)
     */
    public static ClientCertificate load(Path path, Secret password) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read file " + path + " (" + e.getClass().getSimpleName() + ")");
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN ")) {
            return fromPem(path, text);
        }
        return fromPkcs12(path, bytes, password);
    }

    private static ClientCertificate fromPkcs12(Path path, byte[] bytes, Secret password) {
        char[] pw = password == null ? new char[0] : password.reveal().toCharArray();
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) ks.getKey(alias, pw);
                    List<X509Certificate> chain = new ArrayList<>();
                    for (java.security.cert.Certificate c : ks.getCertificateChain(alias)) {
                        chain.add((X509Certificate) c);
                    }
                    return new ClientCertificate(key, chain);
                }
            }
            throw new IllegalArgumentException("PKCS#12 file " + path + " holds no private key entry");
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password")) {
                throw new WrongPassword("wrong password for PKCS#12 file " + path);
            }
            throw new IllegalArgumentException("file " + path + " is neither PEM nor a readable PKCS#12 file");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use PKCS#12 file " + path + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static ClientCertificate fromPem(Path path, String text) {
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                switch (m.group(1)) {
                    case "PRIVATE KEY":
                        key = PemKeys.privateKey(der);
                        break;
                    case "CERTIFICATE":
                        chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
                        break;
                    case "ENCRYPTED PRIVATE KEY":
                    case "RSA PRIVATE KEY":
                    case "EC PRIVATE KEY":
                        throw new IllegalArgumentException("PEM file " + path + " has a " + m.group(1)
                                + " block; convert it to an unencrypted PKCS#8 PRIVATE KEY (openssl pkcs8 -topk8 -nocrypt)"
                                + " or use a PKCS#12 file with certificate-password");
                    default:
                        break;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("PEM file " + path + " is not valid (" + e.getClass().getSimpleName() + ")");
        }
        if (key == null) {
            throw new IllegalArgumentException("PEM file " + path + " has no PRIVATE KEY block");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("PEM file " + path + " has no CERTIFICATE block");
        }
        return new ClientCertificate(key, chain);
    }

    /** PKCS#8 private keys of the usual algorithms. */
    public static final class PemKeys {
        private PemKeys() {
        }

        /** Reads an unencrypted PKCS#8 private key (RSA or EC) from DER bytes. */
        public static PrivateKey privateKey(byte[] der) throws GeneralSecurityException {
            GeneralSecurityException last = null;
            for (String alg : new String[] {"RSA", "EC"}) {
                try {
                    return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException e) {
                    last = e;
                }
            }
            throw last;
        }

        /** Reads the PKCS#8 private key from a PEM file. */
        public static PrivateKey fromFile(Path path) {
            String text;
            try {
                text = Files.readString(path, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read file " + path + " (" + e.getClass().getSimpleName() + ")");
            }
            Matcher m = PEM.matcher(text);
            while (m.find()) {
                if (m.group(1).equals("PRIVATE KEY")) {
                    try {
                        return privateKey(Base64.getMimeDecoder().decode(m.group(2)));
                    } catch (GeneralSecurityException e) {
                        throw new IllegalArgumentException("PEM file " + path + " holds an unusable private key");
                    }
                }
            }
            throw new IllegalArgumentException("PEM file " + path + " has no unencrypted PKCS#8 PRIVATE KEY block");
        }
    }

    /** The PKCS#12 file's password is wrong (the problem is then the password key, not the path key). */
    static final class WrongPassword extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        WrongPassword(String message) {
            super(message);
        }
    }
}
