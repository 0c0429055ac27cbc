package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.parley.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KnownKeysTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

  @Test
  void aKeyIsKnownUntilItsAgeRunsOut() {
    KnownKeys keys = new KnownKeys(clock, Duration.ofMinutes(1), 10);
    keys.put("web:ann", "d1", "t1");
    clock.advance(Duration.ofSeconds(59));
    assertEquals(new KnownKeys.Known("d1", "t1", Instant.parse("2026-11-25T10:00:00Z"), -1, false), keys.get("web:ann"));
    clock.advance(Duration.ofSeconds(1));
    assertNull(keys.get("web:ann"), "read from the store again after a minute");
    assertEquals(0, keys.size());
  }

  @Test
  void theLeastRecentlyUsedGoFirstOnceFull() {
    KnownKeys keys = new KnownKeys(clock, Duration.ofMinutes(1), 2);
    keys.put("web:ann", "d1", "t1");
    keys.put("web:bob", "d2", "t1");
    keys.get("web:ann"); // used since bob was put
    keys.put("web:cat", "d3", "t1");
    assertEquals(2, keys.size());
    assertNull(keys.get("web:bob"));
    assertEquals("d1", keys.get("web:ann").dialogue());
    assertEquals("d3", keys.get("web:cat").dialogue());
  }

  @Test
  void whatAWriteSawIsNotedWithoutMakingTheKeyYounger() {
    KnownKeys keys = new KnownKeys(clock, Duration.ofMinutes(1), 10);
    keys.put("web:ann", "d1", "t1");
    clock.advance(Duration.ofSeconds(30));
    keys.saw("web:ann", "d1", 7, true);
    assertEquals(new KnownKeys.Known("d1", "t1", Instant.parse("2026-11-25T10:00:00Z"), 7, true), keys.get("web:ann"));
    keys.saw("web:ann", "d2", 9, false); // another dialogue than the key names: not this key's
    keys.saw("web:bob", "d3", 1, true); // not known: stays unknown
    assertEquals(7, keys.get("web:ann").inSeq());
    assertNull(keys.get("web:bob"));
    clock.advance(Duration.ofSeconds(30));
    assertNull(keys.get("web:ann"), "read again a minute after it was read, however often it was written to");
  }

  @Test
  void aForgottenKeyIsNotKnown() {
    KnownKeys keys = new KnownKeys(clock, Duration.ofMinutes(1), 10);
    keys.put("web:ann", "d1", "t1");
    keys.forget("web:ann");
    assertNull(keys.get("web:ann"));
  }
}
