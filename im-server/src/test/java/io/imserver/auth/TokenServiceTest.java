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
}
