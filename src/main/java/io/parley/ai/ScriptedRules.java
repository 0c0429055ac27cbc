package io.parley.ai;

import io.parley.http.ApiError;
import io.parley.http.Fields;
import io.parley.resource.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.bson.Document;

/**
 * The built-in responder's configuration: rules tried in order (a case-insensitive regular expression,
 * a reply with merge fields, an optional outcome) and a fallback reply when none matches.
 */
final class ScriptedRules {
  static final List<String> OUTCOMES = List.of("success", "not_interested", "no_answer", "no_further_action", "opted_out");
  static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final int MAX_RULES = 200;
  private static final int MAX_TEXT = 4000;

  private ScriptedRules() {}

  static Document read(Fields s) {
    List<Document> rules = new ArrayList<>();
    for (Fields rule : s.optionalObjects("rules", MAX_RULES, "pattern", "reply", "outcome").orElse(List.of())) {
      rules.add(new Document("pattern", pattern(rule)).append("reply", rule.string("reply", 1, MAX_TEXT))
          .append("outcome", Values.oneOf(rule, "outcome", OUTCOMES, null)));
    }
    String fallback = s.optionalString("fallback", 1, MAX_TEXT).orElse(null);
    if (rules.isEmpty() && fallback == null) {
      throw new ApiError(400, "missing_field", s.path("fallback") + " is required when there are no rules",
          s.path("fallback"));
    }
    return new Document("rules", rules).append("fallback", fallback);
  }

  /** Compiled here so a broken expression is refused now rather than failing on a contact's message. */
  private static String pattern(Fields rule) {
    String pattern = rule.string("pattern", 1, 1000);
    try {
      Pattern.compile(pattern, FLAGS);
      return pattern;
    } catch (PatternSyntaxException e) {
      throw ApiError.invalid(rule.path("pattern"), rule.path("pattern") + " is not a valid regular expression: "
          + e.getDescription() + " near index " + e.getIndex());
    }
  }
}
