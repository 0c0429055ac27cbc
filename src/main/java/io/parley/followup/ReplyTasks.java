package io.parley.followup;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.parley.App;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.DuplicateKey;
import io.parley.store.Ids;
import io.parley.store.Rx;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The one open {@code dialogue_reply} task of a dialogue that waits for a human. A key document
 * {@code reply:<dialogueId>} names the task that new messages join; the task is upserted only while it is
 * open, so once its manager completes it the next message moves the key to a fresh task. Without
 * transactions this still never leaves two open reply tasks for one dialogue: every writer goes through
 * the key, and a key is only moved away from a task that is complete.
 */
final class ReplyTasks {
  private static final int ATTEMPTS = 5;
  private final App app;
  private final ManagerTaskStore tasks;
  private final ManagerTaskEvents events;
  private final DocumentStore keys;
  private final DocumentStore dialogues;

  ReplyTasks(App app, ManagerTaskStore tasks, ManagerTaskEvents events) {
    this.app = app;
    this.tasks = tasks;
    this.events = events;
    this.keys = new DocumentStore(app.store(), Collections.MANAGER_TASK_KEYS);
    this.dialogues = new DocumentStore(app.store(), Collections.DIALOGUES);
  }

  /**
   * Dialogue {@code dialogueId} waits for a human: its open reply task, created for {@code manager} (the
   * dialogue's own when null) if there is none, lists {@code messageId} (when not null). A task created
   * without a {@code reason} (a message's event came before the state's own) takes it from the dialogue.
   */
  Future<Void> waiting(String dialogueId, String manager, String reason, String messageId) {
    return dialogues.find(dialogueId).compose(dialogue -> {
      if (dialogue == null) return Future.succeededFuture();
      String owner = manager != null ? manager : dialogue.getString("manager");
      String why = reason != null ? reason : reason(dialogue);
      return key(dialogueId, 0).compose(taskId -> join(taskId, dialogue, owner, why, messageId, ATTEMPTS));
    });
  }

  /**
   * Why a dialogue in {@code state} waits, as its reply task says it: "handed over", "blocked: why", or for a
   * closed one the contact wrote into again "wrote after it closed: why".
   */
  static String reason(String state, String stateReason) {
    String why = stateReason == null ? "" : ": " + stateReason;
    if ("human".equals(state)) return "handed over";
    if ("blocked".equals(state)) return "blocked" + why;
    if ("closed".equals(state)) return "wrote after it closed" + why;
    return null;
  }

  private static String reason(Document dialogue) {
    return reason(dialogue.getString("state"), dialogue.getString("stateReason"));
  }

  private Future<String> key(String dialogueId, int attempt) {
    return Rx.first(keys.collection().findOneAndUpdate(Filters.eq("_id", "reply:" + dialogueId),
            Updates.setOnInsert("task", Ids.newId()),
            new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)))
        .map(k -> k.getString("task"))
        .recover(err -> DuplicateKey.is(err) && attempt < ATTEMPTS ? key(dialogueId, attempt + 1) : Future.failedFuture(err));
  }

  private Future<Void> join(String taskId, Document dialogue, String owner, String reason, String messageId, int attempts) {
    Instant now = app.clock().instant();
    Document fresh = ManagerTaskMapper.newTask(taskId, ManagerTaskType.DIALOGUE_REPLY,
        new ManagerTaskMapper.Refs(dialogue.getString("contact"), dialogue.getString("_id"), dialogue.getString("task")),
        owner, TaskDate.at(now), now, new Document("reason", reason));
    List<Bson> updates = new ArrayList<>();
    fresh.forEach((k, v) -> {
      if (!List.of("_id", "isComplete", "updatedAt").contains(k)) updates.add(Updates.setOnInsert(k, v));
    });
    updates.add(messageId == null ? Updates.setOnInsert("messages", List.of()) : Updates.addToSet("messages", messageId));
    updates.add(Updates.set("updatedAt", Date.from(now)));
    return Rx.first(tasks.collection().updateOne(Filters.and(Filters.eq("_id", taskId), Filters.eq("isComplete", false)),
            Updates.combine(updates), new UpdateOptions().upsert(true)))
        .compose(result -> {
          if (result.getUpsertedId() != null) events.created(fresh, now);
          return Future.<Void>succeededFuture();
        })
        .recover(err -> {
          if (!DuplicateKey.is(err) || attempts <= 1) return Future.failedFuture(err);
          return next(taskId, dialogue.getString("_id"))
              .compose(id -> join(id, dialogue, owner, reason, messageId, attempts - 1));
        });
  }

  /** The task to join after {@code taskId} refused: itself if it is open after all, else a new one. */
  private Future<String> next(String taskId, String dialogueId) {
    return tasks.find(taskId).compose(task -> {
      if (task != null && !task.getBoolean("isComplete", false)) return Future.succeededFuture(taskId);
      return Rx.first(keys.collection().findOneAndUpdate(
              Filters.and(Filters.eq("_id", "reply:" + dialogueId), Filters.eq("task", taskId)),
              Updates.set("task", Ids.newId()), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
          .compose(moved -> moved != null ? Future.succeededFuture(moved.getString("task")) : key(dialogueId, 0));
    });
  }
}
