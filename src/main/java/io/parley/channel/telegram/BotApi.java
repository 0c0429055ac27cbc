package io.parley.channel.telegram;

import io.parley.channel.ChannelSecrets;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.Serializable;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import okhttp3.OkHttpClient;
import org.bson.Document;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.updates.DeleteWebhook;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.methods.updates.SetWebhook;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;

/**
 * One bot's Bot API calls through TelegramBots' asynchronous client (OkHttp's own threads), each answer
 * handed back as a Vert.x future on the caller's context: nothing here blocks an event loop.
 */
final class BotApi {
  private final Vertx vertx;
  private final OkHttpTelegramClient client;

  BotApi(Vertx vertx, OkHttpClient http, String token, TelegramUrl url) {
    this.vertx = vertx;
    this.client = new OkHttpTelegramClient(http, token, url);
  }

  /**
   * The bot of a telegram channel document, talking to its {@code settings.apiUrl}.
   *
   * @throws IllegalArgumentException when the document has no token or a URL TelegramBots cannot use
   */
  static BotApi of(Vertx vertx, OkHttpClient http, Document channel) {
    String token = ChannelSecrets.get(channel, "botToken");
    if (token == null) throw new IllegalArgumentException("channel " + channel.get("_id") + " has no bot token");
    Document settings = channel.get("settings", Document.class);
    return new BotApi(vertx, http, token, url(settings == null ? null : settings.getString("apiUrl")));
  }

  /** {@code apiUrl} as TelegramBots wants it: scheme, host and port (a path cannot be expressed). */
  static TelegramUrl url(String apiUrl) {
    URI uri = URI.create(apiUrl == null ? "https://api.telegram.org" : apiUrl);
    String path = uri.getPath();
    if (uri.getHost() == null || (path != null && !path.isEmpty() && !path.equals("/"))) {
      throw new IllegalArgumentException("apiUrl must be scheme://host[:port] without a path (got " + apiUrl + ")");
    }
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
    return new TelegramUrl(uri.getScheme().toLowerCase(java.util.Locale.ROOT), uri.getHost(), port, false);
  }

  Future<Message> sendMessage(String chatId, String text) {
    return call(SendMessage.builder().chatId(chatId).text(text).build());
  }

  Future<User> getMe() {
    return call(GetMe.builder().build());
  }

  Future<List<Update>> getUpdates(int offset, int timeoutSeconds) {
    return call(GetUpdates.builder().offset(offset).timeout(timeoutSeconds).limit(100)
        .allowedUpdates(List.of("message")).build()).map(list -> (List<Update>) list);
  }

  Future<Boolean> setWebhook(String url, String secret) {
    SetWebhook request = SetWebhook.builder().url(url).secretToken(secret).allowedUpdates(List.of("message")).build();
    return bridge(() -> client.executeAsync(request));
  }

  Future<Boolean> deleteWebhook() {
    return call(DeleteWebhook.builder().build());
  }

  private <T extends Serializable> Future<T> call(BotApiMethod<T> method) {
    return bridge(() -> client.executeAsync(method));
  }

  private interface Call<T> {
    CompletableFuture<T> start() throws TelegramApiException;
  }

  private <T> Future<T> bridge(Call<T> call) {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<T> started;
    try {
      started = call.start();
    } catch (TelegramApiException e) {
      return Future.failedFuture(e);
    }
    return Future.fromCompletionStage(started, context).recover(err -> Future.failedFuture(unwrap(err)));
  }

  static Throwable unwrap(Throwable err) {
    Throwable t = err;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
    return t;
  }
}
