package io.github.oauth2mail.token;

import io.github.oauth2mail.config.ClientCertificate;
import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Secret;
import io.github.oauth2mail.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * SHA-256 digests of a resource's credentials, by the key that configures each ({@code client-secret},
 * {@code certificate-path}, ...): compared after a reload to tell which credentials changed. Holds no secret (only
 * digests) and shows none.
 */
final class CredentialMaterial {

    private final Map<String, byte[]> digests;

    private CredentialMaterial(Map<String, byte[]> digests) {
        this.digests = Collections.unmodifiableMap(digests);
    }

    /** The digests of the credentials {@code s} configures; key files are read from disk. */
    static CredentialMaterial of(ConnectorSettings s) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        s.clientSecret().ifPresent(x -> m.put(Setting.CLIENT_SECRET.key(), digest(x)));
        s.certificate().ifPresent(c -> m.put(Setting.CERTIFICATE_PATH.key(), digest(c)));
        s.secondaryClientSecret().ifPresent(x -> m.put(Setting.SECONDARY_CLIENT_SECRET.key(), digest(x)));
        s.secondaryCertificate().ifPresent(c -> m.put(Setting.SECONDARY_CERTIFICATE_PATH.key(), digest(c)));
        s.refreshToken().ifPresent(x -> m.put(Setting.REFRESH_TOKEN.key(), digest(x)));
        s.federatedTokenFile().ifPresent(p -> m.put(Setting.FEDERATED_TOKEN_FILE.key(), digest(p.toString())));
        s.managedIdentity().ifPresent(x -> m.put(Setting.MANAGED_IDENTITY.key(), digest(x)));
        s.signingKeyPath().ifPresent(p -> m.put(Setting.SIGNING_KEY_PATH.key(), fileDigest(p)));
        return new CredentialMaterial(m);
    }

    /** The keys whose credential differs from {@code before} (set, removed or changed), in configuration order. */
    List<String> changedSince(CredentialMaterial before) {
        Map<String, byte[]> all = new LinkedHashMap<>(before.digests);
        all.putAll(digests);
        return all.keySet().stream()
                .filter(k -> !Arrays.equals(digests.get(k), before.digests.get(k)))
                .collect(Collectors.toUnmodifiableList());
    }

    /** True when only {@code refresh-token} changed (the refresh token source is then kept; its token replaced). */
    static boolean onlyRefreshToken(List<String> changed) {
        return changed.equals(List.of(Setting.REFRESH_TOKEN.key()));
    }

    @Override
    public String toString() {
        return "CredentialMaterial" + digests.keySet();
    }

    private static byte[] digest(Secret s) {
        return digest(s.reveal());
    }

    private static byte[] digest(String s) {
        return sha256().digest(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] digest(ClientCertificate c) {
        MessageDigest d = sha256();
        d.update(c.privateKey().getEncoded() == null ? new byte[0] : c.privateKey().getEncoded());
        try {
            for (java.security.cert.X509Certificate x : c.chain()) {
                d.update(x.getEncoded());
            }
        } catch (GeneralSecurityException e) {
            d.update(Objects.toString(c.certificate().getSerialNumber()).getBytes(StandardCharsets.US_ASCII));
        }
        return d.digest();
    }

    /** The file's content; an unreadable file digests as its path plus "unreadable" (a change once it is readable). */
    private static byte[] fileDigest(Path p) {
        try {
            return sha256().digest(Files.readAllBytes(p));
        } catch (IOException e) {
            return digest("unreadable:" + p);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
