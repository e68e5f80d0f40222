package io.github.oauth2mail.jca;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauth2mail.config.Setting;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** ra.xml, the factory's setters and the settings list agree, and no secret can be set as a pool property. */
class ResourceAdapterDescriptorTest {

    private static List<String> raXmlProperties() throws IOException {
        String xml = Files.readString(Path.of("src/main/rar/META-INF/ra.xml"));
        Matcher m = Pattern.compile("<config-property-name>([^<]+)</config-property-name>").matcher(xml);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void raXml_everyConfigProperty_hasStringSetterOnFactory() throws Exception {
        for (String name : raXmlProperties()) {
            Method setter = OAuth2MailManagedConnectionFactory.class.getMethod("set" + name, String.class);
            assertThat(setter).as("setter for " + name).isNotNull();
            Method getter = OAuth2MailManagedConnectionFactory.class.getMethod("get" + name);
            assertThat(getter.getReturnType()).isEqualTo(String.class);
        }
    }

    @Test
    void raXml_configProperties_areConfigNameAndNonSecretSettingsOnly() throws IOException {
        TreeSet<String> secretProps = new TreeSet<>();
        TreeSet<String> settingProps = new TreeSet<>();
        for (Setting s : Setting.values()) {
            (s.isSecret() ? secretProps : settingProps).add(s.poolProperty());
        }
        List<String> names = raXmlProperties();
        assertThat(names).contains("ConfigName");
        assertThat(names).doesNotContainAnyElementsOf(secretProps);
        for (String n : names) {
            if (!n.equals("ConfigName")) {
                assertThat(settingProps).as("ra.xml property " + n + " is a setting").contains(n);
            }
        }
    }

    @Test
    void raXml_everyNonSecretSetting_isAConfigPropertyOfBothConnectionDefinitions() throws IOException {
        List<String> names = raXmlProperties();
        for (Setting s : Setting.values()) {
            if (!s.isSecret()) {
                assertThat(names.stream().filter(s.poolProperty()::equals).count())
                        .as("ra.xml config-property " + s.poolProperty() + " (README: every non-secret key is a pool property)")
                        .isEqualTo(2);
            }
        }
    }

    @Test
    void factory_setProperty_changesEqualityLikeArtemis() {
        OAuth2MailManagedConnectionFactory a = new OAuth2MailManagedConnectionFactory();
        OAuth2MailManagedConnectionFactory b = new OAuth2MailManagedConnectionFactory();
        a.setConfigName("x");
        b.setConfigName("x");
        a.setSmtpHost("h");
        assertThat(a).isNotEqualTo(b);
        b.setSmtpHost("h");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }
}
