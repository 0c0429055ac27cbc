package io.parley.task;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first message of an outgoing dialogue: free text with merge fields, or (for WhatsApp, where a
 * business may only open a conversation with an approved template) a template name, language and
 * body parameters, which may carry merge fields too.
 */
public record OpeningMessage(String text, Template template) {
  private static final Pattern MERGE_FIELD = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

  public record Template(String name, String language, List<String> parameters) {}

  public static OpeningMessage text(String text) {
    return new OpeningMessage(text, null);
  }

  public static OpeningMessage template(String name, String language, List<String> parameters) {
    return new OpeningMessage(null, new Template(name, language, List.copyOf(parameters)));
  }

  public boolean isTemplate() {
    return template != null;
  }

  /**
   * Where {@code value}'s braces do not form well-made merge fields, why; {@code null} when they do.
   * Caught at the edge so a typo like {@code {{name}} } or {@code {{first name}}} never reaches contacts.
   */
  public static String mergeFieldProblem(String value) {
    String rest = MERGE_FIELD.matcher(value).replaceAll("");
    if (rest.contains("{{") || rest.contains("}}")) {
      return "has a malformed merge field; write {{field}} with letters, digits or _";
    }
    return null;
  }

  /** The merge fields {@code value} uses, in order of appearance. */
  public static List<String> mergeFields(String value) {
    Matcher m = MERGE_FIELD.matcher(value);
    java.util.ArrayList<String> names = new java.util.ArrayList<>();
    while (m.find()) names.add(m.group(1));
    return names;
  }
}
