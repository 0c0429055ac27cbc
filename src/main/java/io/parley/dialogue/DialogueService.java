package io.parley.dialogue;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.parley.App;
import io.parley.http.ApiError;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Rx;
import io.parley.token.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Decimal128;

/**
 * What managers do with dialogues (SPEC §4, §7): list and read them, answer, take over from the AI, hand
 * back, close with an outcome. Every change is a compare-and-set on the dialogue's state, so a manager and
 * the AI (or two managers) racing cannot both win.
 */
public final class DialogueService {
  /** Longest history one read returns; older messages are left out (the answer says so). */
  static final int MAX_HISTORY = 1000;
  /** Dialogues read at a time when a marketer closes a task's dialogues. */
  static final int CLOSE_PAGE = 500;

  private final App app;
  private final DocumentStore dialogues;
  private final DocumentStore messages;
  private final DocumentStore tasks;
  private final DialogueEvents events;
  private final ReplySender sender;

  public DialogueService(App app) {
    this.app = app;
    this.dialogues = new DocumentStore(app.store(), Collections.DIALOGUES);
    this.messages = new DocumentStore(app.store(), Collections.MESSAGES);
    this.tasks = new DocumentStore(app.store(), Collections.TASKS);
    this.events = new DialogueEvents(app.vertx().eventBus());
    this.sender = new ReplySender(app, events);
  }

  record Query(Optional<String> task, Optional<String> manager, Optional<DialogueState> state, int limit,
      Optional<Cursor> after) {}

