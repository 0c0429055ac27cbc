package io.parley.ai;

import java.math.BigDecimal;

/**
 * A written reply: its text (null when the model only declared an outcome), the outcome it declared (or
 * null), the tokens the call used and their exact cost in USD.
 */
public record AiReply(String text, String outcome, long promptTokens, long completionTokens, BigDecimal cost) {
  public static AiReply free(String text, String outcome) {
    return new AiReply(text, outcome, 0, 0, BigDecimal.ZERO);
  }
}
