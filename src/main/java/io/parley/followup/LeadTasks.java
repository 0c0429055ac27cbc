package io.parley.followup;

import io.parley.App;
import io.parley.http.ApiError;
import io.parley.http.Fields;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Optional;
import org.bson.Document;

/**
 * Creating follow-up tasks by hand, which only {@code lead} tasks are: the other types are Parley's own,
 * made when a dialogue waits, goes quiet or a callback is given up on.
 */
final class LeadTasks {
  private final App app;
  private final ManagerTaskStore tasks;
  private final Assignees assignees;
  private final ManagerTaskEvents events;
  private final DocumentStore dialogues;
  private final DocumentStore outreach;

  LeadTasks(App app, ManagerTaskStore tasks, Assignees assignees, ManagerTaskEvents events) {
    this.app = app;
    this.tasks = tasks;
    this.assignees = assignees;
    this.events = events;
    this.dialogues = new DocumentStore(app.store(), Collections.DIALOGUES);
    this.outreach = new DocumentStore(app.store(), Collections.TASKS);
  }

  /**
   * Body {@code {type?, text, contact?, dialogue?, task?, assigned_to?, date?}}. Without {@code assigned_to}
   * the task goes to the dialogue's manager, else to the least loaded manager the caller operates; without
   * {@code date} it is due today at the caller's offset.
   */
  Future<JsonObject> create(Caller caller, long offsetMs, JsonObject body) {
    Fields f = Fields.of(body, "type", "text", "contact", "dialogue", "task", "assigned_to", "date");
    f.optionalString("type", 1, 40).ifPresent(LeadTasks::requireLead);
    String text = f.string("text", 1, 4000);
    Optional<String> contact = f.optionalString("contact", 1, 200);
    Optional<String> dialogueId = f.optionalString("dialogue", 1, 64).map(id -> id("dialogue", id));
    Optional<String> taskId = f.optionalString("task", 1, 64).map(id -> id("task", id));
    Optional<String> assignTo = f.optionalString("assigned_to", 1, 120);
    Instant now = app.clock().instant();
    TaskDate date = f.optionalString("date", 1, 40).map(d -> TaskDate.parse("date", d))
        .orElseGet(() -> TaskDate.ofDay(LocalDate.ofInstant(now, ZoneOffset.ofTotalSeconds((int) (offsetMs / 1000)))));
    Future<Document> dialogue = dialogueId.map(id -> dialogues.find(id).map(d -> {
      if (d == null) throw ApiError.invalid("dialogue", "dialogue: no dialogue has id " + id);
      return d;
    })).orElse(Future.succeededFuture(null));
    Future<Void> task = taskId.map(id -> outreach.find(id).map(t -> {
      if (t == null) throw ApiError.invalid("task", "task: no outreach task has id " + id);
      return (Void) null;
    })).orElse(Future.succeededFuture());
    return Future.all(dialogue, task).compose(v -> {
      Document d = dialogue.result();
      var refs = new ManagerTaskMapper.Refs(contact.orElse(d == null ? null : d.getString("contact")),
          dialogueId.orElse(null), taskId.orElse(d == null ? null : d.getString("task")));
      return owner(caller, assignTo, d).compose(owner -> {
        Document doc = ManagerTaskMapper.newTask(Ids.newId(), ManagerTaskType.LEAD, refs, owner, date, now,
            new Document("text", text));
        doc.getList("history", Document.class).get(0).append("by", caller.by());
        return tasks.insert(doc).map(x -> {
          events.created(doc, now);
          return ManagerTaskMapper.toJson(doc);
        });
      });
    });
  }

  private Future<String> owner(Caller caller, Optional<String> assignTo, Document dialogue) {
    if (assignTo.isPresent()) return assignees.resolve("assigned_to", assignTo.get());
    if (dialogue != null && dialogue.getString("manager") != null) return Future.succeededFuture(dialogue.getString("manager"));
    return assignees.leastLoaded(new ArrayList<>(caller.managerIds())).map(id -> {
      if (id == null) throw ApiError.missing("assigned_to");
      return id;
    });
  }

  private static void requireLead(String type) {
    if ("lead".equals(type)) return;
    ManagerTaskType known = ManagerTaskType.fromWire(type);
    if (known != null) {
      throw new ApiError(422, "not_creatable", type + " tasks are created by Parley itself; only lead tasks can be created",
          "type");
    }
    throw ApiError.invalid("type", "type must be lead (got \"" + type + "\")");
  }

  private static String id(String field, String id) {
    if (!Ids.looksValid(id)) throw ApiError.invalid(field, field + " must be an id (got \"" + id + "\")");
    return id;
  }
}
