package io.parley.followup;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.parley.App;
import io.parley.audience.AudienceImport;
import io.parley.audience.TargetState;
import io.parley.channel.Platform;
import io.parley.store.Collections;
import io.parley.store.DerivedIds;
import io.parley.store.DocumentStore;
import io.parley.store.DuplicateKey;
import io.parley.store.Rx;
import io.parley.task.OutcomeAction;
import io.parley.task.OutcomeRules;
import io.parley.task.TaskCounters;
import io.parley.task.TaskFormat;
import io.parley.task.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bson.Document;

/**
 * Runs the actions of a completed follow-up task's outcome, as its outreach task configures them, each
 * once: a log entry {@code mt:<taskId>:<outcome>:<n>} is written after an action succeeded, and a retried
 * completion skips the logged ones. Each action is also harmless when repeated (derived ids, {@code
 * $addToSet}, conditional updates), so two completions racing cannot double one either.
 */
final class OutcomeRunner {
  static final String REMOVED = "removed by outcome";
  /** The id prefix of a dialogue whose outcome's actions run (follow-up tasks have plain ids). */
  static final String DIALOGUE_SUBJECT = "dialogue-";
  private final App app;
  private final ManagerTaskStore tasks;
  private final Assignees assignees;
  private final ManagerTaskEvents events;
  private final AudienceImport audience;
  private final DocumentStore log;
  private final DocumentStore outreach;

  OutcomeRunner(App app, ManagerTaskStore tasks, Assignees assignees, ManagerTaskEvents events) {
    this.app = app;
    this.tasks = tasks;
    this.assignees = assignees;
    this.events = events;
    this.audience = new AudienceImport(app);
    this.log = new DocumentStore(app.store(), Collections.MANAGER_TASK_ACTIONS);
    this.outreach = new DocumentStore(app.store(), Collections.TASKS);
  }

  /** Runs what is left of {@code task}'s outcome; answers each action with its state and, if failed, why. */
  Future<JsonArray> run(Document task) {
    return run(task, "mt:" + task.getString("_id"), true);
  }

  /**
   * Runs the actions of a dialogue's outcome (SPEC §5), once per dialogue: the log keys are
   * {@code dlg:<dialogueId>:<outcome>:<n>}, so the same outcome event seen twice runs nothing twice. A
   * follow-up action's task goes to the dialogue's virtual manager.
   */
  Future<JsonArray> runForDialogue(String dialogueId, String outcome, String by) {
    return new DocumentStore(app.store(), Collections.DIALOGUES).find(dialogueId).compose(d -> {
      if (d == null) return Future.succeededFuture(new JsonArray());
      Document subject = new Document("_id", DIALOGUE_SUBJECT + dialogueId).append("outcome", outcome)
          .append("task", d.getString("task")).append("contact", d.getString("contact"))
          .append("dialogue", dialogueId).append("assignedTo", d.getString("manager")).append("by", by);
      return run(subject, "dlg:" + dialogueId, false);
    });
  }

