package io.parley.channel.telegram;

import com.mongodb.client.model.Filters;
import io.parley.channel.Platform;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.bson.Document;

/**
 * Each Telegram task's deep links, {@code https://t.me/<bot>?start=<code>}, one per channel. The code is
 * the task's id (24 hexadecimal characters, within Telegram's 64 of {@code A-Za-z0-9_-}), so the
 * {@code /start <code>} that comes back finds its task with one {@code _id} read and nothing extra is stored.
 */
public final class DeepLinks {
  private final Store store;

  public DeepLinks(Store store) {
    this.store = store;
  }

  /** Adds {@code telegram: {deepLinks: [{channel, url}]}} to a Telegram task's detail; others are unchanged. */
  public Future<JsonObject> describe(Document task, JsonObject detail) {
    if (!Platform.TELEGRAM.wire().equals(task.getString("type"))) return Future.succeededFuture(detail);
    List<String> channels = task.getList("channels", String.class, List.of());
    return Rx.list(store.collection(Collections.CHANNELS).find(Filters.in("_id", channels))).map(docs -> {
      JsonArray links = new JsonArray();
      for (String id : channels) {
        docs.stream().filter(d -> id.equals(d.getString("_id"))).findFirst()
            .map(d -> d.get("settings", Document.class))
            .map(s -> s.getString("botUsername"))
            .ifPresent(bot -> links.add(new JsonObject().put("channel", id)
                .put("url", "https://t.me/" + bot + "?start=" + task.getString("_id"))));
      }
      return detail.put("telegram", new JsonObject().put("deepLinks", links));
    });
  }
}
