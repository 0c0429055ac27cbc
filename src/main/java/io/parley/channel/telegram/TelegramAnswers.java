package io.parley.channel.telegram;

import io.parley.channel.SendResult;
import java.time.Duration;
import java.util.Locale;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/** What a failed Bot API call means for the sender, by Telegram's {@code error_code} and description. */
final class TelegramAnswers {
  static final String BLOCKED = "blocked";

  private TelegramAnswers() {}

  static SendResult classify(Throwable failure, BotLimits limits) {
    Throwable err = BotApi.unwrap(failure);
    if (!(err instanceof TelegramApiRequestException refused) || refused.getErrorCode() == null) {
      // No answer, or none Telegram would give (a timeout, a proxy's HTML page): the Bot API is unwell.
      return new SendResult.RetryLater(limits.backoff(), "Bot API unavailable: " + err.getMessage());
    }
    int code = refused.getErrorCode();
    String description = refused.getApiResponse() == null ? "" : refused.getApiResponse();
    String lower = description.toLowerCase(Locale.ROOT);
    if (code == 429) {
      Integer after = refused.getParameters() == null ? null : refused.getParameters().getRetryAfter();
      Duration wait = Duration.ofSeconds(after == null || after < 1 ? 1 : after);
      limits.pause(wait);
      return new SendResult.RetryLater(wait, "Telegram: too many requests, retry after " + wait.toSeconds() + " s");
    }
    if (code == 401 || code == 404) return new SendResult.AuthFailed("Telegram refused the bot token (" + code + " " + description + ")");
    if (code == 403 && lower.contains("blocked")) return new SendResult.Failed(BLOCKED);
    if (code == 403 && lower.contains("initiate")) return new SendResult.Unreachable(TelegramChannel.NOT_STARTED);
    if (code == 400 && lower.contains("chat not found")) return new SendResult.Unreachable("chat not found");
    if (code >= 500) return new SendResult.RetryLater(limits.backoff(), "Bot API error " + code + ": " + description);
    return new SendResult.Failed("refused by Telegram (" + code + "): " + description);
  }
}