  private Future<JsonArray> run(Document task, String keyPrefix, boolean announce) {
    String outcome = task.getString("outcome");
    Future<Document> source = task.getString("task") == null ? Future.succeededFuture(null) : outreach.find(task.getString("task"));
    return source.compose(t -> {
      List<OutcomeAction> actions = OutcomeRules.of(t).actions(outcome);
      JsonArray results = new JsonArray();
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < actions.size(); i++) {
        String key = keyPrefix + ":" + outcome + ":" + i;
        OutcomeAction action = actions.get(i);
        chain = chain.compose(v -> once(key, task, action)).map(result -> {
          results.add(result);
          return null;
        });
      }
      boolean callIntegration = actions.stream().anyMatch(a -> a instanceof OutcomeAction.CallIntegration);
      return (announce ? chain.compose(v -> announce(task, outcome, callIntegration)) : chain).map(results);
    });
  }

  private Future<JsonObject> once(String key, Document task, OutcomeAction action) {
    JsonObject result = new JsonObject().put("action", action.wire());
    return log.find(key).compose(logged -> {
      if (logged != null && "done".equals(logged.getString("state"))) return Future.succeededFuture(result.put("state", "done"));
      return perform(key, task, action)
          .compose(v -> record(key, task, action, "done", null).map(result.put("state", "done")))
          .recover(err -> {
            String reason = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
            return record(key, task, action, "failed", reason).map(result.put("state", "failed").put("reason", reason));
          });
    });
  }

  private Future<Void> record(String key, Document task, OutcomeAction action, String state, String reason) {
    Document entry = new Document("_id", key).append("managerTask", task.getString("_id"))
        .append("action", action.toDocument()).append("state", state).append("reason", reason)
        .append("at", Date.from(app.clock().instant()));
    return Rx.done(log.collection().replaceOne(Filters.eq("_id", key), entry, new ReplaceOptions().upsert(true)));
  }

  /** The completion event, published once per task and outcome: the log entry is claimed first. */
  private Future<Void> announce(Document task, String outcome, boolean callIntegration) {
    Document claim = new Document("_id", "mt:" + task.getString("_id") + ":" + outcome + ":event")
        .append("managerTask", task.getString("_id")).append("state", "done").append("at", Date.from(app.clock().instant()));
    return log.insert(claim).map(v -> {
      events.completed(task, callIntegration, app.clock().instant());
      return (Void) null;
    }).recover(err -> DuplicateKey.is(err) ? Future.succeededFuture() : Future.failedFuture(err));
  }

  private Future<Void> perform(String key, Document task, OutcomeAction action) {
    String contact = task.getString("contact");
    if (action instanceof OutcomeAction.FollowUp f) return followUp(key, task, f);
    if (action instanceof OutcomeAction.CallIntegration) {
      // a follow-up task's completion event carries the request (see announce); a dialogue's is sent here
      return task.getString("_id").startsWith(DIALOGUE_SUBJECT) && task.getString("task") != null
          ? new io.parley.integration.delivery.Callbacks(app).dialogueOutcomeAsked(task.getString("dialogue"),
              task.getString("task"), task.getString("outcome"), task.getString("by")).mapEmpty()
          : Future.succeededFuture();
    }
    if (contact == null) return Future.failedFuture(new IllegalStateException("the follow-up task names no contact"));
    if (action instanceof OutcomeAction.Tag t) return tag(contact, t.tag());
    if (action instanceof OutcomeAction.AddToTask a) return addTo(a.task(), contact);
    return removeFrom(((OutcomeAction.RemoveFromTask) action).task(), contact);
  }

  private Future<Void> followUp(String key, Document task, OutcomeAction.FollowUp f) {
    Future<String> assignee = switch (f.assignTo()) {
      case OutcomeAction.FollowUp.SAME -> Future.succeededFuture(task.getString("assignedTo"));
      case OutcomeAction.FollowUp.DIALOGUE -> dialogueManager(task);
      default -> assignees.resolve("assignTo", f.assignTo());
    };
    return assignee.compose(manager -> {
      java.time.Instant now = app.clock().instant();
      TaskDate date = TaskDate.ofDay(LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(f.inDays()));
      String text = f.text().orElse("Follow up (outcome " + task.getString("outcome") + " of an earlier task)");
      Document doc = ManagerTaskMapper.newTask(DerivedIds.of(key), ManagerTaskType.LEAD,
          new ManagerTaskMapper.Refs(task.getString("contact"), task.getString("dialogue"), task.getString("task")),
          manager, date, now, new Document("text", text).append("cause", key));
      return tasks.insertOnce(doc).map(inserted -> {
        if (inserted) events.created(doc, now);
        return (Void) null;
      });
    });
  }

  private Future<String> dialogueManager(Document task) {
    if (task.getString("dialogue") == null) return Future.succeededFuture(task.getString("assignedTo"));
    return new DocumentStore(app.store(), Collections.DIALOGUES).find(task.getString("dialogue"))
        .map(d -> d != null && d.getString("manager") != null ? d.getString("manager") : task.getString("assignedTo"));
  }

  private Future<Void> tag(String contact, String tag) {
    return Rx.done(app.store().collection(Collections.CONTACTS).updateOne(Filters.eq("_id", contact),
        Updates.combine(Updates.addToSet("tags", tag), Updates.set("updatedAt", Date.from(app.clock().instant()))),
        new UpdateOptions().upsert(true)));
  }

  private Future<Void> addTo(String taskId, String contact) {
    return outreach.find(taskId).compose(t -> {
      if (t == null) return Future.failedFuture(new IllegalStateException("task " + taskId + " does not exist"));
      if (!TaskFormat.valueOf(t.getString("format").toUpperCase(Locale.ROOT)).outgoing()
          || TaskStatus.fromWire(t.getString("status")).finished()) {
        return Future.failedFuture(new IllegalStateException("task " + taskId + " does not take new targets"));
      }
      Platform platform = Platform.valueOf(t.getString("type").toUpperCase(Locale.ROOT));
      return audience.importLines(taskId, platform, List.of(contact)).compose(report -> report.rejectedTotal() == 0
          ? Future.succeededFuture()
          : Future.failedFuture(new IllegalStateException("task " + taskId + " refused " + contact + ": "
              + report.rejected().get(0).reason())));
    });
  }

  /**
   * A pending entry becomes {@code skipped}; its claim count is raised in the same write so a dispatcher
   * claiming it at that moment backs off (see TargetClaims). Entries already sent or ending stay.
   */
  private Future<Void> removeFrom(String taskId, String contact) {
    String entry = taskId + ":" + contact;
    return Rx.first(app.store().collection(Collections.AUDIENCE).findOneAndUpdate(Filters.and(Filters.eq("_id", entry),
            Filters.eq("state", TargetState.PENDING.wire()),
            Filters.or(Filters.exists("claims", false), Filters.eq("claims", 0))),
        Updates.combine(Updates.set("state", TargetState.SKIPPED.wire()), Updates.set("reason", REMOVED),
            Updates.inc("claims", 1))))
        .compose(before -> before == null ? Future.succeededFuture()
            : new TaskCounters(app.store()).move(taskId, TargetState.PENDING, TargetState.SKIPPED, 1));
  }
}
