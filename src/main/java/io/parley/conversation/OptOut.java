package io.parley.conversation;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.audience.BatchWriter;
import io.parley.audience.TargetState;
import io.parley.channel.telegram.TelegramAliases;
import io.parley.store.Collections;
import io.parley.store.DuplicateKey;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.parley.task.TaskCounters;
import io.parley.task.TaskStatus;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * A contact's stop word: the dialogue closes with outcome {@code opted_out}, the address is suppressed for
 * every task ({@code suppressions}, {@code _id = address}; dispatchers skip suppressed targets they claim),
 * and so is every other address the channel knows the person by (a Telegram chat id, {@code @username},
 * {@code +phone}); their pending targets in every running task become {@code skipped: opted out}, and one
 * confirmation is sent — only the first time, so a repeated STOP is not answered again. A contact with no
 * dialogue (no running task answers the channel) is confirmed outside any dialogue; how that went is kept on
 * their suppression ({@code confirmation}).
 */
final class OptOut {
  static final String REASON = "opted out";
  static final String OUTCOME = "opted_out";

  private final Store store;
  private final MongoCollection<Document> suppressions;
  private final MongoCollection<Document> tasks;
  private final MongoCollection<Document> audience;
  private final TaskCounters counters;
  private final Dialogues dialogues;
  private final DialogueEvents events;
  private final ReplySender sender;
  private final ConversationMetrics metrics;
  private final Clock clock;
  private final String confirmation;

  OptOut(Store store, Dialogues dialogues, DialogueEvents events, ReplySender sender, ConversationMetrics metrics,
      Clock clock, String confirmation) {
    this.store = store;
    this.suppressions = store.collection(Collections.SUPPRESSIONS);
    this.tasks = store.collection(Collections.TASKS);
    this.audience = store.collection(Collections.AUDIENCE);
    this.counters = new TaskCounters(store);
    this.dialogues = dialogues;
    this.events = events;
    this.sender = sender;
    this.metrics = metrics;
    this.clock = clock;
    this.confirmation = confirmation;
  }

  /** {@code dialogue} is null when the contact wrote to a channel no running task answers. */
  Future<Void> apply(Document dialogue, String channelId, String address) {
    return TelegramAliases.of(store, channelId, address).compose(addresses -> {
      Future<Boolean> first = suppress(addresses.get(0), channelId, dialogue, null);
      for (String alias : addresses.subList(1, addresses.size())) {
        first = first.compose(fresh -> suppress(alias, channelId, dialogue, address).map(fresh));
      }
      return first.compose(fresh -> close(dialogue)
            .compose(closed -> skipTargets(addresses))
            .compose(v -> {
              if (!fresh) return Future.succeededFuture();
              metrics.optOut();
              if (dialogue == null) return confirmOutside(channelId, address, addresses.get(0));
              return sender.send(dialogue, confirmation, "system", "opt_out", BigDecimal.ZERO).mapEmpty();
            }));
    });
  }

  /** Confirms the opt-out of a contact with no dialogue; how it went is recorded on their suppression {@code suppressed}. */
  private Future<Void> confirmOutside(String channelId, String address, String suppressed) {
    return sender.sendOutside(channelId, address, confirmation, "opt_out").compose(sent -> Rx.done(suppressions.updateOne(
        Filters.eq("_id", suppressed), Updates.set("confirmation", ReplySender.outcome(sent, clock.instant())))));
  }

  /**
   * Suppresses {@code address}; true when it was not before by the person's own word. {@code as} is the
   * address the person wrote as. A suppression something else made ({@code source}: WhatsApp's marketing
   * stop, which their resuming lifts) becomes theirs, for good.
   */
  private Future<Boolean> suppress(String address, String channelId, Document dialogue, String as) {
    Document suppression = new Document("_id", address).append("channel", channelId)
        .append("dialogue", dialogue == null ? null : dialogue.getString("_id")).append("at", Date.from(clock.instant()));
    if (as != null) suppression.append("as", as);
    return Rx.done(suppressions.insertOne(suppression)).map(true)
        .recover(err -> !DuplicateKey.is(err) ? Future.failedFuture(err)
            : Rx.first(suppressions.findOneAndReplace(Filters.and(Filters.eq("_id", address), Filters.exists("source")),
                suppression)).map(before -> before != null));
  }

  private Future<Document> close(Document dialogue) {
    if (dialogue == null || Dialogues.CLOSED.equals(dialogue.getString("state"))) return Future.succeededFuture(dialogue);
    List<String> notClosed = List.of(Dialogues.OPEN, Dialogues.HUMAN, Dialogues.BLOCKED);
    return dialogues.outcome(dialogue.getString("_id"), OUTCOME, "system", true, clock.instant(), notClosed).map(closed -> {
      if (closed == null) return dialogue; // closed meanwhile, with the outcome its closer chose
      events.state(closed);
      events.outcome(closed, "system");
      return closed;
    });
  }

  /**
   * One {@code _id} claim per running task and address, the way dispatchers claim: only a pending, unclaimed
   * entry is ours to skip. A finished task sends nothing more; one that runs again skips them on its claim.
   */
  private Future<Void> skipTargets(List<String> addresses) {
    List<String> running = List.of(TaskStatus.AWAITING.wire(), TaskStatus.IN_PROGRESS.wire(), TaskStatus.PAUSED.wire());
    return Rx.list(tasks.find(Filters.in("status", running)).projection(Projections.include("_id"))).compose(all -> {
      Future<Void> done = Future.succeededFuture();
      for (Document task : all) {
        for (String address : addresses) done = done.compose(v -> skip(task.getString("_id"), address));
      }
      return done;
    });
  }

  private Future<Void> skip(String taskId, String address) {
    String entryId = BatchWriter.entryId(taskId, address);
    return Rx.first(audience.findOneAndUpdate(Filters.eq("_id", entryId), Updates.inc("claims", 1),
            new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE)))
        .compose(before -> {
          if (before == null) return Future.succeededFuture();
          Object claims = before.get("claims");
          boolean unclaimed = !(claims instanceof Number n) || n.longValue() == 0;
          if (!unclaimed || !TargetState.PENDING.wire().equals(before.getString("state"))) return Future.succeededFuture();
          return Rx.done(audience.updateOne(Filters.eq("_id", entryId), Updates.combine(
                  Updates.set("state", TargetState.SKIPPED.wire()), Updates.set("reason", REASON),
                  Updates.set("finishedAt", Date.from(clock.instant())))))
              .compose(v -> counters.move(taskId, TargetState.PENDING, TargetState.SKIPPED, 1));
        });
  }
}
