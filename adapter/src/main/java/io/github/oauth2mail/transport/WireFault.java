package io.github.oauth2mail.transport;

import io.github.oauth2mail.failure.MailFailure;
import io.github.oauth2mail.failure.MessageId;
import java.io.IOException;

/**
 * The server broke the protocol or a bound of the {@link LineChannel} (a reply too long, codes that differ within one
 * reply, data while idle or after a STARTTLS reply): the connection is out of step and is discarded. The message is
 * operator-facing as it stands: it starts with its message ID and names the server, the stage and the bound.
 */
final class WireFault extends IOException implements MailFailure {

    private static final long serialVersionUID = 1L;

    private final MessageId messageId;

    /** @param text the message after the ID */
    WireFault(MessageId id, String text) {
        super(id.message(text));
        this.messageId = id;
    }

    @Override
    public MessageId messageId() {
        return messageId;
    }
}
