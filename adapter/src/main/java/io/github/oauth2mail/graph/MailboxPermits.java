package io.github.oauth2mail.graph;

import io.github.oauth2mail.config.ConnectorSettings;
import io.github.oauth2mail.config.Setting;
import io.github.oauth2mail.failure.AdapterMessagingException;
import io.github.oauth2mail.failure.MessageId;
import jakarta.mail.MessagingException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Graph mode's per-mailbox budget: at most {@link #PER_MAILBOX} requests of this resource at once for one mailbox
 * (Outlook's documented limit of concurrent requests per app and mailbox), waiting at most {@code pool-wait-ms} for
 * a slot. A slot is held only while one request runs, not while a send waits out a {@code Retry-After}.
 */
final class MailboxPermits {

    /** Outlook allows 4 concurrent requests per app per mailbox. */
    static final int PER_MAILBOX = 4;

    private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();

    void acquire(String mailbox, ConnectorSettings s) throws MessagingException {
        Semaphore slot = slots.computeIfAbsent(norm(mailbox), m -> new Semaphore(PER_MAILBOX));
        boolean taken;
        try {
            taken = slot.tryAcquire(s.poolWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("Interrupted while waiting for a Microsoft Graph request slot for " + mailbox, e);
        }
        if (!taken) {
            throw new AdapterMessagingException(MessageId.POOL_WAIT_EXCEEDED, "No Microsoft Graph request slot for "
                    + "mailbox " + mailbox + " became free within " + s.poolWait().toMillis() + " ms: all "
                    + PER_MAILBOX + " (Outlook's limit of concurrent requests per app and mailbox) are in use (raise "
                    + s.key(Setting.POOL_WAIT_MS) + " or send less in parallel)");
        }
    }

    void release(String mailbox) {
        Semaphore slot = slots.get(norm(mailbox));
        if (slot != null) {
            slot.release();
        }
    }

    /** Slots in use right now for {@code mailbox}. */
    int inUse(String mailbox) {
        Semaphore slot = slots.get(norm(mailbox));
        return slot == null ? 0 : PER_MAILBOX - slot.availablePermits();
    }

    private static String norm(String mailbox) {
        return mailbox.toLowerCase(Locale.ROOT);
    }
}
