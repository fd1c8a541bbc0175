package io.imserver.testing;

import java.util.ArrayList;
import java.util.List;

/** What a test opened (servers, proxies, clients), closed in reverse order when it ends: a field with {@code @AutoClose}. */
public final class Closer implements AutoCloseable {
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** @return {@code resource}, to be closed with this */
    public <T extends AutoCloseable> T add(T resource) {
        opened.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (var resource : opened.reversed()) {
            resource.close();
        }
        opened.clear();
    }
}
