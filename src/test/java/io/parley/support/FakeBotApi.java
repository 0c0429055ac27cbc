package io.parley.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Bot API server on 127.0.0.1 for one bot, on its own Vert.x so it outlives a Parley restart. It answers
 * like Telegram: {@code /bot<token>/<method>} with the method name in any case, parameters as JSON, form or
 * query, {@code chat_id} as number or string, {@code {ok, result}} or {@code {ok:false, error_code,
 * description, parameters}}, and a {@code getUpdates} that holds the request until an update arrives or its
 * {@code timeout} passes. A bot may only write to chats that wrote to it first.
 */
public final class FakeBotApi implements AutoCloseable {
  /** One call Parley made: the method (lower case) and its parameters. */
  public record Call(String method, JsonObject params) {}

  public final String username;
  /** The bot's token; null accepts any well-formed one (for tests about channels, not about Telegram). */
  public volatile String token;
  private final Vertx vertx = Vertx.vertx();
  private static final java.util.regex.Pattern BOT_PATH = java.util.regex.Pattern.compile("/bot(\\d+:[A-Za-z0-9_-]+)/([A-Za-z]+)");
  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<JsonObject> updates = new ArrayList<>();
  private final Deque<Runnable> waiting = new ArrayDeque<>();
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final Set<String> blocked = ConcurrentHashMap.newKeySet();
  /** Answers to give the next sendMessage calls instead of sending (JSON error bodies with their status). */
  private final Deque<JsonObject> sendErrors = new java.util.concurrent.ConcurrentLinkedDeque<>();
  private final Map<String, Integer> messageIds = new ConcurrentHashMap<>();
  private int nextUpdateId = 1000;

  /** A bot that accepts any token of the form {@code <digits>:<letters>}. */
  public static FakeBotApi anyToken(String username) {
    return new FakeBotApi(null, username);
  }

