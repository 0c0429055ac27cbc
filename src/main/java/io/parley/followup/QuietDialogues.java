package io.parley.followup;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import io.parley.App;
import io.parley.store.Collections;
import io.parley.store.DerivedIds;
import io.parley.store.Rx;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Finds outreach dialogues the contact never answered, {@code followUpAfterDays} (a task setting) after
 * they opened, and gives each one {@code dialogue_followup} task naming the opening message. Dialogues
 * still open count, and those closed as {@code no_answer}. Each check reads at most {@link #BATCH}
 * dialogues per task, past a per-task mark ({@code followup_scans}) of how far earlier checks got.
 */
final class QuietDialogues {
  static final int BATCH = 200;
  private final App app;
  private final ManagerTaskStore tasks;
  private final ManagerTaskEvents events;

  QuietDialogues(App app, ManagerTaskStore tasks, ManagerTaskEvents events) {
    this.app = app;
    this.tasks = tasks;
    this.events = events;
  }

  /** One pass over every task that asks for follow-ups; answers how many follow-up tasks it created. */
  Future<Integer> check() {
    Instant now = app.clock().instant();
    return Rx.list(app.store().collection(Collections.TASKS).find(Filters.gt("followUpAfterDays", 0))
            .projection(Projections.include("_id", "followUpAfterDays")).limit(1000))
        .compose(list -> {
          int[] created = {0};
          Future<Void> chain = Future.succeededFuture();
          for (Document t : list) {
            Instant cutoff = now.minus(Duration.ofDays(t.getInteger("followUpAfterDays")));
            chain = chain.compose(v -> scan(t.getString("_id"), cutoff, now).map(n -> {
              created[0] += n;
              return null;
            }));
          }
          return chain.map(v -> created[0]);
        });
  }

  private Future<Integer> scan(String taskId, Instant cutoff, Instant now) {
    var marks = app.store().collection(Collections.FOLLOWUP_SCANS);
    return Rx.first(marks.find(Filters.eq("_id", taskId))).compose(mark -> {
      Bson filter = Filters.and(Filters.eq("task", taskId), Filters.eq("origin", "outreach"),
          Filters.lte("createdAt", Date.from(cutoff)), past(mark));
      return Rx.list(app.store().collection(Collections.DIALOGUES).find(filter)
          .sort(Sorts.ascending("createdAt", "_id")).limit(BATCH));
    }).compose(dialogues -> {
      int[] created = {0};
      Future<Void> chain = Future.succeededFuture();
      for (Document d : dialogues) chain = chain.compose(v -> consider(d, now).map(made -> {
        if (made) created[0]++;
        return null;
      }));
      if (dialogues.isEmpty()) return chain.map(v -> 0);
      Document last = dialogues.get(dialogues.size() - 1);
      Document mark = new Document("_id", taskId).append("at", last.getDate("createdAt")).append("dialogue", last.getString("_id"));
      return chain.compose(v -> Rx.done(marks.replaceOne(Filters.eq("_id", taskId), mark, new ReplaceOptions().upsert(true))))
          .map(v -> created[0]);
    });
  }

  private static Bson past(Document mark) {
    if (mark == null) return Filters.empty();
    Date at = mark.getDate("at");
    return Filters.or(Filters.gt("createdAt", at), Filters.and(Filters.eq("createdAt", at), Filters.gt("_id", mark.getString("dialogue"))));
  }

  private Future<Boolean> consider(Document dialogue, Instant now) {
    String state = dialogue.getString("state");
    boolean quiet = "open".equals(state) || ("closed".equals(state) && "no_answer".equals(dialogue.getString("outcome")));
    if (!quiet) return Future.succeededFuture(false);
    var messages = app.store().collection(Collections.MESSAGES);
    String id = dialogue.getString("_id");
    return Rx.first(messages.find(Filters.and(Filters.eq("dialogue", id), Filters.eq("direction", "in"))).limit(1))
        .compose(reply -> {
          if (reply != null) return Future.succeededFuture(false);
          return Rx.first(messages.find(Filters.and(Filters.eq("dialogue", id), Filters.eq("direction", "out")))
                  .sort(Sorts.ascending("createdAt")).limit(1))
              .compose(opening -> create(dialogue, opening, now));
        });
  }

  private Future<Boolean> create(Document dialogue, Document opening, Instant now) {
    String id = dialogue.getString("_id");
    Document extra = new Document("message", opening == null ? null : opening.getString("_id"))
        .append("text", opening == null ? null : opening.getString("text"));
    Document doc = ManagerTaskMapper.newTask(DerivedIds.of("quiet:" + id), ManagerTaskType.DIALOGUE_FOLLOWUP,
        new ManagerTaskMapper.Refs(dialogue.getString("contact"), id, dialogue.getString("task")),
        dialogue.getString("manager"), TaskDate.at(now), now, extra);
    return tasks.insertOnce(doc).map(inserted -> {
      if (inserted) events.created(doc, now);
      return inserted;
    });
  }
}
