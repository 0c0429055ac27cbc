package io.parley.integration.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Delivery ids are the {@code webhook-id} receivers see. One fact sent to one integration always gets the
 * same id, so enqueueing the fact again collides with the stored delivery instead of making a second one.
 */
final class DeliveryIds {
  private static final Pattern SHAPE = Pattern.compile("msg_[A-Za-z0-9_-]{1,64}");

  private DeliveryIds() {}

  /** {@code msg_} and 24 url-safe characters of SHA-256 over the fact's key and the integration's id. */
  static String of(String factKey, String integrationId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((integrationId + "\n" + factKey).getBytes(StandardCharsets.UTF_8));
      return "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 24);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
    }
  }

  static boolean looksValid(String id) {
    return id != null && SHAPE.matcher(id).matches();
  }
}
