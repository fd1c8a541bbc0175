package io.imserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.ImException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
    static final String SECRET_1 = TokenService.newSecret();
    static final String SECRET_2 = TokenService.newSecret();
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    static TokenService at(Instant instant) {
        var secrets = Map.of(1L, SECRET_1, 2L, SECRET_2);
        return new TokenService(app -> Optional.ofNullable(secrets.get(app)), Clock.fixed(instant, ZoneOffset.UTC));
    }

    static ErrorCode codeOf(Runnable r) {
        try {
            r.run();
        } catch (ImException e) {
            return e.code();
        }
        throw new AssertionError("expected a refusal");
    }

    @Test
    void issuedToken_verifiesForExactlyItsAppUserAndDevice() {
        var token = at(NOW).issue(1, SECRET_1, 7, 3, Duration.ofHours(1));
        assertThat(token.expiresAt()).isEqualTo(NOW.getEpochSecond() + 3600);
        assertThat(at(NOW).verify(1, 7, 3, token.token())).isEqualTo(new Identity(1, 7, 3));
        assertThat(codeOf(() -> at(NOW).verify(1, 8, 3, token.token()))).isEqualTo(ErrorCode.TOKEN_INVALID);
        assertThat(codeOf(() -> at(NOW).verify(1, 7, 4, token.token()))).isEqualTo(ErrorCode.TOKEN_INVALID);
        assertThat(codeOf(() -> at(NOW).verify(2, 7, 3, token.token()))).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void token_signedWithAnotherSecret_isRefused() {
        var forged = at(NOW).issue(1, SECRET_2, 7, 3, Duration.ofHours(1));
        assertThatThrownBy(() -> at(NOW).verify(1, 7, 3, forged.token()))
                .isInstanceOf(ImException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void tamperedPayload_isRefused() {
        var token = at(NOW).issue(1, SECRET_1, 7, 3, Duration.ofHours(1)).token();
        var parts = token.split("\\.");
        var other = at(NOW).issue(1, SECRET_1, 8, 3, Duration.ofHours(1)).token().split("\\.");
        var spliced = parts[0] + "." + other[1] + "." + parts[2];
        assertThat(codeOf(() -> at(NOW).verify(1, 8, 3, spliced))).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void expiry_isExact_withFiveSecondsOfSkewAtMost() {
        var token = at(NOW).issue(1, SECRET_1, 7, 3, Duration.ofSeconds(60)).token();
        assertThat(at(NOW.plusSeconds(64)).verify(1, 7, 3, token)).isNotNull();
        assertThat(codeOf(() -> at(NOW.plusSeconds(66)).verify(1, 7, 3, token))).isEqualTo(ErrorCode.TOKEN_EXPIRED);
    }

    @Test
    void garbage_unknownApp_andMissingToken_areRefused() {
        assertThat(codeOf(() -> at(NOW).verify(1, 7, 3, "not-a-jwt"))).isEqualTo(ErrorCode.TOKEN_INVALID);
        assertThat(codeOf(() -> at(NOW).verify(1, 7, 3, ""))).isEqualTo(ErrorCode.TOKEN_INVALID);
        var token = at(NOW).issue(9, SECRET_1, 7, 3, Duration.ofHours(1)).token();
        assertThat(codeOf(() -> at(NOW).verify(9, 7, 3, token))).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void unsignedJwt_withAlgNone_isRefused() {
        var header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        var payload = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"app\":1,\"sub\":\"7\",\"dev\":3,\"exp\":9999999999}".getBytes());
        assertThat(codeOf(() -> at(NOW).verify(1, 7, 3, header + "." + payload + "."))).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    /** A token with these claims for app 1, user 7, device 3, signed with {@code algorithm} under {@code key}. */
    static String signed(com.nimbusds.jose.JWSAlgorithm algorithm, byte[] key,
                         java.util.function.UnaryOperator<com.nimbusds.jwt.JWTClaimsSet.Builder> claims) throws Exception {
        var builder = new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("im-server").subject("7").claim("app", 1L)
                .claim("dev", 3L).issueTime(java.util.Date.from(NOW))
                .expirationTime(java.util.Date.from(NOW.plusSeconds(3600)));
        var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader(algorithm), claims.apply(builder).build());
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(key));
        return jwt.serialize();
    }

    static byte[] key(String secret) {
        return java.util.Base64.getUrlDecoder().decode(secret);
    }

    @Test
    void handMadeHs256Token_withTheAppSecret_isAccepted() throws Exception {
        var token = signed(com.nimbusds.jose.JWSAlgorithm.HS256, key(SECRET_1), c -> c);
        assertThat(at(NOW).verify(1, 7, 3, token)).isEqualTo(new Identity(1, 7, 3));
    }

    @Test
    void tokenSignedWithHs512_evenUnderTheAppSecret_isRefusedForItsAlgorithm() throws Exception {
        var longKey = java.util.Arrays.copyOf(key(SECRET_1), 64); // HS512 needs 512 bits
        var token = signed(com.nimbusds.jose.JWSAlgorithm.HS512, longKey, c -> c);
        assertThatThrownBy(() -> at(NOW).verify(1, 7, 3, token))
                .isInstanceOf(ImException.class)
                .hasMessageContaining("algorithm HS512 is not accepted")
                .extracting(e -> ((ImException) e).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void tokenClaimingRs256_isRefusedForItsAlgorithm() throws Exception {
        var real = signed(com.nimbusds.jose.JWSAlgorithm.HS256, key(SECRET_1), c -> c).split("\\.");
        var header = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"RS256\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var token = header + "." + real[1] + "." + real[2];
        assertThatThrownBy(() -> at(NOW).verify(1, 7, 3, token))
                .isInstanceOf(ImException.class)
                .hasMessageContaining("algorithm RS256 is not accepted");
    }

    @Test
    void tokenOfAnotherApp_isRefused_evenWhenItsClaimsNameThisApp() throws Exception {
        // signed with app 2's secret but claiming app 1: the signature check with app 1's secret fails
        var token = signed(com.nimbusds.jose.JWSAlgorithm.HS256, key(SECRET_2), c -> c);
        assertThatThrownBy(() -> at(NOW).verify(1, 7, 3, token))
                .isInstanceOf(ImException.class)
                .hasMessageContaining("signature is not valid for app 1");
        var app2Token = at(NOW).issue(2, SECRET_2, 7, 3, Duration.ofHours(1)).token();
        assertThat(codeOf(() -> at(NOW).verify(1, 7, 3, app2Token))).isEqualTo(ErrorCode.TOKEN_INVALID);
    }

    @Test
    void tokenNotYetValid_isRefused_untilItsNbfLessTheSkew() throws Exception {
        var token = signed(com.nimbusds.jose.JWSAlgorithm.HS256, key(SECRET_1),
                c -> c.notBeforeTime(java.util.Date.from(NOW.plusSeconds(60))));
        assertThatThrownBy(() -> at(NOW).verify(1, 7, 3, token))
                .isInstanceOf(ImException.class)
                .hasMessageContaining("not valid before")
                .extracting(e -> ((ImException) e).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
        assertThat(codeOf(() -> at(NOW.plusSeconds(54)).verify(1, 7, 3, token))).isEqualTo(ErrorCode.TOKEN_INVALID);
        assertThat(at(NOW.plusSeconds(56)).verify(1, 7, 3, token)).isEqualTo(new Identity(1, 7, 3));
    }

    @Test
    void tokenWithoutExpiry_isRefused() throws Exception {
        var token = signed(com.nimbusds.jose.JWSAlgorithm.HS256, key(SECRET_1), c -> c.expirationTime(null));
        assertThatThrownBy(() -> at(NOW).verify(1, 7, 3, token)).hasMessageContaining("no expiry");
    }

    @Test
    void revokedToken_isRefusedByThePolicy_withTheIssueInstantInMs() {
        var secrets = Map.of(1L, SECRET_1);
        var revokedAt = NOW.toEpochMilli() + 1;
        var service = new TokenService(app -> Optional.ofNullable(secrets.get(app)), (app, user, issuedAtMs) -> {
            if (issuedAtMs <= revokedAt) {
                throw new ImException(ErrorCode.TOKEN_INVALID, "token was revoked");
            }
        }, Clock.fixed(NOW, ZoneOffset.UTC));
        var before = service.issue(1, SECRET_1, 7, 3, Duration.ofHours(1)).token();
        assertThatThrownBy(() -> service.verify(1, 7, 3, before)).hasMessageContaining("revoked");
        var after = new TokenService(app -> Optional.ofNullable(secrets.get(app)), Clock.fixed(NOW.plusMillis(2),
                ZoneOffset.UTC)).issue(1, SECRET_1, 7, 3, Duration.ofHours(1)).token();
        assertThat(service.verify(1, 7, 3, after)).isEqualTo(new Identity(1, 7, 3));
    }

    @Test
    void refusalMessages_neverRepeatTheToken() throws Exception {
        var token = signed(com.nimbusds.jose.JWSAlgorithm.HS256, key(SECRET_2), c -> c);
        var expired = at(NOW).issue(1, SECRET_1, 7, 3, Duration.ofSeconds(1)).token();
        for (var attempt : java.util.List.<Runnable>of(() -> at(NOW).verify(1, 7, 3, token),
                () -> at(NOW).verify(1, 8, 3, token), () -> at(NOW.plusSeconds(60)).verify(1, 7, 3, expired),
                () -> at(NOW).verify(1, 7, 3, token.substring(0, token.length() - 3)))) {
            assertThatThrownBy(attempt::run).isInstanceOf(ImException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token.split("\\.")[2])
                            .doesNotContain(expired.split("\\.")[2]).doesNotContain(SECRET_1).doesNotContain(SECRET_2));
        }
    }
}
