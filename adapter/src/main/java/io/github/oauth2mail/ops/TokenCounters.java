package io.github.oauth2mail.ops;

import io.github.oauth2mail.token.TokenEvent;
import io.github.oauth2mail.token.TokenException;
import io.github.oauth2mail.token.TokenListener;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** Counts the token events of one connector resource and keeps the last token error. */
final class TokenCounters implements TokenListener {

    private final LongAdder acquired = new LongAdder();
    private final LongAdder refreshed = new LongAdder();
    private final LongAdder failTransient = new LongAdder();
    private final LongAdder failPermanent = new LongAdder();
    private final Map<String, LongAdder> failuresByCode = new ConcurrentHashMap<>();
    private final LongAdder invalidations = new LongAdder();
    private final LongAdder switches = new LongAdder();
    private volatile ErrorRecord lastError;

    @Override
    public void onEvent(TokenEvent e) {
        switch (e.type()) {
            case ACQUIRED:
                acquired.increment();
                break;
            case REFRESHED:
                refreshed.increment();
                break;
            case FAILED:
                TokenException t = e.error();
                (t != null && t.isPermanent() ? failPermanent : failTransient).increment();
                String code = t == null || t.errorCode() == null ? "unknown" : t.errorCode();
                failuresByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
                if (t != null) {
                    lastError = new ErrorRecord(code, t.correlationId(), e.at(), t.getMessage(), t);
                }
                break;
            case INVALIDATED:
                invalidations.increment();
                break;
            case CREDENTIAL_SWITCHED:
                switches.increment();
                break;
            default:
                break;
        }
    }

    long acquired() {
        return acquired.sum();
    }

    long refreshed() {
        return refreshed.sum();
    }

    long failedTransient() {
        return failTransient.sum();
    }

    long failedPermanent() {
        return failPermanent.sum();
    }

    /** e.g. {@code AADSTS7000215=2, io_error=1}, codes sorted. */
    String failuresByCode() {
        return new TreeMap<>(failuresByCode).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().sum())
                .collect(Collectors.joining(", "));
    }

    long invalidations() {
        return invalidations.sum();
    }

    long switches() {
        return switches.sum();
    }

    /** The last failed token request, or null. */
    ErrorRecord lastError() {
        return lastError;
    }
}
