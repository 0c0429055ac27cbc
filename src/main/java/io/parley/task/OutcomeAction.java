package io.parley.task;

import java.util.Optional;
import org.bson.Document;

/** One thing an outcome makes Parley do (SPEC §5), as configured on an outreach task. */
public sealed interface OutcomeAction {
  /** A new follow-up task for a manager, due {@code inDays} after completion. */
  record FollowUp(int inDays, Optional<String> text, String assignTo) implements OutcomeAction {
    /** {@code assignTo}: the completed task's assignee. */
    public static final String SAME = "same";
    /** {@code assignTo}: the manager of the task's dialogue. */
    public static final String DIALOGUE = "dialogue";
  }

  /** Adds {@code tag} to the contact's tags. */
  record Tag(String tag) implements OutcomeAction {}

  /** Adds the contact to another outreach task's audience. */
  record AddToTask(String task) implements OutcomeAction {}

  /** Takes the contact out of an outreach task's audience if it is still pending there. */
  record RemoveFromTask(String task) implements OutcomeAction {}

  /** Tells the task's integration (event {@code manager_task.completed}). */
  record CallIntegration() implements OutcomeAction {}

  default String wire() {
    if (this instanceof FollowUp) return "follow_up";
    if (this instanceof Tag) return "tag";
    if (this instanceof AddToTask) return "add_to_task";
    if (this instanceof RemoveFromTask) return "remove_from_task";
    return "call_integration";
  }

  default Document toDocument() {
    Document doc = new Document("action", wire());
    if (this instanceof FollowUp f) {
      doc.append("inDays", f.inDays()).append("assignTo", f.assignTo());
      f.text().ifPresent(t -> doc.append("text", t));
    } else if (this instanceof Tag t) {
      doc.append("tag", t.tag());
    } else if (this instanceof AddToTask a) {
      doc.append("task", a.task());
    } else if (this instanceof RemoveFromTask r) {
      doc.append("task", r.task());
    }
    return doc;
  }

  /** The action stored as {@code doc}, or null for a shape this version does not know. */
  static OutcomeAction fromDocument(Document doc) {
    String task = doc.getString("task");
    return switch (String.valueOf(doc.getString("action"))) {
      case "follow_up" -> new FollowUp(doc.get("inDays") instanceof Number n ? n.intValue() : 1,
          Optional.ofNullable(doc.getString("text")), doc.get("assignTo") instanceof String s ? s : FollowUp.SAME);
      case "tag" -> doc.getString("tag") == null ? null : new Tag(doc.getString("tag"));
      case "add_to_task" -> task == null ? null : new AddToTask(task);
      case "remove_from_task" -> task == null ? null : new RemoveFromTask(task);
      case "call_integration" -> new CallIntegration();
      default -> null;
    };
  }
}
