package io.parley.conversation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * An OpenAI-compatible {@code POST /v1/chat/completions} on 127.0.0.1 answering in the real response shape
 * ({@code choices[0].message.content}, {@code tool_calls}, {@code usage}); what it answers is up to the test.
 */
final class FakeChatCompletions {
  /** One request as received: its Authorization header, JSON body, path, query and Azure's api-key header. */
  record Call(String authorization, JsonObject body, String path, String query, String apiKey) {
    String lastUserText() {
      JsonArray messages = body.getJsonArray("messages");
      return messages.getJsonObject(messages.size() - 1).getString("content");
    }
  }

  final List<Call> calls = new CopyOnWriteArrayList<>();
  volatile BiConsumer<Call, HttpServerRequest> answer = (call, req) -> ok(req, "Hello!", null, 10, 5);
  private HttpServer server;

  Future<FakeChatCompletions> start(Vertx vertx) {
    return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      // OpenAI's path, or an Azure deployment's (which also wants an api-version)
      boolean azure = req.path().matches("/openai/deployments/[^/]+/chat/completions");
      if (!req.path().equals("/v1/chat/completions") && !(azure && req.getParam("api-version") != null)) {
        req.response().setStatusCode(404).putHeader("Content-Type", "application/json")
            .end("{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
        return;
      }
      Call call = new Call(req.getHeader("Authorization"), body.toJsonObject(), req.path(), req.query(), req.getHeader("api-key"));
      calls.add(call);
      answer.accept(call, req);
    })).listen(0, "127.0.0.1").map(s -> {
      server = s;
      return this;
    });
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** Where an Azure deployment named {@code deployment} would be. */
  String azureDeployment(String deployment) {
    return "http://127.0.0.1:" + server.actualPort() + "/openai/deployments/" + deployment;
  }

  /** A 200 completion; {@code outcome} non-null adds a {@code declare_outcome} tool call. */
  static void ok(HttpServerRequest req, String content, String outcome, long promptTokens, long completionTokens) {
    JsonObject message = new JsonObject().put("role", "assistant").put("content", content).putNull("refusal");
    if (outcome != null) {
      message.put("tool_calls", new JsonArray().add(new JsonObject().put("id", "call_abc123").put("type", "function")
          .put("function", new JsonObject().put("name", "declare_outcome")
              .put("arguments", new JsonObject().put("outcome", outcome).encode()))));
    }
    JsonObject body = new JsonObject().put("id", "chatcmpl-123").put("object", "chat.completion").put("created", 1741569952)
        .put("model", "gpt-4o-mini-2024-07-18")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message).putNull("logprobs")
            .put("finish_reason", outcome != null ? "tool_calls" : "stop")))
        .put("usage", new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
            .put("total_tokens", promptTokens + completionTokens));
    req.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  /**
   * A 200 completion cut off at {@code max_completion_tokens} ({@code finish_reason: length}): {@code content}
   * (may be empty) and, when {@code arguments} is non-null, a {@code declare_outcome} call with those (cut) arguments.
   */
  static void cutOff(HttpServerRequest req, String content, String arguments, long promptTokens, long completionTokens) {
    JsonObject message = new JsonObject().put("role", "assistant").put("content", content).putNull("refusal");
    if (arguments != null) {
      message.put("tool_calls", new JsonArray().add(new JsonObject().put("id", "call_cut").put("type", "function")
          .put("function", new JsonObject().put("name", "declare_outcome").put("arguments", arguments))));
    }
    JsonObject body = new JsonObject().put("id", "chatcmpl-456").put("object", "chat.completion").put("created", 1741569952)
        .put("model", "gpt-4o-mini-2024-07-18")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message).putNull("logprobs")
            .put("finish_reason", "length")))
        .put("usage", new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
            .put("total_tokens", promptTokens + completionTokens));
    req.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  static void error(HttpServerRequest req, int status, String retryAfter) {
    if (retryAfter != null) req.response().putHeader("Retry-After", retryAfter);
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("message", "try later").put("type", "server_error")).encode());
  }
}
