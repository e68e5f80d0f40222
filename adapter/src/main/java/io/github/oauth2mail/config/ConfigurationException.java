package io.github.oauth2mail.config;

import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import java.util.List;

/**
 * The configuration of a connector resource is invalid. Lists every problem at once, each naming its full key; never
 * contains a secret value.
 */
public class ConfigurationException extends RuntimeException implements MailFailure {

    private static final long serialVersionUID = 1L;

    private final String configName;
    private final List<String> problems;

    public ConfigurationException(String configName, List<String> problems) {
        super(format(configName, problems));
        this.configName = configName;
        this.problems = List.copyOf(problems);
    }

    @Override
    public MessageId messageId() {
        return MessageId.CONFIGURATION_INVALID;
    }

    public String configName() {
        return configName;
    }

    /** Each problem, starting with the full key it concerns. */
    public List<String> problems() {
        return problems;
    }

    private static String format(String configName, List<String> problems) {
        StringBuilder sb = new StringBuilder(MessageId.CONFIGURATION_INVALID.message("Connector resource '")).append(configName)
                .append("' is not configured correctly (").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems").append("):");
        for (String p : problems) {
            sb.append("\n  - ").append(p);
        }
        return sb.toString();
    }
}
