package io.parley.conversation;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.parley.task.TaskProgress;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Decimal128;

/**
 * A dialogue's spend against its task's cap. {@code spend} is what was spent (AI calls, paid channel
 * messages), only ever {@code $inc}'d. Before an AI call its worst-case cost is reserved in the same
 * document, under {@code reservations.<key>} ({@code {amount, at}}, one per burst being answered), and
 * the call may go ahead only if the spend and every reservation, its own included, fit under the cap:
 * racing replies can never commit more than the cap. After the call the reservation is removed and the real
 * cost added. A reservation older than the reply lease is a responder's that stopped (a crash during the
 * call): it no longer counts, and the next change removes it.
 */
final class SpendCap {
  private static final String RESERVATIONS = "reservations";
  private static final Bson AFTER_CHANGE = Projections.include("spend", "state", RESERVATIONS);
  private final MongoCollection<Document> dialogues;
  private final TaskProgress progress;
  private final Duration lease;

  /** How a reservation ended. */
  enum Verdict {
    /** Reserved: the call may go ahead. */
    GRANTED,
    /** What was spent has reached the cap. */
    REACHED,
    /** It does not fit now, but other calls' reservations are under way: once they settle it may. */
    BUSY,
    /** What is left under the cap, with no other call under way, cannot pay for the call's worst case. */
    TOO_LITTLE_LEFT
  }

  /** A reservation's verdict, and the spend it saw (reservations not included). */
  record Reservation(Verdict verdict, BigDecimal spent) {}

  SpendCap(Store store, Duration lease) {
    this.dialogues = store.collection(Collections.DIALOGUES);
    this.progress = new TaskProgress(store);
    this.lease = lease;
  }

  /** Reserves {@code amount} under {@code key} (the burst being answered) if it fits under {@code limit}. */
  Future<Reservation> reserve(String dialogueId, String key, BigDecimal amount, BigDecimal limit, Instant now) {
    Document reservation = new Document("amount", new Decimal128(amount)).append("at", Date.from(now));
    return change(dialogueId, Updates.set(RESERVATIONS + "." + key, reservation)).compose(after -> {
      if (after == null) return Future.succeededFuture(new Reservation(Verdict.REACHED, BigDecimal.ZERO)); // gone
      BigDecimal spent = spend(after);
      BigDecimal others = reserved(after, key, now);
      if (spent.add(others).add(amount).compareTo(limit) <= 0 && spent.compareTo(limit) < 0) {
        return Future.succeededFuture(new Reservation(Verdict.GRANTED, spent));
      }
      Verdict verdict = spent.compareTo(limit) >= 0 ? Verdict.REACHED
          : others.signum() > 0 ? Verdict.BUSY : Verdict.TOO_LITTLE_LEFT;
      return release(dialogueId, key, after, now).map(v -> new Reservation(verdict, spent));
    });
  }

  /**
   * Replaces the reservation under {@code key} by the real cost (also counted on the task); the dialogue's
   * {@code spend} and {@code state} after it (null when the dialogue is gone).
   */
  Future<Document> settle(String dialogueId, String key, String taskId, BigDecimal cost) {
    Future<Void> task = cost.signum() == 0 ? Future.succeededFuture()
        : progress.update(taskId, Updates.inc("stats.spend", new Decimal128(cost)));
    Bson update = Updates.unset(RESERVATIONS + "." + key);
    if (cost.signum() != 0) update = Updates.combine(update, Updates.inc("spend", new Decimal128(cost)));
    Bson settled = update;
    return task.compose(v -> change(dialogueId, settled));
  }

  /** Takes back the reservation under {@code key}, and any that ran out with it. */
  private Future<Void> release(String dialogueId, String key, Document after, Instant now) {
    List<Bson> gone = new ArrayList<>();
    gone.add(Updates.unset(RESERVATIONS + "." + key));
    Document all = after.get(RESERVATIONS, Document.class);
    if (all != null) {
      all.forEach((k, r) -> {
        if (!k.equals(key) && !live(r, now)) gone.add(Updates.unset(RESERVATIONS + "." + k));
      });
    }
    return change(dialogueId, Updates.combine(gone)).mapEmpty();
  }

  /** The sum of the live reservations in {@code dialogue} but the one under {@code key}. */
  private BigDecimal reserved(Document dialogue, String key, Instant now) {
    Document all = dialogue.get(RESERVATIONS, Document.class);
    BigDecimal sum = BigDecimal.ZERO;
    if (all == null) return sum;
    for (var e : all.entrySet()) {
      if (!e.getKey().equals(key) && live(e.getValue(), now) && e.getValue() instanceof Document r
          && r.get("amount") instanceof Decimal128 amount) {
        sum = sum.add(amount.bigDecimalValue());
      }
    }
    return sum;
  }

  private boolean live(Object reservation, Instant now) {
    return reservation instanceof Document r && r.getDate("at") != null
        && r.getDate("at").toInstant().plus(lease).isAfter(now);
  }

  private Future<Document> change(String dialogueId, Bson update) {
    return Rx.first(dialogues.findOneAndUpdate(Filters.eq("_id", dialogueId), update,
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).projection(AFTER_CHANGE)));
  }

  static BigDecimal spend(Document dialogue) {
    Object v = dialogue == null ? null : dialogue.get("spend");
    if (v instanceof Decimal128 d) return d.bigDecimalValue();
    if (v instanceof Number n) return new BigDecimal(n.toString());
    return BigDecimal.ZERO;
  }

  static BigDecimal limit(Document task) {
    Object v = task.get("spendLimitPerDialogue");
    if (v instanceof Decimal128 d) return d.bigDecimalValue();
    if (v instanceof Number n) return new BigDecimal(n.toString());
    return BigDecimal.ZERO;
  }
}
