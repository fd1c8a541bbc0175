package io.imserver.messaging.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** {@code X-IM-Signature: sha256=<hex>}: HMAC-SHA256 of the raw request body under the webhook's secret. */
public final class WebhookSigner {
    public static final String SIGNATURE_HEADER = "X-IM-Signature";
    public static final String DELIVERY_HEADER = "X-IM-Delivery-Id";
    public static final String EVENT_HEADER = "X-IM-Event";
    public static final String TIMESTAMP_HEADER = "X-IM-Timestamp";

    private WebhookSigner() {
    }

    /** The header value for {@code body}: {@code sha256=} and 64 lower-case hex digits. */
    public static String sign(String secret, byte[] body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
        }
    }
}
