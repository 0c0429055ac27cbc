package io.parley.channel.whatsapp;

import io.parley.App;
import io.parley.channel.Inbox;
import io.parley.channel.IncomingMessage;
import io.parley.http.ApiError;
import io.parley.http.JsonBody;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /webhooks/whatsapp/:channelId}: Meta's verification handshake ({@code GET}) and its events
 * ({@code POST}). No bearer token: the handshake proves the verify token, each post the HMAC of its raw
 * body with the app secret, and nothing is parsed or stored before that holds.
 */
public final class WhatsAppWebhookRoutes {
  private static final Logger log = LoggerFactory.getLogger(WhatsAppWebhookRoutes.class);

  private final DocumentStore channels;
  private final Inbox inbox;
  private final Contacts contacts;
  private final StatusUpdates statuses;
  private final MarketingPreferences preferences;
  private final Clock clock;
  private final long maxBodyBytes;

  public WhatsAppWebhookRoutes(App app) {
    this.channels = new DocumentStore(app.store(), Collections.CHANNELS);
    this.inbox = new Inbox(app.store(), app.vertx().eventBus());
    this.contacts = new Contacts(app.store());
    this.statuses = new StatusUpdates(app.store(), app.vertx().eventBus());
    this.preferences = new MarketingPreferences(app.store(), contacts);
    this.clock = app.clock();
    this.maxBodyBytes = app.config().maxBodyBytes();
  }

  /** Mounts on the router itself, outside {@code /api}, so bearer authentication never runs here. */
  public void mount(Router router) {
    router.get("/webhooks/whatsapp/:channelId").handler(this::verifySubscription);
    router.post("/webhooks/whatsapp/:channelId")
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(this::receive);
  }

  private void verifySubscription(RoutingContext ctx) {
    String mode = ctx.request().getParam("hub.mode");
    String token = ctx.request().getParam("hub.verify_token");
    String challenge = ctx.request().getParam("hub.challenge");
    number(ctx.pathParam("channelId")).onSuccess(number -> {
      if (!"subscribe".equals(mode) || challenge == null || !sameSecret(number.verifyToken(), token)) {
        ctx.fail(new ApiError(403, "forbidden", "hub.mode must be subscribe and hub.verify_token the channel's verify token", null));
        return;
      }
      ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(challenge);
    }).onFailure(ctx::fail);
  }

  private void receive(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    byte[] body = raw == null ? new byte[0] : raw.getBytes();
    String signature = ctx.request().getHeader(HubSignature.HEADER);
    Instant now = clock.instant();
    number(ctx.pathParam("channelId"))
        .map(number -> {
          if (!HubSignature.valid(number.appSecret(), body, signature)) {
            throw new ApiError(401, "bad_signature", HubSignature.HEADER + " is missing or is not the HMAC-SHA256 "
                + "of the body with the channel's app secret", null);
          }
          return number;
        })
        .compose(number -> {
          WebhookEvents events = WebhookEvents.parse(JsonBody.parse(Buffer.buffer(body)), number.phoneNumberId(), now);
          if (events.otherNumbers() > 0) {
            log.warn("WhatsApp channel {}: ignored {} change(s) for another phone number id", number.channelId(), events.otherNumbers());
          }
          return handle(number, events, now);
        })
        .onSuccess(summary -> Responses.json(ctx, 200, summary))
        .onFailure(ctx::fail);
  }

  /**
   * Messages first (each opens the contact's window, then is stored once), then statuses, then the contacts'
   * marketing preferences, in order.
   */
  private Future<JsonObject> handle(NumberSettings number, WebhookEvents events, Instant now) {
    int[] fresh = {0};
    Future<Void> done = Future.succeededFuture();
    for (WebhookEvents.Inbound m : events.messages()) {
      done = done.compose(v -> received(number.channelId(), m)).map(isNew -> {
        if (isNew) fresh[0]++;
        return null;
      });
    }
    for (WebhookEvents.Status s : events.statuses()) {
      done = done.compose(v -> statuses.apply(number, s, now));
    }
    for (WebhookEvents.Preference p : events.preferences()) {
      done = done.compose(v -> preferences.apply(number.channelId(), p));
    }
    return done.map(v -> new JsonObject().put("messages", fresh[0])
        .put("duplicates", events.messages().size() - fresh[0]).put("statuses", events.statuses().size())
        .put("preferences", events.preferences().size()));
  }

  private Future<Boolean> received(String channelId, WebhookEvents.Inbound m) {
    String kind = switch (m.type()) {
      case IncomingMessage.REACTION, IncomingMessage.SYSTEM -> m.type();
      default -> null;
    };
    IncomingMessage message = new IncomingMessage(channelId, m.from(), m.text(), m.id(), m.at(), kind, m.movedTo());
    Document details = new Document("type", m.type());
    if (m.profileName() != null) details.append("profileName", m.profileName());
    return contacts.incoming(channelId, m.from(), m.at()).compose(v -> inbox.accept(message, details));
  }

  private Future<NumberSettings> number(String id) {
    if (!Ids.looksValid(id)) return Future.failedFuture(ApiError.notFound("WhatsApp channel", id));
    return channels.find(id).compose(doc -> {
      if (doc == null || !"whatsapp".equals(doc.getString("type"))) {
        return Future.failedFuture(ApiError.notFound("WhatsApp channel", id));
      }
      try {
        return Future.succeededFuture(NumberSettings.of(doc));
      } catch (IllegalArgumentException e) {
        log.warn("WhatsApp channel {} cannot take webhooks: {}", id, e.getMessage());
        return Future.failedFuture(ApiError.notFound("WhatsApp channel", id));
      }
    });
  }

  private static boolean sameSecret(String expected, String given) {
    if (expected == null || given == null) return false;
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
