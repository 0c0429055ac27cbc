package io.parley.ai;

import io.parley.http.ApiError;
import io.parley.http.Fields;
import io.parley.resource.Values;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * An OpenAI-compatible chat-completions server (OpenAI, Azure, vLLM, Ollama, llama.cpp) and what its
 * tokens cost. Azure's deployments take the key in an {@code api-key} header and an {@code api-version}
 * query. Prices are exact decimals, stored as Decimal128, since they add up to a dialogue's spend.
 */
final class OpenAiSettings {
  static final BigDecimal DEFAULT_TEMPERATURE = new BigDecimal("0.7");
  static final int DEFAULT_MAX_TOKENS = 512;
  /** How the key travels: {@code Authorization: Bearer <key>} (OpenAI and most), or Azure's {@code api-key: <key>}. */
  static final List<String> KEY_HEADERS = List.of("authorization", "api-key");
  private static final Pattern API_VERSION = Pattern.compile("[0-9A-Za-z.\\-]+");
  private static final BigDecimal MAX_PRICE = new BigDecimal("1000000");

  private OpenAiSettings() {}

  /** The stored settings; the API key is returned apart in {@code secrets}. */
  static Document read(Fields o, Document secrets) {
    o.optionalString("apiKey", 1, 4096).ifPresent(key -> secrets.put("apiKey", key));
    Fields prices = o.optionalObject("prices", "promptPerMillion", "completionPerMillion").orElse(null);
    String apiVersion = o.optionalString("apiVersion", 1, 40).orElse(null);
    if (apiVersion != null && !API_VERSION.matcher(apiVersion).matches()) {
      throw ApiError.invalid(o.path("apiVersion"),
          o.path("apiVersion") + " must be letters, digits, dots and dashes, such as 2024-10-21");
    }
    return new Document("baseUrl", Values.url(o, "baseUrl"))
        .append("apiKeyHeader", Values.oneOf(o, "apiKeyHeader", KEY_HEADERS, KEY_HEADERS.get(0)))
        .append("apiVersion", apiVersion)
        .append("model", o.string("model", 1, 200))
        .append("temperature", new Decimal128(o.optionalDecimal("temperature", BigDecimal.ZERO, BigDecimal.valueOf(2), 2)
            .orElse(DEFAULT_TEMPERATURE)))
        .append("maxCompletionTokens", o.optionalInteger("maxCompletionTokens", 1, 32768).orElse(DEFAULT_MAX_TOKENS))
        .append("outcomeTool", o.bool("outcomeTool", true))
        .append("prices", new Document("promptPerMillion", price(prices, "promptPerMillion"))
            .append("completionPerMillion", price(prices, "completionPerMillion")));
  }

  /** Free unless priced: a local model costs nothing per token. */
  private static Decimal128 price(Fields prices, String name) {
    if (prices == null) return new Decimal128(BigDecimal.ZERO);
    return new Decimal128(prices.optionalDecimal(name, BigDecimal.ZERO, MAX_PRICE, 6).orElse(BigDecimal.ZERO));
  }
}
