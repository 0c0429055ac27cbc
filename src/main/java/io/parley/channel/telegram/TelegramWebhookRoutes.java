package io.parley.channel.telegram;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.App;
import io.parley.channel.ChannelSecrets;
import io.parley.http.ApiError;
import io.parley.http.Responses;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Ids;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.bson.Document;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * {@code POST /webhooks/telegram/:channelId}: updates Telegram pushes to a webhook channel. The
 * {@code X-Telegram-Bot-Api-Secret-Token} header must equal the secret Parley gave {@code setWebhook};
 * otherwise the answer is 401 and nothing is read or stored. A redelivered update changes nothing
 * ({@link UpdateHandler}).
 */
public final class TelegramWebhookRoutes {
  static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
  static final long MAX_BODY_BYTES = 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final DocumentStore channels;
  private final UpdateHandler handler;

  public TelegramWebhookRoutes(App app) {
    this.channels = new DocumentStore(app.store(), Collections.CHANNELS);
    TelegramRuntime runtime = TelegramRuntime.of(app.vertx()).orElseThrow();
    this.handler = new UpdateHandler(app, runtime.contacts);
  }

  /** Mounts outside {@code /api}: Telegram sends no bearer token, the secret header stands in for one. */
  public void mount(Router router) {
    router.post("/webhooks/telegram/:channelId")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(this::receive);
  }

  private void receive(RoutingContext ctx) {
    String channelId = ctx.pathParam("channelId");
    String given = ctx.request().getHeader(SECRET_HEADER);
    telegramChannel(channelId)
        .compose(channel -> {
          verify(channel, given);
          return handler.handle(channelId, update(ctx.body().buffer()));
        })
        .onSuccess(v -> Responses.json(ctx, 200, new JsonObject()))
        .onFailure(ctx::fail);
  }

  private Future<Document> telegramChannel(String id) {
    if (!Ids.looksValid(id)) return Future.failedFuture(ApiError.notFound("telegram channel", id));
    return channels.find(id).compose(doc -> doc != null && "telegram".equals(doc.getString("type"))
        ? Future.succeededFuture(doc)
        : Future.failedFuture(ApiError.notFound("telegram channel", id)));
  }

  private static void verify(Document channel, String given) {
    String secret = ChannelSecrets.get(channel, "webhookSecret");
    boolean ok = secret != null && given != null
        && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    if (!ok) throw new ApiError(401, "bad_secret", SECRET_HEADER + " is missing or wrong", null);
  }

  private static Update update(Buffer body) {
    if (body == null || body.length() == 0) throw new ApiError(400, "invalid_json", "the body must be a Telegram Update object", null);
    Update update;
    try {
      update = JSON.readValue(body.getBytes(), Update.class);
    } catch (IOException e) {
      throw new ApiError(400, "invalid_json", "the body is not a Telegram Update: " + firstLine(e.getMessage()), null);
    }
    if (update == null || update.getUpdateId() == null) {
      throw new ApiError(400, "invalid_value", "update_id is missing", "update_id");
    }
    return update;
  }

  private static String firstLine(String message) {
    if (message == null) return "unreadable";
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