  /** Where a page ended: the last dialogue's activity time and id (pages are ordered by both, descending). */
  record Cursor(long at, String id) {
    static Optional<Cursor> parse(String wire) {
      int dash = wire.indexOf('_');
      try {
        return dash < 0 ? Optional.empty() : Optional.of(new Cursor(Long.parseLong(wire.substring(0, dash)), wire.substring(dash + 1)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    String wire() {
      return at + "_" + id;
    }
  }

  Future<Viewer> viewer(Principal principal) {
    return Viewer.of(app.store(), principal);
  }

  /** A page of the caller's dialogues, the most recently active first. */
  Future<JsonObject> list(Viewer viewer, Query q) {
    List<Bson> filters = new ArrayList<>();
    q.task().ifPresent(t -> filters.add(Filters.eq("task", t)));
    q.state().ifPresent(s -> filters.add(Filters.eq("state", s.wire())));
    if (q.manager().isPresent()) {
      if (!viewer.sees(q.manager().get())) {
        return Future.failedFuture(new ApiError(403, "forbidden", "this token does not operate virtual manager "
            + q.manager().get(), "manager"));
      }
      filters.add(Filters.eq("manager", q.manager().get()));
    } else if (!viewer.seesAll()) {
      if (viewer.managers().isEmpty()) return Future.succeededFuture(page(List.of(), q));
      filters.add(Filters.in("manager", viewer.managers()));
    }
    q.after().ifPresent(c -> {
      Date at = new Date(c.at());
      filters.add(Filters.or(Filters.lt("lastMessageAt", at), Filters.and(Filters.eq("lastMessageAt", at), Filters.lt("_id", c.id()))));
    });
    Bson filter = filters.isEmpty() ? Filters.empty() : Filters.and(filters);
    return dialogues.list(filter, Sorts.orderBy(Sorts.descending("lastMessageAt"), Sorts.descending("_id")), 0,
        q.limit() + 1).map(docs -> page(docs, q));
  }

  private static JsonObject page(List<Document> docs, Query q) {
    JsonArray items = new JsonArray();
    docs.stream().limit(q.limit()).forEach(d -> items.add(DialogueMapper.summary(d)));
    String next = null;
    if (docs.size() > q.limit()) {
      Document last = docs.get(q.limit() - 1);
      next = new Cursor(last.getDate("lastMessageAt").getTime(), last.getString("_id")).wire();
    }
    return new JsonObject().put("items", items).put("next", next);
  }

  /** One dialogue with its messages, oldest first. */
  Future<JsonObject> get(Viewer viewer, String id) {
    return load(viewer, id).compose(d -> Rx.list(messages.collection().find(Filters.eq("dialogue", id))
            .sort(Sorts.orderBy(Sorts.descending("createdAt"), Sorts.descending("_id"))).limit(MAX_HISTORY + 1))
        .map(found -> {
          JsonArray history = new JsonArray();
          List<Document> newest = found.subList(0, Math.min(found.size(), MAX_HISTORY));
          for (int i = newest.size() - 1; i >= 0; i--) history.add(DialogueMapper.message(newest.get(i)));
          return DialogueMapper.summary(d).put("messages", history).put("olderMessagesOmitted", found.size() > MAX_HISTORY);
        }));
  }

  /** The caller has read the dialogue: its unread count goes to zero. */
  Future<JsonObject> read(Viewer viewer, String id) {
    return load(viewer, id).compose(d -> new DialogueActivity(app.store()).read(id))
        .compose(v -> dialogues.find(id)).map(DialogueMapper::summary);
  }

  /**
   * A manager's reply. It goes out through the dialogue's channel; a dialogue the AI was answering is taken
   * over first, as a manager who writes is answering it.
   */
  Future<JsonObject> reply(Viewer viewer, String id, String text) {
    Instant now = app.clock().instant();
    return load(viewer, id).compose(d -> {
      DialogueState state = state(d);
      if (state == DialogueState.CLOSED) return Future.failedFuture(closed(id));
      Future<Document> human = state == DialogueState.HUMAN ? Future.succeededFuture(d)
          : transition(d, List.of(DialogueState.OPEN, DialogueState.BLOCKED), DialogueState.HUMAN, null, viewer, now);
      return human.compose(current -> sender.send(current, text, viewer.principal(), now));
    });
  }

  Future<JsonObject> takeover(Viewer viewer, String id) {
    Instant now = app.clock().instant();
    return load(viewer, id).compose(d -> transition(d, List.of(DialogueState.OPEN, DialogueState.BLOCKED),
        DialogueState.HUMAN, null, viewer, now)).map(DialogueMapper::summary);
  }

  /** Back to the AI — unless the dialogue's spend has reached the task's cap, which blocks it again. */
  Future<JsonObject> handback(Viewer viewer, String id) {
    Instant now = app.clock().instant();
    return load(viewer, id).compose(d -> tasks.find(d.getString("task")).compose(task -> {
      boolean capped = capReached(d, task);
      return transition(d, List.of(DialogueState.HUMAN), capped ? DialogueState.BLOCKED : DialogueState.OPEN,
          capped ? "spend cap reached" : null, viewer, now);
    })).map(updated -> {
      // messages the manager left unanswered are the AI's again
      if (DialogueState.OPEN.wire().equals(updated.getString("state"))) {
        app.vertx().eventBus().send(io.parley.EventAddresses.REPLY_DUE, new JsonObject().put("dialogueId", id));
      }
      return DialogueMapper.summary(updated);
    });
  }

  Future<JsonObject> close(Viewer viewer, String id, String outcome) {
    Instant now = app.clock().instant();
    return load(viewer, id).compose(d -> tasks.find(d.getString("task")).compose(task -> {
      if (!Outcomes.allowed(task).contains(outcome)) {
        return Future.failedFuture(ApiError.invalid("outcome", "outcome must be one of "
            + String.join(", ", Outcomes.allowed(task))));
      }
      return closeWith(d, outcome, "manager", viewer.principal().tokenId(), now);
    })).map(DialogueMapper::summary);
  }

  /**
   * Closes every dialogue of a finished (stopped or completed) task that is not closed yet, with {@code
   * no_further_action}, as the marketer {@code by} who asked (SPEC §2: a stopped task's dialogues stay
   * answerable unless the marketer asks to close them). Each close is a manager's close: callbacks, events.
   * Safe to repeat: a second call closes what the first left (or what opened since). Answers the count.
   */
  Future<JsonObject> closeDialoguesOf(String taskId, Principal by) {
    Instant now = app.clock().instant();
    return tasks.find(taskId).compose(task -> {
      if (task == null) return Future.failedFuture(ApiError.notFound("task", taskId));
      String status = task.getString("status");
      if (!"stopped".equals(status) && !"completed".equals(status)) {
        return Future.failedFuture(ApiError.conflict("task_not_finished", "task " + taskId + " is " + status
            + "; its dialogues can be closed once it is stopped or completed", "status"));
      }
      return closePages(taskId, by.tokenId(), now, 0).map(n -> new JsonObject().put("closed", n));
    });
  }

  private Future<Integer> closePages(String taskId, String operator, Instant now, int closedSoFar) {
    Bson unclosed = Filters.and(Filters.eq("task", taskId), Filters.in("state", DialogueState.OPEN.wire(),
        DialogueState.HUMAN.wire(), DialogueState.BLOCKED.wire()));
    return dialogues.list(unclosed, null, 0, CLOSE_PAGE).compose(page -> {
      Future<Integer> closed = Future.succeededFuture(0);
      for (Document d : page) {
        closed = closed.compose(n -> closeWith(d, "no_further_action", "marketer", operator, now).map(x -> n + 1)
            .recover(err -> err instanceof ApiError e && e.status() == 409 ? Future.succeededFuture(n) // closed meanwhile
                : Future.failedFuture(err)));
      }
      // A full page means there may be more; a page that closed nothing would only repeat itself.
      return closed.compose(n -> page.size() == CLOSE_PAGE && n > 0 ? closePages(taskId, operator, now, closedSoFar + n)
          : Future.succeededFuture(closedSoFar + n));
    });
  }

  /** Closes {@code d} with {@code outcome} unless it is closed already; publishes the outcome once. */
  Future<Document> closeWith(Document d, String outcome, String by, String operator, Instant now) {
    List<String> from = List.of(DialogueState.OPEN.wire(), DialogueState.HUMAN.wire(), DialogueState.BLOCKED.wire());
    return dialogues.update(d.getString("_id"), Filters.in("state", from), Updates.combine(
            Updates.set("state", DialogueState.CLOSED.wire()), Updates.set("outcome", outcome),
            Updates.set("closedAt", Date.from(now)), Updates.set("closedBy", by), Updates.set("closedByOperator", operator),
            Updates.set("stateReason", null)))
        .compose(updated -> {
          if (updated == null) return Future.failedFuture(closed(d.getString("_id")));
          // the integration's callbacks are in the outbox before the answer, so no crash can lose them
          return new io.parley.integration.delivery.Callbacks(app).dialogueOutcome(updated.getString("_id"),
                  updated.getString("task"), outcome, by, true, now.toString())
              .map(v -> {
                events.state(updated, now);
                events.outcome(updated, by, now);
                return updated;
              });
        });
  }

  private Future<Document> transition(Document d, List<DialogueState> from, DialogueState to, String reason,
      Viewer viewer, Instant now) {
    List<Bson> set = new ArrayList<>(List.of(Updates.set("state", to.wire()), Updates.set("stateReason", reason)));
    if (to == DialogueState.HUMAN) {
      set.add(Updates.set("humanSince", Date.from(now)));
      set.add(Updates.set("humanBy", viewer.principal().tokenId()));
      set.add(Updates.set(DialogueWatch.AWAITING_MANAGER, Date.from(now))); // until a manager answers (DialogueActivity)
      set.add(Updates.unset("overdue")); // a new takeover has its own time
    }
    return dialogues.update(d.getString("_id"), Filters.in("state", from.stream().map(DialogueState::wire).toList()),
            Updates.combine(set))
        .compose(updated -> {
          if (updated == null) {
            // Someone else changed the state first: say what it is now.
            return dialogues.find(d.getString("_id")).compose(now2 -> Future.failedFuture(ApiError.conflict("state",
                "dialogue " + d.getString("_id") + " is " + (now2 == null ? "gone" : now2.getString("state"))
                    + "; this needs it " + String.join(" or ", from.stream().map(DialogueState::wire).toList()), null)));
          }
          events.state(updated, now);
          if (to == DialogueState.BLOCKED) events.blocked(updated, now);
          return Future.succeededFuture(updated);
        });
  }

  private Future<Document> load(Viewer viewer, String id) {
    return dialogues.find(id).compose(d -> d == null ? Future.failedFuture(ApiError.notFound("dialogue", id))
        : Future.succeededFuture(viewer.require(d)));
  }

  static boolean capReached(Document dialogue, Document task) {
    if (task == null || !(task.get("spendLimitPerDialogue") instanceof Decimal128 cap)) return false;
    BigDecimal spend = dialogue.get("spend") instanceof Decimal128 s ? s.bigDecimalValue() : BigDecimal.ZERO;
    return spend.compareTo(cap.bigDecimalValue()) >= 0;
  }

  private static DialogueState state(Document d) {
    return DialogueState.parse(d.getString("state")).orElse(DialogueState.OPEN);
  }

  private static ApiError closed(String id) {
    return ApiError.conflict("closed", "dialogue " + id + " is closed", null);
  }
}
