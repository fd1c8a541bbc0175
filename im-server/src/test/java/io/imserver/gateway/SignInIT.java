package io.imserver.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.function.UnaryOperator;

import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sign-in over a real WebSocket: a good token signs in; every kind of bad token is refused with its code and 1008. */
class SignInIT {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        var admin = server.admin();
        secret = admin.putApp(1, "app one").get("secret").asText();
        admin.putUser(1, 1, "alice");
        admin.putUser(1, 2, "bob");
        admin.putUser(1, 3, "revoked");
        admin.putApp(2, "app two");
        admin.putUser(2, 1, "alice of app two");
    }

    static String secret;

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sign_withTokenFromAdminApi_succeeds_andHeartbeatIsAnswered() {
        try (var client = server.signIn(1, 1, 1)) {
            var hb = client.request("heartbeat", null);
            assertThat(hb.getCode()).isEqualTo(200);
            assertThat(hb.getMessage()).isEqualTo("ok");
        }
    }

    /** A token for app 1, user 1, device 1 signed with {@code algorithm} under {@code key}, with changed claims. */
    private static String token(JWSAlgorithm algorithm, byte[] key, UnaryOperator<JWTClaimsSet.Builder> claims)
            throws Exception {
        var now = Instant.now();
        var builder = new JWTClaimsSet.Builder().issuer("im-server").subject("1").claim("app", 1L).claim("dev", 1L)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)));
        var jwt = new SignedJWT(new JWSHeader(algorithm), claims.apply(builder).build());
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }

    private static byte[] appKey() {
        return Base64.getUrlDecoder().decode(secret);
    }

    /** Signs in with {@code token} as app 1, user 1, device 1; returns "code message" and the close status. */
    private static String refusal(String token) {
        try (var client = WsClient.connect(server.wsUrl())) {
            var reply = client.request("sign", null, WsClient.auth(1, 1, 1, token));
            var close = client.awaitClose(Duration.ofSeconds(5));
            assertThat(close).startsWith("1008");
            return reply.getCode() + " " + reply.getMessage();
        }
    }

    @Test
    void handMadeToken_withTheAppSecret_signsIn() throws Exception {
        try (var client = WsClient.connect(server.wsUrl())) {
            assertThat(client.request("sign", null, WsClient.auth(1, 1, 1, token(JWSAlgorithm.HS256, appKey(), c -> c)))
                    .getCode()).isEqualTo(200);
        }
    }

    @Test
    void tokenWithAWrongSignature_isRefusedWith401() throws Exception {
        var other = Base64.getUrlDecoder().decode(io.imserver.auth.TokenService.newSecret());
        assertThat(refusal(token(JWSAlgorithm.HS256, other, c -> c))).startsWith("401 token signature is not valid");
    }

    @Test
    void unsignedTokenWithAlgNone_isRefusedWith401() throws Exception {
        var real = token(JWSAlgorithm.HS256, appKey(), c -> c).split("\\.");
        var none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(UTF_8));
        assertThat(refusal(none + "." + real[1] + ".")).startsWith("401 ");
    }

    @Test
    void tokenSignedWithAnotherAlgorithm_isRefusedWith401() throws Exception {
        assertThat(refusal(token(JWSAlgorithm.HS512, Arrays.copyOf(appKey(), 64), c -> c)))
                .isEqualTo("401 token algorithm HS512 is not accepted");
    }

    @Test
    void expiredToken_isRefusedWith419() throws Exception {
        var expired = token(JWSAlgorithm.HS256, appKey(),
                c -> c.expirationTime(Date.from(Instant.now().minusSeconds(60))));
        assertThat(refusal(expired)).startsWith("419 token expired at");
    }

    @Test
    void tokenNotYetValid_isRefusedWith401() throws Exception {
        var early = token(JWSAlgorithm.HS256, appKey(), c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(600))));
        assertThat(refusal(early)).startsWith("401 token is not valid before");
    }

    @Test
    void tokenOfAnotherApp_isRefusedWith401() {
        var appTwo = server.admin().token(2, 1, 1, 3600);
        assertThat(refusal(appTwo)).startsWith("401 ");
    }

    @Test
    void revokedToken_isRefusedWith401_andALaterOneSignsIn() throws Exception {
        var admin = server.admin();
        var old = admin.token(1, 3, 1, 3600);
        Thread.sleep(5); // revocation is by the ms of issue: the token must be older than it
        assertThat(admin.call("POST", "/api/v1/apps/1/users/3/revoke-tokens", null).status()).isEqualTo(200);
        try (var client = WsClient.connect(server.wsUrl())) {
            var reply = client.request("sign", null, WsClient.auth(1, 3, 1, old));
            assertThat(reply.getCode() + " " + reply.getMessage()).startsWith("401 token was revoked");
            assertThat(client.awaitClose(Duration.ofSeconds(5))).startsWith("1008");
        }
        Thread.sleep(5);
        server.signIn(1, 3, 1).close();
    }
}
