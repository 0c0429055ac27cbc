package io.parley.dialogue;

import io.parley.App;
import io.parley.EventAddresses;
import io.parley.http.Api;
import io.parley.http.ApiError;
import io.parley.http.Auth;
import io.parley.http.Fields;
import io.parley.http.Responses;
import io.parley.token.Role;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/dialogues}: the managers' side of conversations (SPEC §4, §7). A manager token works on the
 * dialogues of the virtual managers it operates; an admin on all. {@code GET /api/dialogues/feed} streams
 * their new messages and state changes, and the follow-up tasks that land in their inboxes, as server-sent
 * events.
 */
public final class DialogueRoutes {
  private static final Logger log = LoggerFactory.getLogger(DialogueRoutes.class);
  static final int MAX_TEXT = 4096;
  private static final Set<String> QUERY = Set.of("task", "manager", "state", "limit", "after");
  private static final List<String> FEED = List.of(EventAddresses.DIALOGUE_UPDATED, EventAddresses.DIALOGUE_OUTCOME,
      EventAddresses.DIALOGUE_BLOCKED, EventAddresses.MANAGER_TASK_CREATED);

  private final App app;
  private final DialogueService service;

  public DialogueRoutes(App app) {
    this.app = app;
    this.service = new DialogueService(app);
  }

  public void mount(Api api) {
    Role[] manager = Api.roles(Role.MANAGER);
    api.route(HttpMethod.GET, "/api/dialogues", manager, this::list);
    api.route(HttpMethod.GET, "/api/dialogues/feed", manager, this::feed);
    api.route(HttpMethod.GET, "/api/dialogues/:id", manager, ctx -> act(ctx, (v, id) -> service.get(v, id)));
    api.route(HttpMethod.POST, "/api/dialogues/:id/read", manager, ctx -> act(ctx, service::read));
    api.route(HttpMethod.POST, "/api/dialogues/:id/takeover", manager, ctx -> act(ctx, service::takeover));
    api.route(HttpMethod.POST, "/api/dialogues/:id/handback", manager, ctx -> act(ctx, service::handback));
    api.json(HttpMethod.POST, "/api/dialogues/:id/close", manager, (ctx, body) -> {
      String outcome = Fields.of(body, "outcome").string("outcome", 1, 100);
      act(ctx, (v, id) -> service.close(v, id, outcome));
    });
    api.route(HttpMethod.POST, "/api/tasks/:id/close-dialogues", Api.roles(Role.MARKETER), ctx -> {
      String task = Api.id(ctx, "id", "task");
      Responses.reply(ctx, 200, service.closeDialoguesOf(task, Auth.principal(ctx)));
    });
    api.json(HttpMethod.POST, "/api/dialogues/:id/messages", manager, (ctx, body) -> {
      String text = Fields.of(body, "text").string("text", 1, MAX_TEXT);
      if (text.isBlank()) throw ApiError.invalid("text", "text must not be blank");
      String id = id(ctx);
      Responses.reply(ctx, 201, service.viewer(Auth.principal(ctx)).compose(v -> service.reply(v, id, text)));
    });
  }

  private void act(RoutingContext ctx, BiFunction<Viewer, String, Future<JsonObject>> action) {
    String id = id(ctx);
    Responses.reply(ctx, 200, service.viewer(Auth.principal(ctx)).compose(v -> action.apply(v, id)));
  }

  private void list(RoutingContext ctx) {
    for (String name : ctx.queryParams().names()) {
      if (!QUERY.contains(name)) throw ApiError.invalid(name, "unknown query parameter " + name
          + "; use " + String.join(", ", QUERY.stream().sorted().toList()));
    }
    Optional<DialogueState> state = param(ctx, "state").map(s -> DialogueState.parse(s).orElseThrow(() ->
        ApiError.invalid("state", "state must be one of open, human, blocked, closed")));
    DialogueService.Query q = new DialogueService.Query(param(ctx, "task"), param(ctx, "manager"), state,
        number(ctx, "limit", 1, 1000, 100), param(ctx, "after").map(a -> DialogueService.Cursor.parse(a).orElseThrow(() ->
            ApiError.invalid("after", "after must be the next cursor of a previous page"))));
    Responses.reply(ctx, 200, service.viewer(Auth.principal(ctx)).compose(v -> service.list(v, q)));
  }

  /**
   * Server-sent events of the caller's dialogues: {@code event: message|state|outcome|blocked} with the
   * event's JSON as data; a comment every 15 s keeps proxies from closing an idle stream. A client that
   * stops reading while events keep coming is cut off once the response's write queue is full, rather than
   * kept in memory: it reconnects and reloads, as after any dropped connection.
   */
  private void feed(RoutingContext ctx) {
    service.viewer(Auth.principal(ctx)).onFailure(ctx::fail).onSuccess(viewer -> {
      HttpServerResponse response = ctx.response().setChunked(true)
          .putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
      response.write(": feed of " + (viewer.seesAll() ? "every dialogue" : viewer.managers().size() + " virtual managers")
          + "\n\n");
      List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
      for (String address : FEED) {
        consumers.add(app.vertx().eventBus().<JsonObject>consumer(address, m -> {
          JsonObject event = m.body();
          boolean task = address.equals(EventAddresses.MANAGER_TASK_CREATED);
          if (!viewer.seesAll() && !viewer.sees(event.getString(task ? "assignedTo" : "manager"))) return;
          String kind = task ? "manager_task" : address.equals(EventAddresses.DIALOGUE_UPDATED) ? event.getString("kind")
              : address.equals(EventAddresses.DIALOGUE_OUTCOME) ? "outcome" : "blocked";
          send(response, "event: " + kind + "\ndata: " + event.encode() + "\n\n");
        }));
      }
      long ping = app.vertx().setPeriodic(15_000, t -> send(response, ": ping\n\n"));
      response.closeHandler(v -> {
        app.vertx().cancelTimer(ping);
        consumers.forEach(MessageConsumer::unregister);
      });
    });
  }

  private static void send(HttpServerResponse response, String chunk) {
    if (response.closed()) return;
    if (response.writeQueueFull()) {
      log.info("A dialogue feed's client stopped reading; its stream is closed");
      response.reset();
      return;
    }
    response.write(chunk);
  }

  private static Optional<String> param(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  private static int number(RoutingContext ctx, String name, int min, int max, int fallback) {
    Optional<String> v = param(ctx, name);
    if (v.isEmpty()) return fallback;
    try {
      int n = Integer.parseInt(v.get());
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException ignored) {
      // refused below with the same message
    }
    throw ApiError.invalid(name, name + " must be a whole number from " + min + " to " + max);
  }

  private static String id(RoutingContext ctx) {
    return Api.id(ctx, "id", "dialogue");
  }
}
