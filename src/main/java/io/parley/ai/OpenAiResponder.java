package io.parley.ai;

import io.parley.channel.web.RetryAfter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible {@code POST {baseUrl}/chat/completions} (with {@code ?api-version=} and the key in an
 * {@code api-key} header for an Azure deployment, when the profile says so): the persona as the system prompt, the
 * dialogue's history as user/assistant turns, and one tool, {@code declare_outcome}, through which the model
 * ends the dialogue with an outcome. Token usage is priced with the profile's per-model prices.
 */
public final class OpenAiResponder implements ReplyWriter {
  private static final Logger log = LoggerFactory.getLogger(OpenAiResponder.class);
  static final String OUTCOME_TOOL = "declare_outcome";
  static final List<String> OUTCOMES = List.of("success", "not_interested", "no_answer", "no_further_action");
  /** Per-message and tool-definition overhead added to the prompt's bytes for the worst-case estimate. */
  private static final long MESSAGE_OVERHEAD_TOKENS = 16;
  private static final int MAX_REASON_BODY = 200;

  private final WebClient client;
  private final AiProfile.OpenAi settings;
  private final Duration timeout;
  private final Clock clock;

  public OpenAiResponder(WebClient client, AiProfile.OpenAi settings, Duration timeout, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public String provider() {
    return "openai";
  }

  @Override
  public Future<AiReply> write(ChatContext c) {
    var request = client.postAbs(settings.baseUrl() + "/chat/completions")
        .connectTimeout(timeout.toMillis())
        .idleTimeout(timeout.toMillis())
        .putHeader("Content-Type", "application/json");
    if (settings.apiVersion() != null) request.addQueryParam("api-version", settings.apiVersion());
    if (settings.apiKey() != null) {
      if ("api-key".equals(settings.apiKeyHeader())) request.putHeader("api-key", settings.apiKey());
      else request.putHeader("Authorization", "Bearer " + settings.apiKey());
    }
    return request.sendBuffer(body(c).toBuffer())
        .recover(err -> Future.failedFuture(new AiFailure("AI provider not reached: " + describe(err), true, null)))
        .compose(this::answer);
  }

  /** Every byte of the prompt counted as a token (no tokenizer makes more), plus the whole completion budget. */
  @Override
  public BigDecimal worstCase(ChatContext c) {
    long promptTokens = body(c).encode().getBytes(StandardCharsets.UTF_8).length
        + MESSAGE_OVERHEAD_TOKENS * (c.history().size() + 2);
    return settings.cost(promptTokens, settings.maxCompletionTokens());
  }

  JsonObject body(ChatContext c) {
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system").put("content", systemPrompt(c)));
    for (ChatContext.Turn turn : c.history()) {
      messages.add(new JsonObject().put("role", turn.fromContact() ? "user" : "assistant").put("content", turn.text()));
    }
    JsonObject body = new JsonObject().put("model", settings.model()).put("messages", messages)
        .put("temperature", settings.temperature().doubleValue())
        .put("max_completion_tokens", settings.maxCompletionTokens());
    // A server without tool support (Ollama with a model lacking it, llama.cpp without --jinja) refuses tools.
    return settings.outcomeTool() ? body.put("tools", new JsonArray().add(outcomeTool())) : body;
  }

  /**
   * Who the model speaks as (the manager's name, their persona as sentences of its own), what is known of the
   * contact (their merge fields, as the scripted replies' {@code {{name}}} knows them) and how to answer.
   */
  private String systemPrompt(ChatContext c) {
    StringBuilder p = new StringBuilder("You are ").append(c.managerName()).append(", writing to a contact in a messaging app.");
    String persona = c.persona() == null ? "" : c.persona().strip();
    if (!persona.isEmpty()) p.append(' ').append(persona).append(endsSentence(persona) ? "" : ".");
    List<String> known = new ArrayList<>();
    c.fields().forEach((field, value) -> {
      String text = value == null ? "" : String.valueOf(value).strip();
      if (!text.isEmpty()) known.add(field + ": " + text);
    });
    if (!known.isEmpty()) p.append(" What you know about the contact: ").append(String.join("; ", known)).append('.');
    String prompt = p.append(" Answer as ").append(c.managerName()).append(" in the contact's language, briefly.").toString();
    return !settings.outcomeTool() ? prompt : prompt + " When the conversation has reached an outcome (the contact"
        + " agreed, refused, or there is nothing more to do), call " + OUTCOME_TOOL + ".";
  }

  private static boolean endsSentence(String text) {
    return ".!?…".indexOf(text.charAt(text.length() - 1)) >= 0;
  }

  private static JsonObject outcomeTool() {
    JsonObject parameters = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("outcome", new JsonObject().put("type", "string")
            .put("enum", new JsonArray(OUTCOMES)).put("description", "how the conversation ended")))
        .put("required", new JsonArray().add("outcome"));
    return new JsonObject().put("type", "function").put("function", new JsonObject().put("name", OUTCOME_TOOL)
        .put("description", "Declare the outcome of this conversation.").put("parameters", parameters));
  }

