package io.parley.channel;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.parley.EventAddresses;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Date;

/**
 * Closes a dialogue the platform says can no longer reach its contact (the person blocked the bot, a number
 * is undeliverable): once — a dialogue closed already keeps how and when it closed — with the reason the
 * managers' list shows, and the managers' feed is told. No outcome is recorded: nobody decided one.
 */
public final class PlatformClosures {
  private PlatformClosures() {}

  /** True when this call closed it; false when it was closed already or does not exist. */
  public static Future<Boolean> close(Store store, EventBus bus, String dialogueId, String reason, Instant now) {
    return Rx.first(store.collection(Collections.DIALOGUES).findOneAndUpdate(
            Filters.and(Filters.eq("_id", dialogueId), Filters.ne("state", "closed")),
            Updates.combine(Updates.set("state", "closed"), Updates.set("stateReason", reason),
                Updates.set("stateAt", Date.from(now)), Updates.set("closedAt", Date.from(now)))))
        .map(before -> {
          if (before == null) return false;
          bus.publish(EventAddresses.DIALOGUE_UPDATED, new JsonObject().put("dialogueId", dialogueId)
              .put("taskId", before.getString("task")).put("channelId", before.getString("channel"))
              .put("manager", before.getString("manager")).put("kind", "state").put("state", "closed")
              .put("reason", reason).put("at", now.toString()));
          return true;
        });
  }
}
