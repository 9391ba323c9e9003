package io.herald.console;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;

/**
 * Sign-ins per client, a token bucket each: a client may give {@link #ATTEMPTS} wrong operator tokens in a row, then
 * one more every {@link #REFILL}; until then its sign-ins are refused without the token being looked at. A right token
 * gives its attempt back: signing in costs no attempt and is never delayed. A client is its remote address, an IPv6 one by
 * its /64 (one host's share). At most {@link #CLIENTS} are remembered: when a new one comes, the clients whose bucket
 * is full again are forgotten, and if none is, the one whose last attempt is oldest.
 *
 * <p>Each bucket is one instant, the time at which it is full again (the generic cell rate algorithm's theoretical
 * arrival time): an attempt moves it {@link #REFILL} later, and is allowed while that stays within {@code ATTEMPTS *
 * REFILL} of now.
 */
final class SignInThrottle {
    static final int ATTEMPTS = 5;
    static final Duration REFILL = Duration.ofMinutes(1);
    static final int CLIENTS = 10_000;
    private static final Duration BURST = REFILL.multipliedBy(ATTEMPTS);

    private final Clock clock;
    /** When each client's bucket is full again, the client whose last attempt is oldest first. */
    private final LinkedHashMap<String, Instant> full = new LinkedHashMap<>();

    SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * Takes an attempt for {@code client}: {@link Duration#ZERO} when it may try a token, else how long until it may
     * (its {@code Retry-After}).
     */
    synchronized Duration attempt(String client) {
        var now = clock.instant();
        var from = full.getOrDefault(client, now);
        var next = (from.isBefore(now) ? now : from).plus(REFILL);
        var wait = Duration.between(now.plus(BURST), next);
        if (wait.compareTo(Duration.ZERO) > 0) {
            return wait;
        }
        if (!full.containsKey(client) && full.size() >= CLIENTS) {
            makeRoom(now);
        }
        full.remove(client);
        full.put(client, next);
        return Duration.ZERO;
    }

    /** The attempt of a right token, given back. */
    synchronized void succeeded(String client) {
        var from = full.get(client);
        if (from != null) {
            var back = from.minus(REFILL);
            if (back.isAfter(clock.instant())) {
                full.put(client, back);
            } else {
                full.remove(client);
            }
        }
    }

    /** Clients remembered. */
    synchronized int clients() {
        return full.size();
    }

    private void makeRoom(Instant now) {
        full.values().removeIf(at -> !at.isAfter(now));
        if (full.size() >= CLIENTS) {
            var eldest = full.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /**
     * The client a request comes from: its remote address ({@code X-Forwarded-For} is not read: anyone can send it),
     * an IPv6 address cut to its /64.
     */
    static String client(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isEmpty()) {
            return "unknown";
        }
        if (remoteAddress.indexOf(':') < 0) {
            return remoteAddress;
        }
        try {
            // a literal address: nothing is looked up
            var address = InetAddress.getByName(remoteAddress).getAddress();
            if (address.length == 4) {
                return InetAddress.getByAddress(address).getHostAddress();
            }
            var prefix = Arrays.copyOf(address, 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            return remoteAddress;
        }
    }
}