  public FakeBotApi(String token, String username) {
    this.token = token;
    this.username = username;
    try {
      server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method.toLowerCase(Locale.ROOT))).toList();
  }

  /** The texts sent to {@code chatId}, in order. */
  public List<String> textsTo(long chatId) {
    return calls("sendMessage").stream().filter(c -> String.valueOf(chatId).equals(c.params().getValue("chat_id").toString())
        && !c.params().getBoolean("refused", false)).map(c -> c.params().getString("text")).toList();
  }

  /** A person writes to the bot: the update waits for getUpdates (or is what a test posts to the webhook). */
  public JsonObject write(long chatId, String username, String firstName, String text) {
    return enqueue(message(chatId, username, firstName).put("text", text));
  }

  /** A person shares their own contact card. */
  public JsonObject shareContact(long chatId, String username, String firstName, String phone) {
    return enqueue(message(chatId, username, firstName).put("contact", new JsonObject().put("phone_number", phone)
        .put("first_name", firstName).put("user_id", chatId)));
  }

  /** A person sends something other than text: {@code parts} are the Bot API Message fields it carries. */
  public JsonObject send(long chatId, String username, String firstName, JsonObject parts) {
    return enqueue(message(chatId, username, firstName).mergeIn(parts));
  }

  public void block(long chatId) {
    blocked.add(String.valueOf(chatId));
  }

  /** The next sendMessage fails with this Telegram error. */
  public void failNextSend(int code, String description, Integer retryAfter) {
    JsonObject error = new JsonObject().put("ok", false).put("error_code", code).put("description", description);
    if (retryAfter != null) error.put("parameters", new JsonObject().put("retry_after", retryAfter));
    sendErrors.add(error);
  }

  private synchronized JsonObject enqueue(JsonObject message) {
    String chat = String.valueOf(message.getJsonObject("chat").getLong("id"));
    started.add(chat);
    JsonObject update = new JsonObject().put("update_id", nextUpdateId++).put("message", message);
    updates.add(update);
    List<Runnable> wake = new ArrayList<>(waiting);
    waiting.clear();
    vertx.runOnContext(v -> wake.forEach(Runnable::run));
    return update;
  }

  private JsonObject message(long chatId, String username, String firstName) {
    JsonObject user = new JsonObject().put("id", chatId).put("is_bot", false).put("first_name", firstName);
    if (username != null) user.put("username", username);
    int id = messageIds.merge(String.valueOf(chatId), 1, Integer::sum);
    return new JsonObject().put("message_id", id).put("date", System.currentTimeMillis() / 1000)
        .put("chat", new JsonObject().put("id", chatId).put("type", "private").put("first_name", firstName)
            .put("username", username))
        .put("from", user);
  }

  private void handle(HttpServerRequest request) {
    String type = request.getHeader("Content-Type");
    if (type != null && (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded"))) {
      request.setExpectMultipart(true); // form and multipart bodies (setWebhook comes as multipart) as attributes
    }
    request.body().onSuccess(body -> {
      String path = request.path();
      java.util.regex.Matcher m = BOT_PATH.matcher(path);
      if (!m.matches()) {
        reply(request, 404, error(404, "Not Found"));
        return;
      }
      String token = this.token;
      if (token != null && !token.equals(m.group(1))) {
        reply(request, 401, error(401, "Unauthorized"));
        return;
      }
      String botId = m.group(1).substring(0, m.group(1).indexOf(':'));
      String method = m.group(2).toLowerCase(Locale.ROOT);
      JsonObject params = params(request, body);
      calls.add(new Call(method, params));
      switch (method) {
        case "getme" -> ok(request, new JsonObject().put("id", Long.parseLong(botId))
            .put("is_bot", true).put("first_name", "Parley test bot").put("username", username));
        case "sendmessage" -> sendMessage(request, params);
        case "getupdates" -> getUpdates(request, params);
        case "setwebhook", "deletewebhook" -> ok(request, true);
        default -> reply(request, 404, error(404, "Not Found: method not found"));
      }
    });
  }

  private void sendMessage(HttpServerRequest request, JsonObject params) {
    String chat = String.valueOf(params.getValue("chat_id"));
    String text = params.getString("text");
    JsonObject scripted = sendErrors.poll();
    if (scripted != null) {
      refused(params);
      reply(request, scripted.getInteger("error_code"), scripted);
    } else if (text == null || text.isEmpty()) {
      refused(params);
      reply(request, 400, error(400, "Bad Request: message text is empty"));
    } else if (text.length() > 4096) {
      refused(params);
      reply(request, 400, error(400, "Bad Request: message is too long"));
    } else if (blocked.contains(chat)) {
      refused(params);
      reply(request, 403, error(403, "Forbidden: bot was blocked by the user"));
    } else if (!started.contains(chat)) {
      refused(params);
      reply(request, 403, error(403, "Forbidden: bot can't initiate conversation with a user"));
    } else {
      int id = messageIds.merge(chat, 1, Integer::sum);
      ok(request, new JsonObject().put("message_id", id).put("date", System.currentTimeMillis() / 1000)
          .put("chat", new JsonObject().put("id", Long.parseLong(chat)).put("type", "private")).put("text", text));
    }
  }

  private static void refused(JsonObject params) {
    params.put("refused", true);
  }

  private void getUpdates(HttpServerRequest request, JsonObject params) {
    long offset = number(params.getValue("offset"), 0);
    long timeout = number(params.getValue("timeout"), 0);
    Runnable answer = new Runnable() {
      boolean done;

      @Override
      public void run() {
        if (done) return;
        done = true;
        ok(request, pending(offset));
      }
    };
    synchronized (this) {
      if (offset > 0) updates.removeIf(u -> u.getLong("update_id") < offset); // confirmed, as Telegram forgets them
      if (!pending(offset).isEmpty() || timeout <= 0) {
        answer.run();
        return;
      }
      waiting.add(answer);
    }
    vertx.setTimer(timeout * 1000, t -> answer.run());
  }

  private synchronized JsonArray pending(long offset) {
    JsonArray result = new JsonArray();
    updates.stream().filter(u -> u.getLong("update_id") >= offset).limit(100).forEach(result::add);
    return result;
  }

  private static long number(Object value, long otherwise) {
    if (value == null) return otherwise;
    return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString());
  }

  private static JsonObject params(HttpServerRequest request, Buffer body) {
    JsonObject params = new JsonObject();
    request.params().forEach(params::put);
    String type = request.getHeader("Content-Type");
    request.formAttributes().forEach(params::put);
    if (type != null && type.startsWith("application/json") && body.length() > 0) params.mergeIn(body.toJsonObject());
    return params;
  }

  private static JsonObject error(int code, String description) {
    return new JsonObject().put("ok", false).put("error_code", code).put("description", description);
  }

  private static void ok(HttpServerRequest request, Object result) {
    reply(request, 200, new JsonObject().put("ok", true).put("result", result));
  }

  private static void reply(HttpServerRequest request, int status, JsonObject body) {
    if (request.response().ended() || request.response().closed()) return;
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
