package io.parley.dispatch;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.BatchedWrites;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.parley.task.TaskProgress;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Records an opened dialogue and its first message under the ids fixed at claim time, so recording the
 * same opening twice (a retry after a crash between the two writes) changes nothing. The contact's key
 * ({@code dialogue_keys}, {@code channel:contact}) then points at it, so replies are routed by {@code _id}.
 * A key that named an earlier dialogue of the contact on the channel is re-pointed, and that dialogue is
 * marked replaced ({@link #SUPERSEDED_BY}): a router that remembers the key finds out from it.
 */
public final class DialogueRecorder {
  /** On a dialogue whose contact's key was re-pointed to a later one: that one's id. */
  public static final String SUPERSEDED_BY = "supersededBy";

  private final MongoCollection<Document> dialogues;
  private final BatchedWrites dialogueWrites;
  private final BatchedWrites messageWrites;
  private final TaskProgress progress;
  private final BatchedWrites keyWrites;
  private final MongoCollection<Document> keys;

  public DialogueRecorder(Store store) {
    this.dialogues = store.collection(Collections.DIALOGUES);
    this.dialogueWrites = store.batched(Collections.DIALOGUES);
    this.messageWrites = store.batched(Collections.MESSAGES);
    this.progress = new TaskProgress(store);
    this.keyWrites = store.batched(Collections.DIALOGUE_KEYS);
    this.keys = store.collection(Collections.DIALOGUE_KEYS);
  }

  /** The {@code dialogue_keys} id of a contact on a channel. */
  public static String key(String channelId, String contact) {
    return channelId + ":" + contact;
  }

  record Opening(TargetClaims.Claim claim, String channelId, String manager, String text, String platformMessageId) {}

  Future<Void> opened(Opening o, Instant now) {
    Date at = Date.from(now);
    Document dialogue = new Document("_id", o.claim().dialogueId()).append("task", o.claim().taskId())
        .append("channel", o.channelId()).append("contact", o.claim().address())
        .append("fields", o.claim().fields()).append("manager", o.manager()).append("state", "open")
        .append("origin", "outreach").append("spend", new org.bson.types.Decimal128(0L))
        .append("recent", List.of(new Document("author", "system").append("text", o.text())))
        .append("createdAt", at).append("lastMessageAt", at);
    Document message = new Document("_id", o.claim().messageId()).append("dialogue", o.claim().dialogueId())
        .append("direction", "out").append("author", "system").append("text", o.text())
        .append("platformMessageId", o.platformMessageId()).append("status", "sent")
        .append("cost", new org.bson.types.Decimal128(0L)).append("createdAt", at);
    // Both new documents in one turn (each written with others' under load), then the key that routes to them.
    Future<Boolean> recorded = dialogueWrites.insert(dialogue);
    Future<Boolean> first = messageWrites.insert(message);
    String key = key(o.channelId(), o.claim().address());
    return Future.all(recorded, first)
        .compose(v -> keyWrites.insert(new Document("_id", key).append("dialogue", o.claim().dialogueId())
            .append("task", o.claim().taskId())))
        .compose(fresh -> fresh ? Future.<Void>succeededFuture() : repoint(key, o.claim().dialogueId(), o.claim().taskId()));
  }

  /**
   * Points the contact's existing key at the dialogue {@code id}, then marks the dialogue it named before
   * replaced by it (in that order: a router reading the key meanwhile already finds the new one).
   */
  private Future<Void> repoint(String key, String id, String taskId) {
    return Rx.first(keys.findOneAndUpdate(Filters.eq("_id", key),
            Updates.combine(Updates.set("dialogue", id), Updates.set("task", taskId)),
            new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.BEFORE)))
        .compose(before -> {
          String replaced = before == null ? null : before.getString("dialogue");
          if (replaced == null || replaced.equals(id)) return Future.succeededFuture(); // this opening's key already
          return dialogueWrites.update(Filters.eq("_id", replaced), Updates.set(SUPERSEDED_BY, id));
        });
  }

  /** The virtual manager of the next dialogue: in turn, or the one with the fewest open dialogues. */
  public Future<String> assignManager(String taskId, List<String> managers, boolean leastLoaded) {
    if (managers.size() == 1) return Future.succeededFuture(managers.get(0));
    if (!leastLoaded) {
      return progress.updateAndGet(taskId, Updates.inc("managerTurn", 1L), ReturnDocument.BEFORE,
              Projections.include("managerTurn"))
          .map(before -> {
            long turn = before == null ? 0 : before.get("managerTurn", 0L);
            return managers.get((int) Math.floorMod(turn, (long) managers.size()));
          });
    }
    Future<String> best = Future.succeededFuture(null);
    long[] fewest = {Long.MAX_VALUE};
    for (String manager : managers) {
      best = best.compose(current -> Rx.first(dialogues.countDocuments(Filters.and(Filters.eq("manager", manager),
              Filters.in("state", "open", "human")))).map(n -> {
        if (n < fewest[0]) {
          fewest[0] = n;
          return manager;
        }
        return current;
      }));
    }
    return best;
  }
}
