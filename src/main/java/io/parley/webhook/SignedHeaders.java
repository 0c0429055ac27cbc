package io.parley.webhook;

import java.util.Map;

/** The three Standard Webhooks headers of one signed request. */
public record SignedHeaders(String id, long timestamp, String signature) {
  /** Header name to value, ready to copy onto any HTTP client's request. */
  public Map<String, String> asMap() {
    return Map.of(StandardWebhooks.ID_HEADER, id, StandardWebhooks.TIMESTAMP_HEADER, Long.toString(timestamp),
        StandardWebhooks.SIGNATURE_HEADER, signature);
  }
}
