package io.imserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.AdminClient;
import io.imserver.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin HTTP API against a real server: auth, apps, users, tokens, groups, health and metrics. */
class AdminApiIT {
    static TestServer server;
    static AdminClient admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyApiCall_needsTheAdminToken() {
        assertThat(admin.call("GET", "/api/v1/apps/1", null, null).status()).isEqualTo(401);
        var wrong = admin.call("PUT", "/api/v1/apps/1", Map.of("name", "x"), "not-the-token");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body().get("error").asText()).contains("admin token");
    }

    @Test
    void putApp_returnsItsSecret_andRepeatedPutRenamesButKeepsTheSecret() {
        var created = admin.call("PUT", "/api/v1/apps/10", Map.of("name", "first"));
        assertThat(created.status()).isEqualTo(200);
        var secret = created.body().get("secret").asText();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
        var renamed = admin.call("PUT", "/api/v1/apps/10", Map.of("name", "second")).body();
        assertThat(renamed.get("name").asText()).isEqualTo("second");
        assertThat(renamed.get("secret").asText()).isEqualTo(secret);
        assertThat(admin.call("GET", "/api/v1/apps/10", null).body().get("name").asText()).isEqualTo("second");
    }

    @Test
    void users_areCreatedUpdatedAndRead() {
        admin.putApp(11, "users app");
        var put = admin.call("PUT", "/api/v1/apps/11/users/5", Map.of("nickname", "Ann", "avatar_url", "https://a/x.png",
                "sex", 2, "sign", "hi", "account", "ann"));
        assertThat(put.status()).isEqualTo(200);
        admin.call("PUT", "/api/v1/apps/11/users/5", Map.of("nickname", "Anna", "sex", 2));
        var got = admin.call("GET", "/api/v1/apps/11/users/5", null).body();
        assertThat(got.get("nickname").asText()).isEqualTo("Anna");
        assertThat(got.get("sex").asInt()).isEqualTo(2);
        assertThat(got.get("user_id").asLong()).isEqualTo(5);
    }

    @Test
    void unknownAppUserGroupOrMember_is404() {
        admin.putApp(12, "app");
        admin.putUser(12, 1, "owner");
        assertThat(admin.call("GET", "/api/v1/apps/999", null).status()).isEqualTo(404);
        assertThat(admin.call("PUT", "/api/v1/apps/999/users/1", Map.of("nickname", "x")).status()).isEqualTo(404);
        assertThat(admin.call("GET", "/api/v1/apps/12/users/2", null).status()).isEqualTo(404);
        assertThat(admin.call("POST", "/api/v1/apps/12/tokens", Map.of("user_id", 2, "device_id", 1, "ttl_seconds", 60)).status()).isEqualTo(404);
        assertThat(admin.call("GET", "/api/v1/apps/12/groups/424242", null).status()).isEqualTo(404);
        long group = admin.createGroup(12, "g", 1, List.of());
        assertThat(admin.call("DELETE", "/api/v1/apps/12/groups/" + group + "/members/77", null).status())
                .isEqualTo(404);
        assertThat(admin.call("GET", "/api/v1/nothing", null).status()).isEqualTo(404);
    }

    @Test
    void badJsonOrBadValues_is400() {
        admin.putApp(13, "app");
        admin.putUser(13, 1, "u");
        assertThat(admin.call("PUT", "/api/v1/apps/13", "{not json").status()).isEqualTo(400);
        assertThat(admin.call("PUT", "/api/v1/apps/13", "[1,2]").status()).isEqualTo(400);
        assertThat(admin.call("PUT", "/api/v1/apps/13", Map.of("name", "")).status()).isEqualTo(400);
        assertThat(admin.call("PUT", "/api/v1/apps/13/users/1", Map.of("sex", 9)).status()).isEqualTo(400);
        assertThat(admin.call("PUT", "/api/v1/apps/13/users/1", Map.of("nickname", 5)).status()).isEqualTo(400);
        var nul = admin.call("PUT", "/api/v1/apps/13/users/1", Map.of("nickname", "a\u0000b"));
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.text()).contains("NUL");
        assertThat(admin.call("GET", "/api/v1/apps/13/users/1", null).body().get("nickname").asText()).isEqualTo("u");
        assertThat(admin.call("POST", "/api/v1/apps/13/tokens", Map.of("user_id", 1, "device_id", 1, "ttl_seconds", 0)).status()).isEqualTo(400);
        assertThat(admin.call("POST", "/api/v1/apps/13/tokens", Map.of("user_id", 1, "device_id", 0, "ttl_seconds", 60)).status()).isEqualTo(400);
        assertThat(admin.call("POST", "/api/v1/apps/13/groups", Map.of("name", "g", "owner_id", 1, "member_ids", "2,3")).status()).isEqualTo(400);
        var bad = admin.call("PUT", "/api/v1/apps/13/groups/1/members/1", Map.of("role", "king"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(admin.call("DELETE", "/api/v1/apps/13", null).status()).isEqualTo(405);
    }

    @Test
    void token_carriesItsExpiryInUnixSeconds() {
        admin.putApp(14, "app");
        admin.putUser(14, 1, "u");
        long before = System.currentTimeMillis() / 1000;
        var body = admin.call("POST", "/api/v1/apps/14/tokens", Map.of("user_id", 1, "device_id", 3, "ttl_seconds", 600)).body();
        assertThat(body.get("token").asText()).contains(".");
        assertThat(body.get("expires_at").asLong()).isBetween(before + 600, before + 602);
    }

    @Test
    void groups_haveAnOwner_membersWithRoles_andMembershipChanges() {
        admin.putApp(15, "app");
        for (long u = 1; u <= 4; u++) {
            admin.putUser(15, u, "u" + u);
        }
        long group = admin.createGroup(15, "team", 1, List.of(1L, 2L, 3L));
        var details = admin.call("GET", "/api/v1/apps/15/groups/" + group, null).body();
        assertThat(details.get("name").asText()).isEqualTo("team");
        assertThat(details.get("owner_id").asLong()).isEqualTo(1);
        assertThat(details.get("members")).hasSize(3);
        assertThat(details.get("members").get(0).get("role").asText()).isEqualTo("owner");

        var promoted = admin.call("PUT", "/api/v1/apps/15/groups/" + group + "/members/2",
                Map.of("role", "admin", "label", "boss"));
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.body().get("role").asText()).isEqualTo("admin");
        admin.putMember(15, group, 4);
        admin.removeMember(15, group, 3);
        var after = admin.call("GET", "/api/v1/apps/15/groups/" + group, null).body().get("members");
        assertThat(after).extracting(m -> m.get("user_id").asLong()).containsExactly(1L, 2L, 4L);
        assertThat(after.get(1).get("label").asText()).isEqualTo("boss");
        assertThat(admin.call("DELETE", "/api/v1/apps/15/groups/" + group + "/members/1", null).status())
                .isEqualTo(400);
    }

    @Test
    void healthz_andMetrics_needNoToken() {
        var health = admin.call("GET", "/healthz", null, null);
        assertThat(health.status()).isEqualTo(200);
        var metrics = admin.call("GET", "/metrics", null, null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("im_connections", "jvm_memory_used_bytes", "process_resident_memory_bytes");
    }

    @Test
    void metrics_showWhereAWriteSpentItsTime_asHistograms() {
        assertThat(admin.call("PUT", "/api/v1/apps/7", Map.of("name", "metered")).status())
                .isEqualTo(200);

        var text = admin.call("GET", "/metrics", null, null).text();

        for (var histogram : List.of("im_store_write_seconds", "im_store_write_queued_seconds",
                "im_store_write_committing_seconds", "im_store_write_completing_seconds", "im_store_commit_seconds",
                "im_store_commit_call_seconds", "im_store_batch")) {
            assertThat(text).contains(histogram + "_bucket{le=\"+Inf\"}");
            assertThat(count(text, histogram)).as(histogram).isPositive();
        }
    }

    /** The {@code _count} of a histogram in a Prometheus text. */
    private static double count(String text, String histogram) {
        return text.lines().filter(l -> l.startsWith(histogram + "_count "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
    }
}
