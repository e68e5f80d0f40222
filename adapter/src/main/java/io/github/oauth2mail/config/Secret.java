package io.github.oauth2mail.config;

import java.util.Objects;

/** A configured secret. Its {@link #toString()} is always {@code ****}; only {@link #reveal()} gives the value. */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    static Secret of(String value) {
        return value == null ? null : new Secret(value);
    }

    /** The value, for the one place that sends it to the identity provider. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret && ((Secret) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "****";
    }
}
