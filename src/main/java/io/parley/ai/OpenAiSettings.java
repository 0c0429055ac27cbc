package io.parley.ai;

import io.parley.http.Fields;
import io.parley.resource.Values;
import java.math.BigDecimal;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * An OpenAI-compatible chat-completions server (OpenAI, Azure, vLLM, Ollama, llama.cpp) and what its
 * tokens cost. Prices are exact decimals, stored as Decimal128, since they add up to a dialogue's spend.
 */
final class OpenAiSettings {
  static final BigDecimal DEFAULT_TEMPERATURE = new BigDecimal("0.7");
  static final int DEFAULT_MAX_TOKENS = 512;
  private static final BigDecimal MAX_PRICE = new BigDecimal("1000000");

  private OpenAiSettings() {}

  /** The stored settings; the API key is returned apart in {@code secrets}. */
  static Document read(Fields o, Document secrets) {
    o.optionalString("apiKey", 1, 4096).ifPresent(key -> secrets.put("apiKey", key));
    Fields prices = o.optionalObject("prices", "promptPerMillion", "completionPerMillion").orElse(null);
    return new Document("baseUrl", Values.url(o, "baseUrl"))
        .append("model", o.string("model", 1, 200))
        .append("temperature", new Decimal128(o.optionalDecimal("temperature", BigDecimal.ZERO, BigDecimal.valueOf(2), 2)
            .orElse(DEFAULT_TEMPERATURE)))
        .append("maxCompletionTokens", o.optionalInteger("maxCompletionTokens", 1, 32768).orElse(DEFAULT_MAX_TOKENS))
        .append("prices", new Document("promptPerMillion", price(prices, "promptPerMillion"))
            .append("completionPerMillion", price(prices, "completionPerMillion")));
  }

  /** Free unless priced: a local model costs nothing per token. */
  private static Decimal128 price(Fields prices, String name) {
    if (prices == null) return new Decimal128(BigDecimal.ZERO);
    return new Decimal128(prices.optionalDecimal(name, BigDecimal.ZERO, MAX_PRICE, 6).orElse(BigDecimal.ZERO));
  }
}
