package io.parley.task;

import io.parley.channel.Platform;
import io.parley.http.ApiError;
import io.parley.http.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads and validates a task's JSON (create body, or a stored task merged with a PATCH body). */
final class TaskRequest {
  static final String[] FIELDS = {"name", "type", "format", "channels", "managers", "managerAssignment", "ai",
      "integration", "spendLimitPerDialogue", "workingHours", "dailyLimitPerChannel", "pauseBetweenDialogues",
      "openingMessage", "audience", "afterHandoverTimeout", "outcomes", "followUpAfterDays", "closeOnOutcome"};
  static final BigDecimal MAX_SPEND = new BigDecimal("10000");
  static final BigDecimal MIN_SPEND = new BigDecimal("0.000001");
  static final int MIN_PAUSE_SECONDS = 3;
  static final int MAX_DAILY_LIMIT = 1_000_000;
  static final int MAX_TEXT = 4096;
  static final int MAX_CHANNELS = 10_000;
  private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9_]{1,512}");
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");

  private TaskRequest() {}

  static TaskDraft parse(JsonObject json) {
    Fields f = Fields.of(json, FIELDS);
    String name = f.string("name", 1, 200);
    Platform type = f.enumValue("type", Platform.class);
    TaskFormat format = f.enumValue("format", TaskFormat.class);
    List<String> channels = f.strings("channels", 1, MAX_CHANNELS);
    List<String> managers = f.strings("managers", 1, 100);
    TaskDraft.ManagerAssignment assignment = f.optionalEnum("managerAssignment", TaskDraft.ManagerAssignment.class)
        .orElse(TaskDraft.ManagerAssignment.ROUND_ROBIN);
    String ai = f.string("ai", 1, 64);
    Optional<String> integration = f.optionalString("integration", 1, 64);
    BigDecimal spend = f.optionalDecimal("spendLimitPerDialogue", MIN_SPEND, MAX_SPEND, 6)
        .orElseThrow(() -> ApiError.missing("spendLimitPerDialogue"));
    Optional<String> afterHandover = Optional.ofNullable(
        io.parley.resource.Values.oneOf(f, "afterHandoverTimeout", List.of("ai", "stay"), null));
    if (!format.outgoing()) {
      return new TaskDraft(name, type, format, channels, managers, assignment, ai, integration, spend,
          workingHours(f, false), f.optionalInteger("dailyLimitPerChannel", 1, MAX_DAILY_LIMIT),
          pause(f, false), opening(f, type, false), afterHandover, followUp(f), f.bool("closeOnOutcome", true));
    }
    return new TaskDraft(name, type, format, channels, managers, assignment, ai, integration, spend,
        workingHours(f, true), Optional.of(f.integer("dailyLimitPerChannel", 1, MAX_DAILY_LIMIT)),
        pause(f, true), opening(f, type, true), afterHandover, followUp(f), f.bool("closeOnOutcome", true));
  }

  /** Outcome actions, and after how many quiet days an outreach dialogue gets a follow-up task (none: never). */
  private static TaskDraft.FollowUpSettings followUp(Fields f) {
    return new TaskDraft.FollowUpSettings(OutcomeRules.parse(f), f.optionalInteger("followUpAfterDays", 1, 365));
  }

  /** The audience lines a create body carries: an array of strings or one string of lines. */
  static List<String> audienceLines(JsonObject json) {
    Object v = json.getValue("audience");
    if (v == null) return List.of();
    if (v instanceof String s) return s.lines().toList();
    if (!(v instanceof JsonArray array)) {
      throw new ApiError(400, "wrong_type", "audience must be an array of strings or a string of lines", "audience");
    }
    List<String> lines = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String s)) {
        throw new ApiError(400, "wrong_type", "audience[" + i + "] must be a string", "audience[" + i + "]");
      }
      lines.add(s);
    }
    return lines;
  }

  private static Optional<WorkingHours> workingHours(Fields f, boolean required) {
    Optional<Fields> wh = f.optionalObject("workingHours", "from", "to");
    if (wh.isEmpty()) {
      if (required) throw ApiError.missing("workingHours");
      return Optional.empty();
    }
    int from = wh.get().integer("from", 0, 23);
    int to = wh.get().integer("to", 0, 24);
    if (from == to % 24 && !(from == 0 && to == 24)) {
      throw ApiError.invalid("workingHours", "workingHours.from and workingHours.to must differ (use 0-24 for the whole day)");
    }
    return Optional.of(new WorkingHours(from, to));
  }

  private static Optional<Integer> pause(Fields f, boolean required) {
    Object v = f.value("pauseBetweenDialogues");
    if (v instanceof Number n && new BigDecimal(n.toString()).compareTo(BigDecimal.valueOf(MIN_PAUSE_SECONDS)) < 0) {
      throw ApiError.invalid("pauseBetweenDialogues", "pauseBetweenDialogues must be at least "
          + MIN_PAUSE_SECONDS + " seconds");
    }
    Optional<Integer> pause = f.optionalInteger("pauseBetweenDialogues", MIN_PAUSE_SECONDS, 86_400);
    if (required && pause.isEmpty()) throw ApiError.missing("pauseBetweenDialogues");
    return pause;
  }

  private static Optional<OpeningMessage> opening(Fields f, Platform type, boolean required) {
    Object raw = f.value("openingMessage");
    if (raw == null) {
      if (required) throw ApiError.missing("openingMessage");
      return Optional.empty();
    }
    if (raw instanceof String s) raw = new JsonObject().put("text", s);
    if (!(raw instanceof JsonObject)) {
      throw new ApiError(400, "wrong_type", "openingMessage must be an object {text} or {template}", "openingMessage");
    }
    Fields m = Fields.of(new JsonObject().put("openingMessage", raw), "openingMessage")
        .object("openingMessage", "text", "template");
    if (type == Platform.WHATSAPP) return Optional.of(template(m));
    if (m.has("template")) {
      throw ApiError.invalid("openingMessage.template", "templates are for WhatsApp tasks; give openingMessage.text");
    }
    String text = m.string("text", 1, MAX_TEXT);
    checkMergeFields("openingMessage.text", text);
    return Optional.of(OpeningMessage.text(text));
  }

  private static OpeningMessage template(Fields m) {
    if (m.has("text")) {
      throw ApiError.invalid("openingMessage.text", "a WhatsApp dialogue opens with an approved template; "
          + "give openingMessage.template {name, language, parameters}");
    }
    Fields t = m.object("template", "name", "language", "parameters");
    String name = t.string("name", 1, 512);
    if (!TEMPLATE_NAME.matcher(name).matches()) {
      throw ApiError.invalid(t.path("name"), t.path("name") + " must be lower-case letters, digits and _");
    }
    String language = t.optionalString("language", 2, 10).orElse("en_US");
    if (!LANGUAGE.matcher(language).matches()) {
      throw ApiError.invalid(t.path("language"), t.path("language") + " must be a language code such as en or en_US");
    }
    List<String> parameters = parameters(t);
    return OpeningMessage.template(name, language, parameters);
  }

  private static List<String> parameters(Fields t) {
    Object v = t.value("parameters");
    if (v == null) return List.of();
    if (!(v instanceof JsonArray array)) {
      throw new ApiError(400, "wrong_type", t.path("parameters") + " must be an array of strings", t.path("parameters"));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String path = t.path("parameters") + "[" + i + "]";
      if (!(array.getValue(i) instanceof String s) || s.isBlank() || s.length() > 1024) {
        throw ApiError.invalid(path, path + " must be a non-empty string of at most 1024 characters");
      }
      checkMergeFields(path, s);
      out.add(s);
    }
    return out;
  }

  private static void checkMergeFields(String field, String value) {
    String problem = OpeningMessage.mergeFieldProblem(value);
    if (problem != null) throw ApiError.invalid(field, field + " " + problem);
  }
}
