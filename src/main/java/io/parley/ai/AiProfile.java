package io.parley.ai;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.regex.Pattern;
import org.bson.Document;
import org.bson.types.Decimal128;

/** A stored AI profile as the responder uses it: the scripted rules or the OpenAI-compatible server. */
public record AiProfile(String id, String provider, Scripted scripted, OpenAi openai) {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /** One scripted rule: a case-insensitive expression found anywhere in the contact's messages. */
  public record Rule(Pattern pattern, String reply, String outcome) {}

  public record Scripted(List<Rule> rules, String fallback) {}

  /** An OpenAI-compatible server and its prices in USD per million prompt and completion tokens. */
  public record OpenAi(String baseUrl, String apiKey, String apiKeyHeader, String apiVersion, String model,
      BigDecimal temperature, int maxCompletionTokens, BigDecimal promptPerMillion, BigDecimal completionPerMillion,
      boolean outcomeTool) {

    /** The exact cost of a call that used these tokens. */
    public BigDecimal cost(long promptTokens, long completionTokens) {
      return promptPerMillion.multiply(BigDecimal.valueOf(promptTokens))
          .add(completionPerMillion.multiply(BigDecimal.valueOf(completionTokens)))
          .divide(MILLION, MathContext.DECIMAL128).stripTrailingZeros();
    }
  }

  /**
   * The profile in {@code doc}.
   *
   * @throws IllegalArgumentException when the document does not hold the provider's settings
   */
  public static AiProfile from(Document doc) {
    String provider = doc.getString("provider");
    if ("openai".equals(provider)) return new AiProfile(doc.getString("_id"), provider, null, openai(doc));
    Document s = doc.get("scripted", Document.class);
    if (s == null) throw new IllegalArgumentException("AI profile " + doc.get("_id") + " has no scripted settings");
    List<Rule> rules = s.getList("rules", Document.class, List.of()).stream()
        .map(r -> new Rule(Pattern.compile(r.getString("pattern"), ScriptedRules.FLAGS), r.getString("reply"),
            r.getString("outcome")))
        .toList();
    return new AiProfile(doc.getString("_id"), "scripted", new Scripted(rules, s.getString("fallback")), null);
  }

  private static OpenAi openai(Document doc) {
    Document o = doc.get("openai", Document.class);
    if (o == null) throw new IllegalArgumentException("AI profile " + doc.get("_id") + " has no openai settings");
    Document secrets = doc.get("secrets", Document.class);
    Document prices = o.get("prices", Document.class);
    return new OpenAi(o.getString("baseUrl").replaceAll("/+$", ""), secrets == null ? null : secrets.getString("apiKey"),
        o.get("apiKeyHeader", OpenAiSettings.KEY_HEADERS.get(0)), o.getString("apiVersion"), o.getString("model"),
        decimal(o.get("temperature")), o.getInteger("maxCompletionTokens", OpenAiSettings.DEFAULT_MAX_TOKENS),
        decimal(prices == null ? null : prices.get("promptPerMillion")),
        decimal(prices == null ? null : prices.get("completionPerMillion")), o.getBoolean("outcomeTool", true));
  }

  private static BigDecimal decimal(Object v) {
    if (v instanceof Decimal128 d) return d.bigDecimalValue();
    if (v instanceof Number n) return new BigDecimal(n.toString());
    return BigDecimal.ZERO;
  }
}
