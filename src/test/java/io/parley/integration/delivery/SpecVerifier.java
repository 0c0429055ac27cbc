package io.parley.integration.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of Standard Webhooks signatures, written from the specification and sharing no code
 * with Parley's signer: HMAC-SHA256 keyed by the base64 part of {@code whsec_...}, over
 * {@code "{id}.{timestamp}.{body}"}, compared with each space-separated {@code v1,<base64>} entry.
 */
final class SpecVerifier {
  private final byte[] key;

  SpecVerifier(String secret) {
    if (!secret.startsWith("whsec_")) throw new IllegalArgumentException("not a whsec_ secret");
    this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
  }

  String expected(String id, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] sig = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(sig);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether one of the header's signatures matches and the timestamp is within 5 minutes of {@code nowSeconds}. */
  boolean verify(String id, String timestamp, String signatureHeader, String body, long nowSeconds) {
    if (id == null || timestamp == null || signatureHeader == null) return false;
    long ts;
    try {
      ts = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(nowSeconds - ts) > 300) return false;
    byte[] want = expected(id, timestamp, body).getBytes(StandardCharsets.UTF_8);
    for (String candidate : signatureHeader.split(" ")) {
      if (MessageDigest.isEqual(want, candidate.getBytes(StandardCharsets.UTF_8))) return true;
    }
    return false;
  }
}
