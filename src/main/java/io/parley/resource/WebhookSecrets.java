package io.parley.resource;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Signing secrets in the Standard Webhooks format, {@code whsec_} followed by base64 key bytes, so the
 * other side can verify our signatures with any off-the-shelf library.
 */
public final class WebhookSecrets {
  private static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();
  // The specification asks for keys of 24 to 64 bytes.
  private static final int MIN_BYTES = 24;
  private static final int MAX_BYTES = 64;

  private WebhookSecrets() {}

  public static String generate() {
    byte[] key = new byte[MIN_BYTES];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  public static boolean isValid(String secret) {
    if (!secret.startsWith(PREFIX)) return false;
    try {
      int bytes = Base64.getDecoder().decode(secret.substring(PREFIX.length())).length;
      return bytes >= MIN_BYTES && bytes <= MAX_BYTES;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
