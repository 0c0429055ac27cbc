package io.parley.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Ids derived from what they stand for (a follow-up task's cause, the opening sent to an audience entry), in
 * the shape of every other id: an event seen twice, or an action retried, gets the same {@code _id}, and the
 * store refuses the second as a duplicate.
 */
public final class DerivedIds {
  private DerivedIds() {}

  public static String of(String cause) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(cause.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
