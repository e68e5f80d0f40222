package io.github.oauth2mail.jca;

import io.github.oauth2mail.transport.SmtpSendException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Which failed sends are sent again inside {@code Transport.send}, and when. Applications that send through a
 * server's mail Session do not retry, so a temporary refusal that reaches them is a lost mail; the adapter retries it
 * while {@code send-deadline-ms} allows, and only where a reply proves the server did not accept the message.
 */
final class SendRetry {

    static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** Sleeps for the given milliseconds (the real one is {@link Thread#sleep}; tests advance a fake clock). */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    static final Sleeper REAL_SLEEP = Thread::sleep;

    private final Clock clock;
    private final Sleeper sleeper;
    private final LongUnaryOperator jitter;

    /** {@code jitter} maps a back-off bound (ms) to the back-off used, between half of it and all of it. */
    SendRetry(Clock clock, Sleeper sleeper, LongUnaryOperator jitter) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.jitter = jitter;
    }

    static SendRetry real() {
        return new SendRetry(Clock.systemUTC(), REAL_SLEEP,
                bound -> bound / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(bound / 2 + 1));
    }

    Clock clock() {
        return clock;
    }

    /**
     * True when {@code e} is a temporary refusal that a server reply proves was not accepted: a 4xx reply to MAIL FROM,
     * to the recipients (all of the refusals temporary: nothing is sent to anyone then), to DATA or to the final dot.
     * Never when delivery is unknown (no reply after the final dot), never for a 5xx, never for input the adapter
     * refused itself (no reply at all).
     */
    static boolean retryable(SmtpSendException e) {
        return e.replyCode() >= 400 && e.replyCode() < 500 && e.temporary() && !e.deliveryUnknown();
    }

    /** True when the server refused the session as one too many for the mailbox ({@code 432 4.3.2}). */
    static boolean tooManySessions(SmtpSendException e) {
        return e.replyCode() == 432;
    }

    /** The back-off before attempt {@code attempt + 1}: exponential from 50 ms, at most 5 s, jittered. */
    long backoffMillis(int attempt) {
        long bound = FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 16);
        return jitter.applyAsLong(Math.min(bound, MAX_BACKOFF.toMillis()));
    }

    /** Waits {@code millis}; false (interrupt flag kept) when interrupted. */
    boolean pause(long millis) {
        try {
            sleeper.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
