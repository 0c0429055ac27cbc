package io.parley.channel.telegram;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.channel.ChannelState;
import io.parley.channel.ChannelStore;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * Long polling of one bot: {@code getUpdates} from the offset persisted in {@code telegram_polling}, each
 * update handled, then the offset moved past it. Telegram forgets an update only when a later poll's
 * offset passes it, so a crash before the offset was saved makes the updates come again, and the
 * {@link UpdateHandler} makes that second handling change nothing: none is lost, none counts twice.
 */
final class UpdatePoller extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(UpdatePoller.class);

  private final String channelId;
  private final Store store;
  private final BotApi api;
  private final UpdateHandler handler;
  private final MongoCollection<Document> offsets;
  private final ChannelStore channels;
  private final Clock clock;
  private final int timeoutSeconds;
  private volatile boolean stopped;
  private int offset;
  private int failures;

  UpdatePoller(String channelId, BotApi api, UpdateHandler handler, Store store, Clock clock, int timeoutSeconds) {
    this.channelId = channelId;
    this.store = store;
    this.api = api;
    this.handler = handler;
    this.offsets = store.collection(Collections.TELEGRAM_POLLING);
    this.channels = new ChannelStore(store);
    this.clock = clock;
    this.timeoutSeconds = timeoutSeconds;
  }

  @Override
  public Future<?> start() {
    return Rx.first(offsets.find(Filters.eq("_id", channelId)).limit(1)).map(doc -> {
      offset = doc == null ? 0 : doc.get("offset", Number.class).intValue();
      // getUpdates is refused while a webhook is set (a channel switched from webhook to polling).
      api.deleteWebhook().onComplete(ar -> poll());
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return Future.succeededFuture();
  }

  private void poll() {
    if (stopped) return;
    // Telegram forgets updates at the next poll: what they brought is saved first (Store#saved).
    api.getUpdates(offset, timeoutSeconds).compose(this::handleAll).compose(v -> store.saved()).onComplete(ar -> {
      if (stopped) return;
      if (ar.succeeded()) {
        failures = 0;
        poll();
      } else {
        failed(BotApi.unwrap(ar.cause()));
      }
    });
  }

  private Future<Void> handleAll(List<Update> updates) {
    Future<Void> done = Future.succeededFuture();
    for (Update u : updates.stream().sorted(Comparator.comparing(Update::getUpdateId)).toList()) {
      done = done.compose(v -> stopped ? Future.succeededFuture() : handler.handle(channelId, u).compose(x -> saveOffset(u.getUpdateId() + 1)));
    }
    return done;
  }

  private Future<Void> saveOffset(int next) {
    return Rx.done(offsets.updateOne(Filters.eq("_id", channelId), Updates.max("offset", next), new UpdateOptions().upsert(true)))
        .onSuccess(v -> offset = Math.max(offset, next));
  }

  private void failed(Throwable err) {
    if (err instanceof TelegramApiRequestException refused && refused.getErrorCode() != null
        && (refused.getErrorCode() == 401 || refused.getErrorCode() == 404)) {
      log.warn("Telegram channel {}: the bot token was refused while polling; channel marked auth_failed", channelId);
      stopped = true;
      channels.markState(channelId, ChannelState.AUTH_FAILED, "Telegram refused the bot token (" + refused.getErrorCode() + ")",
          clock.instant());
      return;
    }
    long delay = Math.min(60_000L, 1000L << Math.min(failures++, 6));
    log.warn("Telegram channel {}: polling failed ({}); again in {} ms", channelId, err.getMessage(), delay);
    vertx.setTimer(delay, id -> poll());
  }
}
