package io.parley.conversation;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.channel.IncomingMessage;
import io.parley.dispatch.DialogueRecorder;
import io.parley.store.Collections;
import io.parley.store.DuplicateKey;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Date;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A contact now writes from another address on the channel (WhatsApp: they changed their number, and Meta
 * says so): their dialogue moves with them. The new address's key names the dialogue, the dialogue's
 * {@code contact} becomes the new address (replies go there; the old one is kept in {@code formerContacts}),
 * and the old key is removed, so whoever is given the old number next starts a dialogue of their own. An
 * opt-out follows the person to the new address. If the new address already has a dialogue on the channel
 * (they wrote from it before the notice was routed), nothing moves: the notice stays in the old dialogue for
 * the manager to see. Repeating a move changes nothing.
 */
final class ContactMoves {
  private static final Logger log = LoggerFactory.getLogger(ContactMoves.class);

  private final MongoCollection<Document> keys;
  private final MongoCollection<Document> dialogues;
  private final MongoCollection<Document> suppressions;
  private final Clock clock;

  ContactMoves(Store store, Clock clock) {
    this.keys = store.collection(Collections.DIALOGUE_KEYS);
    this.dialogues = store.collection(Collections.DIALOGUES);
    this.suppressions = store.collection(Collections.SUPPRESSIONS);
    this.clock = clock;
  }

  /**
   * Moves {@code dialogue} (as the notice was stored in it) from {@code m.from()} to {@code m.movedTo()};
   * the dialogue as it is after, which the caller's events then show.
   */
  Future<Document> apply(Document dialogue, IncomingMessage m) {
    String id = dialogue.getString("_id");
    String from = m.from();
    String to = m.movedTo();
    Document key = new Document("_id", DialogueRecorder.key(m.channelId(), to)).append("dialogue", id)
        .append("task", dialogue.getString("task"));
    return Rx.done(keys.insertOne(key)).map(true)
        .recover(err -> !DuplicateKey.is(err) ? Future.failedFuture(err)
            : Rx.first(keys.find(Filters.eq("_id", key.getString("_id"))).limit(1))
                .map(existing -> existing != null && id.equals(existing.getString("dialogue"))))
        .compose(ours -> {
          if (!ours) {
            log.info("Dialogue {}: its contact {} now writes from {}, which has a dialogue of its own on channel {}; "
                + "nothing moves", id, from, to, m.channelId());
            return Future.succeededFuture(dialogue);
          }
          return Rx.done(dialogues.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("contact", from)),
                  Updates.combine(Updates.set("contact", to), Updates.addToSet("formerContacts", from))))
              .compose(v -> Rx.done(keys.deleteOne(Filters.and(Filters.eq("_id", DialogueRecorder.key(m.channelId(), from)),
                  Filters.eq("dialogue", id)))))
              .compose(v -> carryOptOut(from, to, m.channelId(), id))
              .map(v -> {
                log.info("Dialogue {} moved with its contact from {} to {} on channel {}", id, from, to, m.channelId());
                return new Document(dialogue).append("contact", to);
              });
        });
  }

  /** Suppresses {@code to} when {@code from} was, in the same way: it is the same person. */
  private Future<Void> carryOptOut(String from, String to, String channelId, String dialogueId) {
    return Rx.first(suppressions.find(Filters.eq("_id", from)).limit(1)).compose(s -> {
      if (s == null) return Future.succeededFuture();
      Document moved = new Document("_id", to).append("channel", channelId).append("dialogue", dialogueId)
          .append("at", Date.from(clock.instant())).append("movedFrom", from);
      if (s.getString("source") != null) moved.append("source", s.getString("source")); // what lifts it, lifts this too
      return Rx.done(suppressions.insertOne(moved))
          .recover(err -> DuplicateKey.is(err) ? Future.succeededFuture() : Future.failedFuture(err));
    });
  }
}
