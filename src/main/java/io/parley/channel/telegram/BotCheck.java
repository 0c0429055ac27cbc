package io.parley.channel.telegram;

import io.parley.http.ApiError;
import io.parley.resource.Prepared;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.bson.Document;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * Checks a Telegram channel's token with {@code getMe} before it is saved, and stores the bot's username
 * ({@code settings.botUsername}, needed for deep links). A token Telegram refuses is a 422 naming
 * {@code settings.botToken}; a Bot API that cannot be reached or fails is a 502 {@code platform_unreachable}:
 * nothing is saved either way, since a channel whose bot is unknown cannot hand out deep links.
 */
public final class BotCheck {
  private BotCheck() {}

  /** {@code prepared} with the bot's username added, or a failed future with the {@link ApiError}. */
  public static Future<Prepared> verify(Vertx vertx, Prepared prepared) {
    TelegramRuntime runtime = TelegramRuntime.of(vertx).orElseThrow();
    Document fields = prepared.fields();
    Document channel = new Document("settings", fields.get("settings")).append("secrets", fields.get("secrets"));
    Document settings = fields.get("settings", Document.class);
    BotApi api;
    try {
      api = BotApi.of(vertx, runtime.sending, channel);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ApiError.invalid("settings.apiUrl", e.getMessage()));
    }
    return api.getMe().transform(ar -> {
      if (ar.succeeded() && ar.result().getUserName() != null) {
        settings.put("botUsername", ar.result().getUserName());
        return Future.succeededFuture(prepared);
      }
      return Future.failedFuture(refusal(ar.failed() ? BotApi.unwrap(ar.cause()) : null, settings.getString("apiUrl")));
    });
  }

  private static ApiError refusal(Throwable err, String apiUrl) {
    if (err instanceof TelegramApiRequestException refused && refused.getErrorCode() != null) {
      int code = refused.getErrorCode();
      if (code == 401 || code == 404) {
        return new ApiError(422, "bad_bot_token", "Telegram does not accept this bot token (" + code + " "
            + refused.getApiResponse() + "); copy the token @BotFather gave again", "settings.botToken");
      }
      return new ApiError(502, "platform_unreachable", "the Bot API at " + apiUrl + " answered getMe with " + code
          + "; nothing was saved, try again later", null);
    }
    return new ApiError(502, "platform_unreachable", "the Bot API at " + apiUrl + " could not be reached to check the token ("
        + (err == null ? "no bot username in the answer" : err.getClass().getSimpleName()) + "); nothing was saved, try again later", null);
  }
}
