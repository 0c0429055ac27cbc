package io.parley.channel.whatsapp;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.DuplicateKey;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The messaging tier: at most {@code cap} new contacts per rolling 24 h on one number, for every Parley
 * process alike. One document per channel ({@code _id = channelId}) counts new contacts per UTC hour
 * ({@code hours.<yyyyMMddHH>}) and carries a {@code version}; a slot is taken by a compare-and-set on that
 * version, so two processes can never both take the last slot. An hour's contacts count until 25 h after
 * the hour began: the rolling window is honoured to the hour, erring on the safe side.
 */
final class TierLimit {
  static final Duration COUNTED_FOR = Duration.ofHours(25);
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);
  private static final int MAX_TRIES = 50;

  /** The outcome of {@link #take}: the hour the slot was counted in, or how long until one frees. */
  record Slot(String hour, Duration freesIn) {
    boolean taken() {
      return hour != null;
    }
  }

  private final DocumentStore tiers;

  TierLimit(Store store) {
    this.tiers = new DocumentStore(store, Collections.WHATSAPP_TIER);
  }

  /** Counts one new contact now if fewer than {@code cap} were counted in the window. */
  Future<Slot> take(String channelId, long cap, Instant now) {
    return take(channelId, cap, now, 0);
  }

  private Future<Slot> take(String channelId, long cap, Instant now, int tries) {
    if (tries >= MAX_TRIES) return Future.succeededFuture(new Slot(null, Duration.ofSeconds(1)));
    String hour = HOUR.format(now);
    return tiers.find(channelId).compose(doc -> {
      if (doc == null) {
        Document first = new Document("_id", channelId).append("version", 1L).append("hours", new Document(hour, 1L));
        return tiers.insert(first).map(new Slot(hour, Duration.ZERO))
            .recover(err -> DuplicateKey.is(err) ? take(channelId, cap, now, tries + 1) : Future.failedFuture(err));
      }
      Document hours = doc.get("hours", Document.class);
      String oldest = oldestCounting(hours, now);
      if (counted(hours, now) >= cap) return Future.succeededFuture(new Slot(null, freedAt(oldest, now)));
      long version = doc.get("version", Number.class).longValue();
      List<Bson> changes = new ArrayList<>();
      changes.add(Updates.set("version", version + 1));
      changes.add(Updates.inc("hours." + hour, 1L));
      for (String h : hours.keySet()) {
        if (!counts(h, now) && !h.equals(hour)) changes.add(Updates.unset("hours." + h));
      }
      return tiers.update(channelId, Filters.eq("version", version), Updates.combine(changes))
          .compose(after -> after != null ? Future.succeededFuture(new Slot(hour, Duration.ZERO))
              : take(channelId, cap, now, tries + 1));
    });
  }

  /** Gives back a slot whose message was not sent after all. */
  Future<Void> giveBack(String channelId, String hour) {
    return tiers.update(channelId, Updates.combine(Updates.inc("hours." + hour, -1L), Updates.inc("version", 1L))).<Void>mapEmpty();
  }

  /** New contacts still counted at {@code now}. */
  static long counted(Document hours, Instant now) {
    long n = 0;
    if (hours == null) return 0;
    for (var e : hours.entrySet()) {
      if (counts(e.getKey(), now)) n += ((Number) e.getValue()).longValue();
    }
    return n;
  }

  private static String oldestCounting(Document hours, Instant now) {
    String oldest = null;
    if (hours == null) return null;
    for (var e : hours.entrySet()) {
      boolean used = ((Number) e.getValue()).longValue() > 0;
      if (used && counts(e.getKey(), now) && (oldest == null || e.getKey().compareTo(oldest) < 0)) oldest = e.getKey();
    }
    return oldest;
  }

  private static boolean counts(String hour, Instant now) {
    return now.isBefore(start(hour).plus(COUNTED_FOR));
  }

  private static Duration freedAt(String oldest, Instant now) {
    if (oldest == null) return Duration.ofMinutes(1);
    Duration wait = Duration.between(now, start(oldest).plus(COUNTED_FOR));
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  private static Instant start(String hour) {
    return java.time.LocalDateTime.parse(hour, DateTimeFormatter.ofPattern("yyyyMMddHH"))
        .toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
  }
}
