package io.parley.webhook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.webhook.WebhookRejected.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class StandardWebhooksTest {
  // The known answer published with the Standard Webhooks reference libraries.
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long TIMESTAMP = 1614265330L;
  static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  static Clock at(long epochSecond) {
    return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
  }

  static final StandardWebhooks WEBHOOKS = StandardWebhooks.forSecret(SECRET, at(TIMESTAMP));

  static void rejected(Reason reason, Executable call) {
    WebhookRejected e = assertThrows(WebhookRejected.class, call);
    assertEquals(reason, e.reason(), e.getMessage());
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void signsTheKnownAnswer() {
    assertEquals(SIGNATURE, WEBHOOKS.signature(ID, TIMESTAMP, BODY));
    assertEquals(new SignedHeaders(ID, TIMESTAMP, SIGNATURE), WEBHOOKS.sign(ID, BODY));
  }

  @Test
  void oneInstanceSignsAndVerifiesFromManyThreadsAtOnce() throws Exception {
    // every call works on its own copy of the keyed MAC: no call may see another's half-done digest
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        runs.add(pool.submit(() -> {
          int verified = 0;
          for (int i = 0; i < 2_000; i++) {
            assertEquals(SIGNATURE, WEBHOOKS.signature(ID, TIMESTAMP, BODY));
            byte[] other = bytes("{\"thread\": " + thread + ", \"i\": " + i + "}");
            String signed = WEBHOOKS.signature(ID, TIMESTAMP, other);
            WEBHOOKS.verify(other, ID, Long.toString(TIMESTAMP), signed);
            verified++;
          }
          return verified;
        }));
      }
      for (Future<Integer> run : runs) assertEquals(2_000, run.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void verifiesTheKnownAnswer() {
    assertDoesNotThrow(() -> WEBHOOKS.verify(BODY, ID, Long.toString(TIMESTAMP), SIGNATURE));
  }

  @Test
  void refusesTamperedBodyIdOrTimestamp() {
    rejected(Reason.NO_MATCHING_SIGNATURE,
        () -> WEBHOOKS.verify(bytes("{\"test\": 2432232315}"), ID, Long.toString(TIMESTAMP), SIGNATURE));
    rejected(Reason.NO_MATCHING_SIGNATURE,
        () -> WEBHOOKS.verify(BODY, ID + "x", Long.toString(TIMESTAMP), SIGNATURE));
    rejected(Reason.NO_MATCHING_SIGNATURE,
        () -> WEBHOOKS.verify(BODY, ID, Long.toString(TIMESTAMP + 1), SIGNATURE));
  }

  @Test
  void refusesSignatureMadeWithAnotherSecret() {
    StandardWebhooks other = StandardWebhooks.forSecret(StandardWebhooks.newSecret(), at(TIMESTAMP));
    String forged = other.signature(ID, TIMESTAMP, BODY);
    assertNotEquals(SIGNATURE, forged);
    rejected(Reason.NO_MATCHING_SIGNATURE, () -> WEBHOOKS.verify(BODY, ID, Long.toString(TIMESTAMP), forged));
  }

  @Test
  void acceptsAnyMatchingSignatureAmongSeveral() {
    String other = StandardWebhooks.forSecret(StandardWebhooks.newSecret(), at(TIMESTAMP)).signature(ID, TIMESTAMP, BODY);
    String header = other + " v2,abc " + SIGNATURE + " v1,not*base64";
    assertDoesNotThrow(() -> WEBHOOKS.verify(BODY, ID, Long.toString(TIMESTAMP), header));
    // The right bytes under another version label do not count.
    String wrongVersion = "v2," + SIGNATURE.substring(3);
    rejected(Reason.NO_MATCHING_SIGNATURE, () -> WEBHOOKS.verify(BODY, ID, Long.toString(TIMESTAMP), wrongVersion));
  }

  @Test
  void refusesTimestampsOutsideTheTolerance() {
    long fiveMinutes = StandardWebhooks.DEFAULT_TOLERANCE.toSeconds();
    StandardWebhooks late = StandardWebhooks.forSecret(SECRET, at(TIMESTAMP + fiveMinutes + 1));
    rejected(Reason.TOO_OLD, () -> late.verify(BODY, ID, Long.toString(TIMESTAMP), SIGNATURE));
    StandardWebhooks early = StandardWebhooks.forSecret(SECRET, at(TIMESTAMP - fiveMinutes - 1));
    rejected(Reason.TOO_NEW, () -> early.verify(BODY, ID, Long.toString(TIMESTAMP), SIGNATURE));
    StandardWebhooks justInTime = StandardWebhooks.forSecret(SECRET, at(TIMESTAMP + fiveMinutes));
    assertDoesNotThrow(() -> justInTime.verify(BODY, ID, Long.toString(TIMESTAMP), SIGNATURE));
  }

  @Test
  void namesMissingHeadersAndBadTimestamps() {
    rejected(Reason.MISSING_HEADER, () -> WEBHOOKS.verify(BODY, null, Long.toString(TIMESTAMP), SIGNATURE));
    rejected(Reason.MISSING_HEADER, () -> WEBHOOKS.verify(BODY, ID, null, SIGNATURE));
    rejected(Reason.MISSING_HEADER, () -> WEBHOOKS.verify(BODY, ID, Long.toString(TIMESTAMP), " "));
    rejected(Reason.BAD_TIMESTAMP, () -> WEBHOOKS.verify(BODY, ID, "yesterday", SIGNATURE));
    rejected(Reason.BAD_TIMESTAMP, () -> WEBHOOKS.verify(BODY, ID, "-1614265330", SIGNATURE));
    rejected(Reason.BAD_TIMESTAMP, () -> WEBHOOKS.verify(BODY, ID, "99999999999999999999", SIGNATURE));
  }

  @Test
  void refusesMalformedSecrets() {
    Clock clock = Clock.systemUTC();
    rejected(Reason.MALFORMED_SECRET, () -> StandardWebhooks.forSecret(null, clock));
    rejected(Reason.MALFORMED_SECRET, () -> StandardWebhooks.forSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", clock));
    rejected(Reason.MALFORMED_SECRET, () -> StandardWebhooks.forSecret("whsec_not base64!", clock));
    rejected(Reason.MALFORMED_SECRET, () -> StandardWebhooks.forSecret("whsec_", clock));
  }

  @Test
  void generatesUsableSecretsAndIds() {
    String secret = StandardWebhooks.newSecret();
    assertTrue(secret.startsWith("whsec_"), secret);
    assertEquals(24, Base64.getDecoder().decode(secret.substring(6)).length);
    assertNotEquals(secret, StandardWebhooks.newSecret());
    String id = StandardWebhooks.newMessageId();
    assertTrue(id.matches("msg_[A-Za-z0-9_-]{24}"), id);
    assertNotEquals(id, StandardWebhooks.newMessageId());

    StandardWebhooks fresh = StandardWebhooks.forSecret(secret, at(TIMESTAMP));
    SignedHeaders headers = fresh.sign(id, BODY);
    assertDoesNotThrow(() -> fresh.verify(BODY, id, Long.toString(headers.timestamp()), headers.signature()));
  }
}
