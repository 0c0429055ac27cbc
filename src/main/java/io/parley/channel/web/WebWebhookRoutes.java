package io.parley.channel.web;

import io.parley.App;
import io.parley.channel.Inbox;
import io.parley.channel.ChannelSecrets;
import io.parley.channel.IncomingMessage;
import io.parley.http.ApiError;
import io.parley.http.Fields;
import io.parley.http.JsonBody;
import io.parley.http.Responses;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Ids;
import io.parley.store.RecentDocuments;
import io.parley.webhook.StandardWebhooks;
import io.parley.webhook.WebhookRejected;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/web/:channelId}: messages contacts sent through a web/API channel (SPEC §7). There
 * is no bearer token; the Standard Webhooks signature made with the channel's secret stands in for one, so
 * nothing is parsed or stored before it holds. The channel is read for every message but kept for {@link
 * #CHANNEL_TTL}, with the key made from its secret: a changed secret or a deleted channel takes effect within
 * that.
 */
public final class WebWebhookRoutes {
  static final long MAX_BODY_BYTES = 64 * 1024;
  static final Duration CHANNEL_TTL = Duration.ofSeconds(2);
  private static final Logger log = LoggerFactory.getLogger(WebWebhookRoutes.class);

  /** A channel's verifier, or why it has none (its secret is malformed: our configuration, not the sender's fault). */
  private record Verifier(StandardWebhooks webhooks, String problem) {}

  private final RecentDocuments channels;
  private final Inbox inbox;
  private final Clock clock;

  public WebWebhookRoutes(App app) {
    this.channels = new RecentDocuments(new DocumentStore(app.store(), Collections.CHANNELS), CHANNEL_TTL);
    this.inbox = new Inbox(app.store(), app.vertx().eventBus());
    this.clock = app.clock();
  }

  /** Mounts on the router itself, outside {@code /api}, so bearer authentication never runs here. */
  public void mount(Router router) {
    router.post("/webhooks/web/:channelId")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(this::receive);
  }

  private void receive(RoutingContext ctx) {
    String channelId = ctx.pathParam("channelId");
    Buffer raw = ctx.body().buffer();
    Buffer body = raw == null ? Buffer.buffer() : raw;
    verifier(channelId)
        .map(verifier -> {
          verify(channelId, verifier, body, ctx.request().headers());
          // No Content-Type check: the signature already vouches for the sender and the bytes it meant.
          return message(channelId, JsonBody.parse(body));
        })
        .compose(inbox::accept)
        .onSuccess(isNew -> Responses.json(ctx, 200, new JsonObject().put("status", isNew ? "accepted" : "duplicate")))
        .onFailure(ctx::fail);
  }

  private Future<Verifier> verifier(String id) {
    if (!Ids.looksValid(id)) return Future.failedFuture(ApiError.notFound("web channel", id));
    return channels.derived(id, this::verifier).compose(v -> v != null ? Future.succeededFuture(v)
        : Future.failedFuture(ApiError.notFound("web channel", id)));
  }

  /** The verifier of a web channel's document; null for any other channel. */
  private Verifier verifier(Document channel) {
    if (!"web".equals(channel.getString("type"))) return null;
    try {
      return new Verifier(StandardWebhooks.forSecret(secret(channel), clock), null);
    } catch (WebhookRejected e) {
      return new Verifier(null, e.getMessage());
    }
  }

  private static void verify(String channelId, Verifier verifier, Buffer body, MultiMap headers) {
    if (verifier.webhooks() == null) {
      // Our configuration, not the sender's fault; the sender still gets no further than a refusal.
      log.warn("web channel {} cannot verify webhooks: {}", channelId, verifier.problem());
      throw badSignature("this channel cannot verify signatures yet");
    }
    try {
      verifier.webhooks().verify(body.getBytes(), headers.get(StandardWebhooks.ID_HEADER),
          headers.get(StandardWebhooks.TIMESTAMP_HEADER), headers.get(StandardWebhooks.SIGNATURE_HEADER));
    } catch (WebhookRejected e) {
      throw badSignature(e.getMessage());
    }
  }

  private IncomingMessage message(String channelId, JsonObject json) {
    Fields f = Fields.of(json, "from", "text", "id");
    String from = f.string("from", 1, 256);
    String text = f.string("text", 1, 4096);
    String id = f.string("id", 1, 256);
    return new IncomingMessage(channelId, from, text, id, clock.instant());
  }

  private static String secret(Document channel) {
    return ChannelSecrets.get(channel, "secret");
  }

  private static ApiError badSignature(String message) {
    return new ApiError(401, "bad_signature", message, null);
  }
}
