package io.github.oauth2mail.jca;

import jakarta.resource.spi.ManagedConnectionMetaData;

/** Metadata of a pooled SMTP connection. */
final class MailMetaData implements ManagedConnectionMetaData {

    private final String mailbox;
    private final int maxConnections;

    MailMetaData(String mailbox, int maxConnections) {
        this.mailbox = mailbox;
        this.maxConnections = maxConnections;
    }

    @Override
    public String getEISProductName() {
        return "SMTP (XOAUTH2)";
    }

    @Override
    public String getEISProductVersion() {
        return "RFC 5321";
    }

    @Override
    public int getMaxConnections() {
        return maxConnections;
    }

    @Override
    public String getUserName() {
        return mailbox;
    }
}
