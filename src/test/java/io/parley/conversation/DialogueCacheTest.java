package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.Updates;
import io.parley.support.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

/** The copies' own rules: updates applied as the store applies them, or not at all; age and capacity. */
class DialogueCacheTest {
  private static final Date EARLY = Date.from(Instant.parse("2026-03-02T10:00:00Z"));
  private static final Date LATE = Date.from(Instant.parse("2026-03-02T10:05:00Z"));

  private static Document dialogue() {
    return new Document("_id", "d").append("inSeq", 3L).append("unread", Integer.MAX_VALUE - 1).append("lastMessageAt", LATE)
        .append("spend", new Decimal128(new BigDecimal("0.10")))
        .append("recent", List.of(new Document("author", "contact").append("text", "a"), new Document("author", "ai").append("text", "b")));
  }

  @Test
  void theOperatorsConversationWritesUseAreAppliedAsTheStoreAppliesThem() {
    Document before = dialogue();
    Document copyOfBefore = Document.parse(before.toJson());
    Document after = DialogueCache.applied(before, Updates.combine(Updates.set("state", "open"), Updates.inc("unread", 2),
        Updates.inc("inSeq", 1), Updates.max("lastMessageAt", EARLY), Updates.max("answeredSeq", 2L),
        Updates.pushEach("recent", List.of(new Document("author", "contact").append("text", "c")), new PushOptions().slice(-2))));
    assertNotNull(after);
    assertEquals("open", after.getString("state"));
    assertEquals((long) Integer.MAX_VALUE + 1, after.get("unread"), "an int past its range becomes a long, as in the store");
    assertEquals(4L, after.get("inSeq"));
    assertSame(LATE, after.getDate("lastMessageAt"), "$max keeps the later date");
    assertEquals(2L, after.get("answeredSeq"), "$max of a missing field sets it");
    assertEquals(List.of("b", "c"), after.getList("recent", Document.class).stream().map(d -> d.getString("text")).toList());
    assertEquals(Document.parse(before.toJson()), copyOfBefore, "the document the update was applied to is unchanged");
  }

  @Test
  void whatItCannotApplyExactlyDropsTheCopy() {
    Document d = dialogue();
    assertNull(DialogueCache.applied(d, Updates.inc("spend", new Decimal128(BigDecimal.ONE))), "decimal sums: the store's rounding");
    assertNull(DialogueCache.applied(d, Updates.set("lastMessage.text", "x")), "paths into a field");
    assertNull(DialogueCache.applied(d, Updates.unset("state")));
    assertNull(DialogueCache.applied(d, Updates.addToSet("tags", "x")));
    assertNull(DialogueCache.applied(d, Updates.max("lastMessageAt", 5L)), "values of different kinds");
    assertNull(DialogueCache.applied(d, Updates.inc("inSeq", Long.MAX_VALUE)), "a long past its range");
    assertNull(DialogueCache.applied(d, Updates.pushEach("recent", List.of(new Document()), new PushOptions().position(0))));
  }

  @Test
  void copiesAgeAndAreBoundedAndAStaleSuccessorDoesNotReplaceANewerCopy() {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    DialogueCache cache = new DialogueCache(clock, Duration.ofMinutes(1), 2);
    cache.put(new Document("_id", "a"));
    DialogueCache.Entry a = cache.get("a");
    cache.put(new Document("_id", "a").append("read", "again"));
    cache.replace(a, new Document("_id", "a").append("from", "the first copy"));
    assertNull(cache.get("a"), "the copy changed meanwhile: neither is trusted");

    cache.put(new Document("_id", "b"));
    cache.put(new Document("_id", "c"));
    assertEquals(2, cache.size());
    clock.advance(Duration.ofMinutes(1));
    cache.put(new Document("_id", "d"));
    assertEquals(1, cache.size(), "copies past their age made room");
    assertNull(cache.get("b"));
    cache.put(new Document("_id", "e"));
    cache.put(new Document("_id", "f"));
    assertEquals(1, cache.size(), "all young and no room: they go, and the newest is kept");
    assertNotNull(cache.get("f"));
  }
}
