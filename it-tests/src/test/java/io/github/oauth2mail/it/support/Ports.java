package io.github.oauth2mail.it.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Listening ports for the servers the tests start, picked where nothing else takes them between the pick and the
 * server's bind: below Linux's ephemeral range (32768-60999 by default, {@code net.ipv4.ip_local_port_range}), which
 * outgoing connections draw their local ports from. A port from {@code new ServerSocket(0)} comes from that range, and
 * with IT classes running side by side (failsafe {@code it.forks}) another JVM's outgoing connection took one before
 * Payara Micro bound it ({@code BindException}). Random within the range, so two JVMs rarely pick the same port, and
 * checked free when picked.
 */
public final class Ports {

    private static final int LOW = 10_000;
    private static final int HIGH = 32_000;
    private static final int ATTEMPTS = 200;

    private Ports() {
    }

    /** A free port between 10000 and 32000. */
    public static int free() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOW + " and " + HIGH + " after " + ATTEMPTS + " tries");
    }

    /** An offset for which {@code base + offset} is free for every base port, all between 10000 and 32000. */
    public static int freeOffset(int... basePorts) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int p : basePorts) {
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        if (HIGH - max <= LOW - min) {
            throw new IllegalArgumentException("ports " + min + "-" + max + " do not fit between " + LOW + " and " + HIGH);
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int offset = ThreadLocalRandom.current().nextInt(LOW - min, HIGH - max);
            boolean free = true;
            for (int p : basePorts) {
                free &= isFree(p + offset);
            }
            if (free) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port offset for " + basePorts.length + " ports after " + ATTEMPTS + " tries");
    }

    /** True when a server socket can bind {@code port} now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
