package io.parley.channel.whatsapp;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.audience.BatchWriter;
import io.parley.audience.TargetState;
import io.parley.channel.PlatformClosures;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.parley.task.TaskCounters;
import io.parley.task.TaskProgress;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * Applies Meta's delivery statuses to the messages Parley sent: the message's {@code status} only moves
 * forward (sent, delivered, read; failed ends it) and its {@code history} gains each status once; the
 * first priced delivery adds the category's price to the message's {@code cost} and the dialogue's
 * {@code spend}; a failure ends the target (an opening) and closes the dialogue with Meta's reason.
 * Repeated statuses change nothing.
 */
final class StatusUpdates {
  private static final List<String> ORDER = List.of("sent", "delivered", "read", "failed");

  private final SentMessages sent;
  private final MongoCollection<Document> messages;
  private final MongoCollection<Document> dialogues;
  private final MongoCollection<Document> audience;
  private final TaskCounters counters;
  private final TaskProgress progress;
  private final Store store;
  private final EventBus eventBus;

  StatusUpdates(Store store, EventBus eventBus) {
    this.store = store;
    this.sent = new SentMessages(store);
    this.messages = store.collection(Collections.MESSAGES);
    this.dialogues = store.collection(Collections.DIALOGUES);
    this.audience = store.collection(Collections.AUDIENCE);
    this.counters = new TaskCounters(store);
    this.progress = new TaskProgress(store);
    this.eventBus = eventBus;
  }

  /** Applies one status; statuses of messages Parley did not send (or does not know) are ignored. */
  Future<Void> apply(NumberSettings number, WebhookEvents.Status status, Instant now) {
    return sent.find(status.wamid()).compose(mine -> {
      if (mine == null || !number.channelId().equals(mine.getString("channel"))) return Future.succeededFuture();
      String messageId = mine.getString("messageId");
      return record(messageId, status)
          .compose(v -> charge(number, mine, status, now))
          .compose(v -> "failed".equals(status.status()) ? failed(mine, status, now) : Future.succeededFuture());
    });
  }

  private Future<Void> record(String messageId, WebhookEvents.Status status) {
    Document entry = new Document("status", status.status()).append("at", Date.from(status.at()));
    if (status.failure() != null) entry.append("reason", status.failure());
    Future<Void> history = Rx.done(messages.updateOne(Filters.eq("_id", messageId), Updates.addToSet("history", entry)));
    int rank = ORDER.indexOf(status.status());
    if (rank < 0) return history;
    List<String> notBehind = ORDER.subList(rank, ORDER.size());
    var set = status.failure() == null ? Updates.set("status", status.status())
        : Updates.combine(Updates.set("status", status.status()), Updates.set("reason", status.failure()));
    return history.compose(v -> Rx.done(messages.updateOne(
        Filters.and(Filters.eq("_id", messageId), Filters.nin("status", notBehind)), set)));
  }

  /** The first priced delivery (or read) of a message costs its category's price, once. */
  private Future<Void> charge(NumberSettings number, Document mine, WebhookEvents.Status status, Instant now) {
    WebhookEvents.Pricing pricing = status.pricing();
    boolean arrived = "delivered".equals(status.status()) || "read".equals(status.status());
    if (!arrived || pricing == null || !pricing.billable()) return Future.succeededFuture();
    BigDecimal price = number.price(pricing.category());
    if (price.signum() == 0) return Future.succeededFuture();
    return sent.once(status.wamid(), "charged", now).compose(first -> {
      if (first == null) return Future.succeededFuture();
      Decimal128 amount = new Decimal128(price);
      return Rx.done(messages.updateOne(Filters.eq("_id", mine.getString("messageId")), Updates.combine(
              Updates.inc("cost", amount), Updates.set("pricingCategory", pricing.category()))))
          .compose(v -> Rx.first(dialogues.findOneAndUpdate(Filters.eq("_id", mine.getString("dialogueId")),
              Updates.inc("spend", amount), new FindOneAndUpdateOptions().projection(Projections.include("task")))))
          .compose(d -> d == null || d.getString("task") == null ? Future.succeededFuture()
              : progress.update(d.getString("task"), Updates.inc("stats.spend", amount))); // the task's spend, as the AI's
    });
  }

  /** Meta could not deliver: an opening's target fails, and the dialogue is closed with the reason, once. */
  private Future<Void> failed(Document mine, WebhookEvents.Status status, Instant now) {
    return sent.once(status.wamid(), "failed", now).compose(first -> first == null ? Future.succeededFuture()
        : Rx.first(dialogues.find(Filters.eq("_id", mine.getString("dialogueId"))).limit(1)).compose(dialogue -> {
          if (dialogue == null) return Future.succeededFuture();
          return failTarget(dialogue, mine.getString("messageId"), status.failure(), now)
              .compose(v -> PlatformClosures.close(store, eventBus, dialogue.getString("_id"), status.failure(), now))
              .mapEmpty();
        }));
  }

  private Future<Void> failTarget(Document dialogue, String messageId, String reason, Instant now) {
    String taskId = dialogue.getString("task");
    String contact = dialogue.getString("contact");
    if (taskId == null || contact == null) return Future.succeededFuture();
    return Rx.first(audience.findOneAndUpdate(Filters.and(Filters.eq("_id", BatchWriter.entryId(taskId, contact)),
            Filters.eq("messageId", messageId), Filters.eq("state", TargetState.SENT.wire())),
            Updates.combine(Updates.set("state", TargetState.FAILED.wire()), Updates.set("reason", reason),
                Updates.set("finishedAt", Date.from(now))),
            new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE)))
        .compose(before -> before == null ? Future.succeededFuture()
            : counters.move(taskId, TargetState.SENT, TargetState.FAILED, 1));
  }
}
