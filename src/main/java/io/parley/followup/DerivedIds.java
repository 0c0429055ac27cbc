package io.parley.followup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Ids derived from what caused a task (a delivery given up on, a quiet dialogue, an outcome's action), in
 * the shape of every other id: an event seen twice, or an action retried, inserts the same {@code _id}
 * and the store refuses the second as a duplicate.
 */
final class DerivedIds {
  private DerivedIds() {}

  static String of(String cause) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(cause.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
