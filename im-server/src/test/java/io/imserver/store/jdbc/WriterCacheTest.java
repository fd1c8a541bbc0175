package io.imserver.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.store.StreamHead;
import io.imserver.store.User;
import org.junit.jupiter.api.Test;

class WriterCacheTest {

    @Test
    void trim_emptiesOnlyTheMapsPastTheirBound_andHeadsWithTheirKeys() {
        var cache = new WriterCache();
        for (long i = 0; i <= WriterCache.MAX_DIRECT_HEADS; i++) {
            var key = new WriterCache.DirectKey(1, i, i + 1);
            cache.directHeads.put(key, new StreamHead(i, 0));
            cache.directKeys.put(i, key);
        }
        cache.users.put(new WriterCache.UserKey(1, 1), new User(1, 1, "a", "", 0, "", "", 0, 0));
        cache.trim();
        assertThat(cache.directHeads).isEmpty();
        assertThat(cache.directKeys).isEmpty();
        assertThat(cache.users).hasSize(1);
    }
}
