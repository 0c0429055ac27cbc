package io.parley.ai;

import io.parley.http.ApiError;
import io.parley.http.Fields;
import io.parley.resource.Prepared;
import io.parley.resource.ResourceEndpoints;
import io.parley.resource.ResourceMapper;
import io.parley.resource.Values;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.bson.Document;
import org.bson.types.Decimal128;

/** AI profile JSON ⇄ document. The object named by {@code provider} is required and the other refused. */
final class AiProfileMapper implements ResourceMapper {
  static final List<String> PROVIDERS = List.of("scripted", "openai");
  private static final String[] OPENAI_FIELDS =
      {"baseUrl", "apiKey", "apiKeyHeader", "apiVersion", "model", "temperature", "maxCompletionTokens", "outcomeTool",
          "prices"};

  @Override
  public Prepared validate(JsonObject input) {
    Fields f = Fields.of(input, "name", "provider", "scripted", "openai");
    String name = f.string("name", 1, 200);
    String provider = Values.oneOf(f, "provider", PROVIDERS, "scripted");
    String other = provider.equals("scripted") ? "openai" : "scripted";
    if (f.has(other) && !f.isNull(other)) {
      throw ApiError.invalid(other, other + " must be absent when provider is " + provider);
    }
    Document secrets = new Document();
    Document scripted = provider.equals("scripted") ? ScriptedRules.read(f.object("scripted", "rules", "fallback")) : null;
    Document openai = provider.equals("openai") ? OpenAiSettings.read(f.object("openai", OPENAI_FIELDS), secrets) : null;
    return Prepared.of(new Document("name", name).append("provider", provider).append("scripted", scripted)
        .append("openai", openai).append("secrets", secrets));
  }

  /** Switching provider drops the old provider's settings unless the patch itself mentions them. */
  @Override
  public Prepared patch(Document stored, JsonObject body) {
    JsonObject input = editable(stored);
    String old = stored.getString("provider");
    if (body.getValue("provider") instanceof String provider && !provider.equals(old) && !body.containsKey(old)) {
      input.remove(old);
    }
    return validate(io.parley.resource.JsonMerge.apply(input, body));
  }

  @Override
  public JsonObject editable(Document stored) {
    JsonObject input = new JsonObject().put("name", stored.getString("name")).put("provider", stored.getString("provider"));
    Document scripted = stored.get("scripted", Document.class);
    if (scripted != null) input.put("scripted", scripted(scripted));
    Document openai = stored.get("openai", Document.class);
    if (openai != null) {
      JsonObject o = openai(openai);
      String key = stored.get("secrets", Document.class).getString("apiKey");
      if (key != null) o.put("apiKey", key);
      input.put("openai", o);
    }
    return input;
  }

  @Override
  public JsonObject toJson(Document stored) {
    Document scripted = stored.get("scripted", Document.class);
    Document openai = stored.get("openai", Document.class);
    return ResourceEndpoints.base(stored).put("name", stored.getString("name"))
        .put("provider", stored.getString("provider"))
        .put("scripted", scripted == null ? null : scripted(scripted))
        .put("openai", openai == null ? null : openai(openai))
        .put("secretsSet", new JsonArray(stored.get("secrets", Document.class).keySet().stream().sorted().toList()));
  }

  private static JsonObject scripted(Document scripted) {
    JsonArray rules = new JsonArray();
    for (Document rule : scripted.getList("rules", Document.class)) {
      JsonObject r = new JsonObject().put("pattern", rule.getString("pattern")).put("reply", rule.getString("reply"));
      if (rule.getString("outcome") != null) r.put("outcome", rule.getString("outcome"));
      rules.add(r);
    }
    JsonObject json = new JsonObject().put("rules", rules);
    if (scripted.getString("fallback") != null) json.put("fallback", scripted.getString("fallback"));
    return json;
  }

  /** Without the API key; prices as strings so no client reads them into a float. */
  private static JsonObject openai(Document openai) {
    Document prices = openai.get("prices", Document.class);
    JsonObject json = new JsonObject().put("baseUrl", openai.getString("baseUrl"))
        .put("apiKeyHeader", openai.get("apiKeyHeader", OpenAiSettings.KEY_HEADERS.get(0)));
    if (openai.getString("apiVersion") != null) json.put("apiVersion", openai.getString("apiVersion"));
    return json.put("model", openai.getString("model"))
        .put("temperature", openai.get("temperature", Decimal128.class).bigDecimalValue())
        .put("maxCompletionTokens", openai.getInteger("maxCompletionTokens"))
        .put("outcomeTool", openai.getBoolean("outcomeTool", true))
        .put("prices", new JsonObject()
            .put("promptPerMillion", prices.get("promptPerMillion", Decimal128.class).bigDecimalValue().toPlainString())
            .put("completionPerMillion", prices.get("completionPerMillion", Decimal128.class).bigDecimalValue().toPlainString()));
  }
}
