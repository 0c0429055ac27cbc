package io.parley.followup;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.parley.App;
import io.parley.http.ApiError;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.task.OutcomeRules;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * What managers do with follow-up tasks: read, change one, change many, complete with an outcome, delete.
 * Every change is a compare-and-set on the task's {@code version}, so a completion happens once and the
 * history records each change exactly as it was made; a lost race is re-read and applied again.
 */
final class ManagerTaskService {
  static final int MAX_BULK = 1000;
  private static final int ATTEMPTS = 5;
  private final App app;
  private final ManagerTaskStore tasks;
  private final Assignees assignees;
  private final OutcomeRunner outcomes;
  private final DocumentStore outreach;

  ManagerTaskService(App app, ManagerTaskStore tasks, Assignees assignees, OutcomeRunner outcomes) {
    this.app = app;
    this.tasks = tasks;
    this.assignees = assignees;
    this.outcomes = outcomes;
    this.outreach = new DocumentStore(app.store(), Collections.TASKS);
  }

  /** The outcome of applying a change to one task. */
  record Applied(Document task, boolean changed, JsonArray actions) {}

  Future<Document> visible(Caller caller, String id) {
    return tasks.find(id).map(doc -> {
      if (doc == null) throw ApiError.notFound("follow-up task", id);
      return caller.require(doc);
    });
  }

  Future<JsonObject> update(Caller caller, String id, JsonObject body) {
    Change change = Change.parse(body, false);
    return assignee(change).compose(to -> apply(caller, id, change, to, ATTEMPTS)).map(applied -> {
      JsonObject json = ManagerTaskMapper.toJson(applied.task());
      if (applied.actions() != null) json.put("outcome_actions", applied.actions());
      return json;
    });
  }

  /** Applies {@code body} to every task {@code selection} picks (at most {@link #MAX_BULK}), one by one. */
  Future<JsonObject> bulk(Caller caller, Selection selection, JsonObject body) {
    Change change = Change.parse(body, true);
    return tasks.ids(selection.all(), MAX_BULK + 1).compose(ids -> {
      if (ids.size() > MAX_BULK) {
        throw ApiError.conflict("too_many", "the filter selects more than " + MAX_BULK
            + " follow-up tasks; narrow it (e.g. id__in, assigned_to, view)", null);
      }
      return assignee(change).compose(to -> {
        int[] changed = {0};
        Future<Void> chain = Future.succeededFuture();
        for (Document d : ids) {
          chain = chain.compose(v -> apply(caller, d.getString("_id"), change, to, ATTEMPTS)
              .map(applied -> {
                if (applied.changed()) changed[0]++;
                return null;
              }));
        }
        return chain.map(v -> new JsonObject().put("matched", ids.size()).put("updated", changed[0]));
      });
    });
  }

  private Future<String> assignee(Change change) {
    return change.assignTo().map(spec -> assignees.resolve("assigned_to", spec)).orElse(Future.succeededFuture(null));
  }

  private Future<Applied> apply(Caller caller, String id, Change change, String assignee, int attempts) {
    return visible(caller, id).compose(doc -> checkOutcome(doc, change).compose(v -> {
      Instant now = app.clock().instant();
      List<Bson> sets = new ArrayList<>();
      List<Document> history = new ArrayList<>();
      boolean completes = plan(doc, change, assignee, Date.from(now), caller.by(), sets, history);
      boolean retried = change.completes() && !completes && doc.getBoolean("isComplete", false);
      if (sets.isEmpty()) {
        return retried ? outcomes.run(doc).map(actions -> new Applied(doc, false, actions))
            : Future.succeededFuture(new Applied(doc, false, null));
      }
      sets.add(Updates.set("updatedAt", Date.from(now)));
      sets.add(Updates.inc("version", 1L));
      sets.add(Updates.pushEach("history", history));
      return tasks.update(id, Filters.eq("version", doc.get("version")), Updates.combine(sets)).compose(updated -> {
        if (updated == null) {
          if (attempts <= 1) return Future.failedFuture(ApiError.conflict("busy", "follow-up task " + id
              + " keeps changing; try again", null));
          return apply(caller, id, change, assignee, attempts - 1);
        }
        if (!completes) return Future.succeededFuture(new Applied(updated, true, null));
        return outcomes.run(updated).map(actions -> new Applied(updated, true, actions));
      });
    }));
  }

  /** Fills {@code sets} and {@code history} with what differs; answers whether the task gets completed. */
  private static boolean plan(Document doc, Change c, String assignee, Date now, String by, List<Bson> sets,
      List<Document> history) {
    if (c.text().isPresent() && !"lead".equals(doc.getString("type"))) {
      throw ApiError.conflict("not_updatable", "text can be changed on lead tasks only; this one is "
          + doc.getString("type"), "text");
    }
    if (assignee != null && !assignee.equals(doc.getString("assignedTo"))) {
      sets.add(Updates.set("assignedTo", assignee));
      history.add(ManagerTaskMapper.history("reassigned", now, by).append("from", doc.getString("assignedTo")).append("to", assignee));
    }
    c.date().filter(d -> !d.wire().equals(doc.getString("date"))).ifPresent(d -> {
      sets.add(Updates.set("date", d.wire()));
      sets.add(Updates.set("allDay", d.allDay()));
      sets.add(Updates.set("due", d.due()));
      history.add(ManagerTaskMapper.history("rescheduled", now, by).append("from", doc.getString("date")).append("to", d.wire()));
    });
    c.text().filter(t -> !t.equals(doc.getString("text"))).ifPresent(t -> sets.add(Updates.set("text", t)));
    boolean complete = doc.getBoolean("isComplete", false);
    if (c.completes() && !complete) {
      String outcome = c.outcome().orElse(OutcomeRules.NONE);
      sets.add(Updates.set("isComplete", true));
      sets.add(Updates.set("outcome", outcome));
      sets.add(Updates.set("completedAt", now));
      history.add(ManagerTaskMapper.history("completed", now, by).append("outcome", outcome));
      return true;
    }
    if (c.completes() && c.outcome().isPresent() && !Objects.equals(c.outcome().get(), doc.getString("outcome"))) {
      throw ApiError.conflict("already_complete", "the task was completed with outcome " + doc.getString("outcome")
          + "; set is_complete false first to complete it with another", "outcome");
    }
    if (c.reopens() && complete) {
      sets.add(Updates.set("isComplete", false));
      sets.add(Updates.set("outcome", null));
      sets.add(Updates.set("completedAt", null));
      history.add(ManagerTaskMapper.history("reopened", now, by).append("outcome", doc.getString("outcome")));
    }
    return false;
  }

  /** 400 unless the outcome is one the outreach task allows (the standard ones when there is none). */
  private Future<Void> checkOutcome(Document doc, Change change) {
    if (change.outcome().isEmpty()) return Future.succeededFuture();
    String taskId = doc.getString("task");
    Future<Document> source = taskId == null ? Future.succeededFuture(null) : outreach.find(taskId);
    return source.map(t -> {
      var names = OutcomeRules.of(t).names();
      if (!names.contains(change.outcome().get())) {
        throw ApiError.invalid("outcome", "outcome must be one of " + String.join(", ", names)
            + " (got \"" + change.outcome().get() + "\")");
      }
      return null;
    });
  }

  Future<Void> delete(Caller caller, String id) {
    return visible(caller, id).compose(doc -> tasks.delete(id)).mapEmpty();
  }
}
