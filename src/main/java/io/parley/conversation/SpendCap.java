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
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Decimal128;

/**
 * A dialogue's spend against its task's cap, changed only by {@code $inc} on the dialogue's {@code _id}.
 * Before an AI call its worst-case cost is reserved: the call may go ahead only if the spend before it was
 * under the cap and the reservation still fits; otherwise the reservation is taken back. After the call the
 * reservation is corrected to the real cost. Racing replies can push the stored sum past the cap for a
 * moment, but never the money committed, so no race spends more than the cap.
 */
final class SpendCap {
  private static final int RESERVE_ATTEMPTS = 4;
  private static final Bson AFTER_CHANGE = Projections.include("spend", "state");
  private final MongoCollection<Document> dialogues;
  private final TaskProgress progress;

  SpendCap(Store store) {
    this.dialogues = store.collection(Collections.DIALOGUES);
    this.progress = new TaskProgress(store);
  }

  /** Whether {@code amount} was reserved under {@code limit}. */
  Future<Boolean> reserve(String dialogueId, BigDecimal amount, BigDecimal limit) {
    return reserve(dialogueId, amount, limit, 1);
  }

  /**
   * A refusal caused by other callers' reservations that may still be taken back (the spend before ours
   * was under the cap) is tried again a few times, so a race seldom refuses a reply that fits.
   */
  private Future<Boolean> reserve(String dialogueId, BigDecimal amount, BigDecimal limit, int attempt) {
    return add(dialogueId, amount).compose(after -> {
      boolean underBefore = after.subtract(amount).compareTo(limit) < 0;
      if (after.compareTo(limit) <= 0 && underBefore) return Future.succeededFuture(true);
      return add(dialogueId, amount.negate()).compose(back -> underBefore && attempt < RESERVE_ATTEMPTS
          && back.add(amount).compareTo(limit) <= 0 ? reserve(dialogueId, amount, limit, attempt + 1)
          : Future.succeededFuture(false));
    });
  }

  /**
   * Replaces a reservation by the real cost (also counted on the task); the dialogue's {@code spend} and
   * {@code state} after it (null when the dialogue is gone).
   */
  Future<Document> settle(String dialogueId, String taskId, BigDecimal reserved, BigDecimal cost) {
    Future<Void> task = cost.signum() == 0 ? Future.succeededFuture()
        : progress.update(taskId, Updates.inc("stats.spend", new Decimal128(cost)));
    return task.compose(v -> change(dialogueId, cost.subtract(reserved)));
  }

  private Future<BigDecimal> add(String dialogueId, BigDecimal amount) {
    return change(dialogueId, amount).map(SpendCap::spend);
  }

  private Future<Document> change(String dialogueId, BigDecimal amount) {
    return Rx.first(dialogues.findOneAndUpdate(Filters.eq("_id", dialogueId), Updates.inc("spend", new Decimal128(amount)),
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
