package io.parley.channel.whatsapp;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meta's Graph API as far as sending goes, on 127.0.0.1: {@code POST /{version}/{phoneNumberId}/messages}
 * records each request and answers like the Cloud API, with a new {@code wamid} per message, unless the
 * test queued other answers ({@link #then}), which are used once each, in order.
 */
public final class FakeGraph {
  /** One request as it arrived. */
  public record Request(String path, String authorization, JsonObject body) {
    public String to() {
      return body.getString("to");
    }
  }

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Queue<Handler<RoutingContext>> queued = new ConcurrentLinkedQueue<>();
  private final AtomicInteger ids = new AtomicInteger();
  private HttpServer server;

  public Future<FakeGraph> start(Vertx vertx) {
    Router router = Router.router(vertx);
    router.post("/:version/:phone/messages").handler(BodyHandler.create(false)).handler(ctx -> {
      requests.add(new Request(ctx.request().path(), ctx.request().getHeader("Authorization"), ctx.body().asJsonObject()));
      Handler<RoutingContext> answer = queued.poll();
      if (answer != null) answer.handle(ctx);
      else accept(ctx);
    });
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").map(s -> {
      server = s;
      return this;
    });
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<Request> requests() {
    return requests;
  }

  public FakeGraph then(Handler<RoutingContext> answer) {
    queued.add(answer);
    return this;
  }

  /** Answers the next request with Meta's error shape. */
  public FakeGraph thenError(int httpStatus, int code, String message, String details) {
    return then(ctx -> ctx.response().setStatusCode(httpStatus).putHeader("Content-Type", "application/json")
        .end(error(code, message, details).encode()));
  }

  /** The next request gets no answer at all. */
  public FakeGraph thenSilence() {
    return then(ctx -> { /* never answers: the client must give up on its own */ });
  }

  /** The Cloud API's error body: {@code {"error": {message, type, code, error_data, fbtrace_id}}}. */
  public static JsonObject error(int code, String message, String details) {
    return new JsonObject().put("error", new JsonObject().put("message", message)
        .put("type", "OAuthException").put("code", code)
        .put("error_data", new JsonObject().put("messaging_product", "whatsapp").put("details", details))
        .put("fbtrace_id", "AbCdEf" + code));
  }

  private void accept(RoutingContext ctx) {
    String to = ctx.body().asJsonObject().getString("to");
    String wamid = "wamid.HBgLTEST" + ids.incrementAndGet();
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
        .put("messaging_product", "whatsapp")
        .put("contacts", new JsonArray().add(new JsonObject().put("input", to).put("wa_id", to)))
        .put("messages", new JsonArray().add(new JsonObject().put("id", wamid))).encode());
  }
}
