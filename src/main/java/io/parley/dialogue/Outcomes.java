package io.parley.dialogue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;

/** The outcomes a dialogue of a task may close with: the standard ones (SPEC §5) and the task's own. */
public final class Outcomes {
  public static final List<String> STANDARD = List.of("success", "not_interested", "no_answer", "no_further_action",
      "opted_out");

  private Outcomes() {}

  /**
   * Every outcome name {@code task} allows. Custom outcomes are read from the task's {@code outcomes}, which
   * may be a list of names, a list of {@code {name, ...}} objects or an object keyed by name.
   */
  public static Set<String> allowed(Document task) {
    Set<String> names = new LinkedHashSet<>(STANDARD);
    Object custom = task == null ? null : task.get("outcomes");
    if (custom instanceof Document byName) names.addAll(byName.keySet());
    if (custom instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof String s) names.add(s);
        if (o instanceof Document d && d.get("name") instanceof String s) names.add(s);
      }
    }
    return names;
  }

  public static List<String> sorted(Set<String> names) {
    return new ArrayList<>(names);
  }
}
