package io.github.oauth2mail.jca;

import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.config.SettingsSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What makes two connection factories one connector resource: the ConfigName and every setting as the factory would
 * read it (MicroProfile Config wins over the pool's config-properties, as in {@code ConnectorSettings.load}). Equal
 * keys share one {@link ConnectorRuntime}; any difference (another mailbox, port, secret) gets a runtime of its own.
 * Secrets are part of the key (a rotated secret is a new resource) but never of {@link #toString()}.
 */
final class RuntimeKey {

    private final String configName;
    private final Map<Setting, String> values;

    private RuntimeKey(String configName, Map<Setting, String> values) {
        this.configName = configName;
        this.values = values;
    }

    static RuntimeKey of(String configName, SettingsSource source, Map<Setting, String> poolProperties) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            Optional<String> v = configName == null ? Optional.empty()
                    : source.get(s.fullKey(configName)).map(String::trim).filter(x -> !x.isEmpty());
            if (v.isEmpty()) {
                v = Optional.ofNullable(poolProperties.get(s)).map(String::trim).filter(x -> !x.isEmpty());
            }
            v.ifPresent(x -> values.put(s, x));
        }
        return new RuntimeKey(configName, Map.copyOf(values));
    }

    String configName() {
        return configName;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuntimeKey && Objects.equals(configName, ((RuntimeKey) o).configName)
                && values.equals(((RuntimeKey) o).values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(configName, values);
    }

    @Override
    public String toString() {
        return "RuntimeKey[" + configName + "]";
    }
}
