package io.imserver.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.ImException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Issues and verifies sign-in tokens: JWTs signed with HMAC-SHA256 under the app's own secret, binding app, user,
 * device and expiry. A token proves nothing about another app, user or device, and expires exactly at {@code exp}
 * (up to {@link #CLOCK_SKEW} of tolerance).
 */
public final class TokenService {
    /** Tolerance for clocks of token issuers that run ahead or behind. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);
    private static final String ISSUER = "im-server";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LongFunction<Optional<String>> appSecrets;
    private final SignInPolicy policy;
    private final Clock clock;

    /**
     * @param appSecrets the signing secret of an app id, empty when the app does not exist
     */
    public TokenService(LongFunction<Optional<String>> appSecrets, Clock clock) {
        this(appSecrets, SignInPolicy.ALLOW, clock);
    }

    /**
     * @param policy refusals checked after the token itself (disabled app, revoked tokens)
     */
    public TokenService(LongFunction<Optional<String>> appSecrets, SignInPolicy policy, Clock clock) {
        this.appSecrets = appSecrets;
        this.policy = policy;
        this.clock = clock;
    }

    /** A fresh random app secret: 256 bits, base64url. */
    public static String newSecret() {
        var bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public IssuedToken issue(long appId, String secret, long userId, long deviceId, Duration ttl) {
        long nowMs = clock.millis();
        long now = nowMs / 1000;
        long exp = now + ttl.toSeconds();
        var claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(Long.toString(userId))
                .claim("app", appId)
                .claim("dev", deviceId)
                .claim("iat_ms", nowMs) // iat has seconds only: revocation needs the exact instant
                .issueTime(new Date(now * 1000))
                .expirationTime(new Date(exp * 1000))
                .build();
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(Base64.getUrlDecoder().decode(secret)));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token for app " + appId + ": " + e.getMessage(), e);
        }
        return new IssuedToken(jwt.serialize(), exp);
    }

    /**
     * Checks that {@code token} was signed with HS256 by the app and names exactly this app, user and device, has
     * not expired, is already valid ({@code nbf}, when present), and passes the {@link SignInPolicy}. Any other
     * algorithm ({@code none}, RS256, HS512...) is refused before the signature is looked at. Refusal messages never
     * repeat the token.
     *
     * @throws ImException {@link ErrorCode#TOKEN_INVALID} or {@link ErrorCode#TOKEN_EXPIRED}
     */
    public Identity verify(long appId, long userId, long deviceId, String token) {
        if (token == null || token.isEmpty()) {
            throw invalid("no token");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("token is not a signed JWT");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw invalid("token algorithm " + jwt.getHeader().getAlgorithm() + " is not accepted");
        }
        var secret = appSecrets.apply(appId).orElseThrow(() -> invalid("app " + appId + " does not exist"));
        try {
            // MACVerifier compares the HMAC in constant time (MessageDigest.isEqual): no timing oracle on the signature
            if (!jwt.verify(new MACVerifier(Base64.getUrlDecoder().decode(secret)))) {
                throw invalid("token signature is not valid for app " + appId);
            }
        } catch (JOSEException e) {
            throw invalid("token signature cannot be checked: " + e.getMessage());
        }
        if (!Long.valueOf(appId).equals(longClaim(claims, "app"))
                || !Long.toString(userId).equals(claims.getSubject())
                || !Long.valueOf(deviceId).equals(longClaim(claims, "dev"))) {
            throw invalid("token was issued for another app, user or device");
        }
        var exp = claims.getExpirationTime();
        if (exp == null) {
            throw invalid("token has no expiry");
        }
        if (clock.millis() > exp.getTime() + CLOCK_SKEW.toMillis()) {
            throw new ImException(ErrorCode.TOKEN_EXPIRED, "token expired at " + exp.getTime() / 1000);
        }
        var notBefore = claims.getNotBeforeTime();
        if (notBefore != null && clock.millis() + CLOCK_SKEW.toMillis() < notBefore.getTime()) {
            throw invalid("token is not valid before " + notBefore.getTime() / 1000);
        }
        var issuedAtMs = longClaim(claims, "iat_ms");
        policy.check(appId, userId, issuedAtMs != null ? issuedAtMs
                : claims.getIssueTime() != null ? claims.getIssueTime().getTime() : 0);
        return new Identity(appId, userId, deviceId);
    }

    private static Long longClaim(JWTClaimsSet claims, String name) {
        try {
            return claims.getLongClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }

    private static ImException invalid(String message) {
        return new ImException(ErrorCode.TOKEN_INVALID, message);
    }
}