  private Future<AiReply> answer(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status == 200) return parse(response.body());
    String reason = "AI provider answered " + status + excerpt(response.body());
    if (status == 429) {
      return Future.failedFuture(new AiFailure(reason, true,
          RetryAfter.parse(response.getHeader("Retry-After"), clock).orElse(null)));
    }
    return Future.failedFuture(new AiFailure(reason, status == 408 || status >= 500, null));
  }

  /**
   * A completion's text, declared outcome and usage. A {@code declare_outcome} call whose arguments cannot be
   * read (cut off at {@code max_completion_tokens}) is ignored, and the text still goes out. An answer with
   * neither text nor an outcome (every token spent on reasoning, a refusal) is a failure that is not retried,
   * charged at its usage.
   */
  private Future<AiReply> parse(Buffer body) {
    try {
      JsonObject json = body.toJsonObject();
      JsonObject choice = json.getJsonArray("choices").getJsonObject(0);
      JsonObject message = choice.getJsonObject("message");
      JsonObject usage = json.getJsonObject("usage", new JsonObject());
      long prompt = usage.getLong("prompt_tokens", 0L);
      long completion = usage.getLong("completion_tokens", 0L);
      BigDecimal cost = settings.cost(prompt, completion);
      String text = message.getString("content");
      String reply = text == null || text.isBlank() ? null : text.strip();
      String outcome = outcome(message.getJsonArray("tool_calls"));
      if (reply == null && outcome == null) {
        String refusal = message.getString("refusal");
        String why = refusal != null && !refusal.isBlank() ? "the model refused: " + refusal.strip()
            : "no text and no outcome (finish_reason " + choice.getString("finish_reason") + ")";
        return Future.failedFuture(new AiFailure("AI provider answered " + why, false, null, cost));
      }
      return Future.succeededFuture(new AiReply(reply, outcome, prompt, completion, cost));
    } catch (RuntimeException e) {
      return Future.failedFuture(new AiFailure("AI provider answered something unreadable: " + describe(e), false, null));
    }
  }

  /** The outcome a {@code declare_outcome} call declares; null when none does, or its arguments are unreadable. */
  private static String outcome(JsonArray calls) {
    String outcome = null;
    for (int i = 0; calls != null && i < calls.size(); i++) {
      JsonObject function = calls.getJsonObject(i).getJsonObject("function");
      if (function == null || !OUTCOME_TOOL.equals(function.getString("name"))) continue;
      try {
        String declared = new JsonObject(function.getString("arguments", "{}")).getString("outcome");
        if (OUTCOMES.contains(declared)) outcome = declared;
      } catch (RuntimeException e) {
        log.info("The model's declare_outcome call is unreadable (cut off?), ignored: {}", describe(e));
      }
    }
    return outcome;
  }

  private static String describe(Throwable err) {
    return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
  }

  private static String excerpt(Buffer body) {
    if (body == null || body.length() == 0) return "";
    String text = body.toString().strip();
    return ": " + (text.length() <= MAX_REASON_BODY ? text : text.substring(0, MAX_REASON_BODY));
  }
}
