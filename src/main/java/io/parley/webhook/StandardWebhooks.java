package io.parley.webhook;

import io.parley.webhook.WebhookRejected.Reason;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies HTTP bodies the way the Standard Webhooks specification describes, so any receiver
 * (or sender) with an off-the-shelf library interoperates with Parley. One instance holds one secret's key;
 * it is immutable and safe to share between threads.
 */
public final class StandardWebhooks {
  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private static final String SECRET_PREFIX = "whsec_";
  private static final String VERSION = "v1";
  private static final String ALGORITHM = "HmacSHA256";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern SPACES = Pattern.compile(" +");

  /** Initialised with the key and never used itself: each signature starts from a copy of it. */
  private final Mac keyed;
  private final Clock clock;
  private final Duration tolerance;

  private StandardWebhooks(Mac keyed, Clock clock, Duration tolerance) {
    this.keyed = keyed;
    this.clock = clock;
    this.tolerance = tolerance;
  }

  /** Verifies and signs with {@code secret} ({@code whsec_<base64>}), accepting timestamps within 5 minutes. */
  public static StandardWebhooks forSecret(String secret, Clock clock) {
    return forSecret(secret, clock, DEFAULT_TOLERANCE);
  }

  /**
   * @throws WebhookRejected with {@link Reason#MALFORMED_SECRET} when the secret lacks the prefix, is not
   *     base64 or decodes to nothing
   */
  public static StandardWebhooks forSecret(String secret, Clock clock, Duration tolerance) {
    SecretKeySpec key = new SecretKeySpec(decodeSecret(secret), ALGORITHM);
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return new StandardWebhooks(mac, clock, tolerance);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(ALGORITHM + " is unavailable in this JVM", e);
    }
  }

  /** A new secret: the prefix and 24 random bytes in base64 (192 bits, as the reference libraries use). */
  public static String newSecret() {
    byte[] raw = new byte[24];
    RANDOM.nextBytes(raw);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(raw);
  }

  /** A new message id, unique enough to be the receiver's idempotency key. */
  public static String newMessageId() {
    byte[] raw = new byte[18];
    RANDOM.nextBytes(raw);
    return "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /** The three headers for sending {@code body} now under {@code id}. */
  public SignedHeaders sign(String id, byte[] body) {
    long timestamp = clock.instant().getEpochSecond();
    return new SignedHeaders(id, timestamp, signature(id, timestamp, body));
  }

  /** The {@code webhook-signature} value ({@code v1,<base64>}) for one id, timestamp and body. */
  public String signature(String id, long timestamp, byte[] body) {
    return VERSION + "," + Base64.getEncoder().encodeToString(hmac(id, timestamp, body));
  }

  /**
   * Checks a received webhook: the three header values (null when absent) and the body exactly as received.
   *
   * @throws WebhookRejected naming the first reason the webhook is not authentic or not fresh
   */
  public void verify(byte[] body, String id, String timestamp, String signatures) {
    requirePresent(ID_HEADER, id);
    requirePresent(TIMESTAMP_HEADER, timestamp);
    requirePresent(SIGNATURE_HEADER, signatures);
    long seconds = parseTimestamp(timestamp);
    checkFreshness(seconds);
    byte[] expected = hmac(id, seconds, body);
    // The header may list several signatures (a sender rotating secrets); one matching v1 entry suffices.
    for (String candidate : SPACES.split(signatures.trim())) {
      if (matches(candidate, expected)) return;
    }
    throw new WebhookRejected(Reason.NO_MATCHING_SIGNATURE, "no v1 signature in " + SIGNATURE_HEADER
        + " matches the body");
  }

  private static boolean matches(String candidate, byte[] expected) {
    int comma = candidate.indexOf(',');
    if (comma < 0 || !VERSION.equals(candidate.substring(0, comma))) return false;
    byte[] given;
    try {
      given = Base64.getDecoder().decode(candidate.substring(comma + 1));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, expected); // constant time: no timing hints about the right value
  }

  private void checkFreshness(long seconds) {
    long now = clock.instant().getEpochSecond();
    // Both directions: an old timestamp is a possible replay, a future one would stay "fresh" too long.
    if (now - seconds > tolerance.toSeconds()) {
      throw new WebhookRejected(Reason.TOO_OLD, TIMESTAMP_HEADER + " is more than " + tolerance.toSeconds()
          + " seconds in the past");
    }
    if (seconds - now > tolerance.toSeconds()) {
      throw new WebhookRejected(Reason.TOO_NEW, TIMESTAMP_HEADER + " is more than " + tolerance.toSeconds()
          + " seconds in the future");
    }
  }

  private static long parseTimestamp(String value) {
    String trimmed = value.trim();
    if (trimmed.isEmpty() || trimmed.length() > 18 || !trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new WebhookRejected(Reason.BAD_TIMESTAMP, TIMESTAMP_HEADER + " must be whole unix seconds");
    }
    return Long.parseLong(trimmed);
  }

  private static void requirePresent(String header, String value) {
    if (value == null || value.isBlank()) {
      throw new WebhookRejected(Reason.MISSING_HEADER, "the " + header + " header is missing");
    }
  }

  private byte[] hmac(String id, long timestamp, byte[] body) {
    // A Mac is stateful and not thread-safe: each call works on its own copy of the keyed one, which
    // skips looking the algorithm up and preparing the key again.
    Mac mac;
    try {
      mac = (Mac) keyed.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(ALGORITHM + " in this JVM cannot be copied", e);
    }
    mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
    return mac.doFinal(body);
  }

  private static byte[] decodeSecret(String secret) {
    if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
      throw new WebhookRejected(Reason.MALFORMED_SECRET, "the secret must start with " + SECRET_PREFIX);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new WebhookRejected(Reason.MALFORMED_SECRET, "the secret after " + SECRET_PREFIX + " is not base64");
    }
    if (key.length == 0) throw new WebhookRejected(Reason.MALFORMED_SECRET, "the secret is empty");
    return key;
  }
}
