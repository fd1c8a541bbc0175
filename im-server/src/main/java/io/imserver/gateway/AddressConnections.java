package io.imserver.gateway;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the open connections of each remote address and refuses one more than the limit: a flood from one address
 * cannot take every socket of the node. The address is the TCP peer's; {@code X-Forwarded-For} is not trusted, so
 * behind a proxy every client shares the proxy's address (raise the limit there).
 */
final class AddressConnections {
    private final int maxPerAddress;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    AddressConnections(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts a new connection: false (and not counted) when the address already holds the maximum. */
    boolean tryOpen(InetAddress address) {
        var admitted = new boolean[1];
        open.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            admitted[0] = count < maxPerAddress;
            return admitted[0] ? count + 1 : n;
        });
        return admitted[0];
    }

    /** A connection counted by {@link #tryOpen} closed. */
    void closed(InetAddress address) {
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
}
