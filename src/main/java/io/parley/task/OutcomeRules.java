package io.parley.task;

import io.parley.http.ApiError;
import io.parley.http.Fields;
import io.parley.store.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bson.Document;

/**
 * An outreach task's {@code outcomes}: outcome name → the actions it runs, e.g.
 * {@code {"not_interested": [{"action": "tag", "tag": "cold"}, {"action": "remove_from_task", "task": "..."}]}}.
 * The standard outcomes exist on every task; naming one here gives it actions, any other name adds a custom one.
 */
public record OutcomeRules(Map<String, List<OutcomeAction>> byOutcome) {
  /** Outcomes every follow-up task may be completed with. */
  public static final List<String> STANDARD = List.of("interested_later", "not_interested", "no_answer",
      "no_further_action");
  public static final String NONE = "no_further_action";
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,64}");
  private static final int MAX_OUTCOMES = 50;
  private static final int MAX_ACTIONS = 10;

  public static OutcomeRules none() {
    return new OutcomeRules(Map.of());
  }

  /** Reads the {@code outcomes} field of a task request; 400 naming the offending path. */
  static OutcomeRules parse(Fields f) {
    String[] names = f.value("outcomes") instanceof JsonObject o ? o.fieldNames().toArray(String[]::new) : new String[0];
    Optional<Fields> outcomes = f.optionalObject("outcomes", names);
    if (outcomes.isEmpty()) return none();
    Fields o = outcomes.get();
    if (o.json().size() > MAX_OUTCOMES) throw ApiError.invalid("outcomes", "outcomes may name at most " + MAX_OUTCOMES);
    Map<String, List<OutcomeAction>> rules = new LinkedHashMap<>();
    for (String name : o.json().fieldNames()) {
      if (!NAME.matcher(name).matches()) {
        throw ApiError.invalid(o.path(name), o.path(name) + ": outcome names are lower-case letters, digits and _");
      }
      List<OutcomeAction> actions = new ArrayList<>();
      for (Fields a : o.optionalObjects(name, MAX_ACTIONS, "action", "inDays", "text", "assignTo", "tag", "task")
          .orElse(List.of())) {
        actions.add(action(a));
      }
      rules.put(name, List.copyOf(actions));
    }
    return new OutcomeRules(rules);
  }

  private static OutcomeAction action(Fields a) {
    String kind = a.string("action", 1, 40);
    OutcomeAction action = switch (kind) {
      case "follow_up" -> new OutcomeAction.FollowUp(a.integer("inDays", 0, 365), a.optionalString("text", 1, 4000),
          a.optionalString("assignTo", 1, 120).orElse(OutcomeAction.FollowUp.SAME));
      case "tag" -> new OutcomeAction.Tag(a.string("tag", 1, 100));
      case "add_to_task" -> new OutcomeAction.AddToTask(taskId(a));
      case "remove_from_task" -> new OutcomeAction.RemoveFromTask(taskId(a));
      case "call_integration" -> new OutcomeAction.CallIntegration();
      default -> throw ApiError.invalid(a.path("action"), a.path("action")
          + " must be one of follow_up, tag, add_to_task, remove_from_task, call_integration (got \"" + kind + "\")");
    };
    Set<String> allowed = switch (action.wire()) {
      case "follow_up" -> Set.of("action", "inDays", "text", "assignTo");
      case "tag" -> Set.of("action", "tag");
      case "add_to_task", "remove_from_task" -> Set.of("action", "task");
      default -> Set.of("action");
    };
    a.allowOnly(allowed.toArray(String[]::new));
    return action;
  }

  private static String taskId(Fields a) {
    String id = a.string("task", 1, 64);
    if (!Ids.looksValid(id)) throw ApiError.invalid(a.path("task"), a.path("task") + " must be a task id");
    return id;
  }

  /** Every outcome name allowed: the standard ones, then the custom ones. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>(STANDARD);
    names.addAll(byOutcome.keySet());
    return names;
  }

  public List<OutcomeAction> actions(String outcome) {
    return byOutcome.getOrDefault(outcome, List.of());
  }

  public Document toDocument() {
    Document doc = new Document();
    byOutcome.forEach((name, actions) -> doc.append(name, actions.stream().map(OutcomeAction::toDocument).toList()));
    return doc;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    byOutcome.forEach((name, actions) -> json.put(name,
        new JsonArray(actions.stream().map(a -> new JsonObject(a.toDocument().toJson())).toList())));
    return json;
  }

  /** The rules stored on task document {@code task} (none when it has none or is null). */
  public static OutcomeRules of(Document task) {
    Object stored = task == null ? null : task.get("outcomes");
    if (!(stored instanceof Document doc)) return none();
    Map<String, List<OutcomeAction>> rules = new LinkedHashMap<>();
    for (String name : doc.keySet()) {
      List<OutcomeAction> actions = new ArrayList<>();
      if (doc.get(name) instanceof List<?> list) {
        for (Object o : list) {
          OutcomeAction a = o instanceof Document d ? OutcomeAction.fromDocument(d) : null;
          if (a != null) actions.add(a);
        }
      }
      rules.put(name, actions);
    }
    return new OutcomeRules(rules);
  }
}
