package io.parley.integration.delivery;

import io.parley.App;
import io.parley.http.Api;
import io.parley.http.ApiError;
import io.parley.http.Responses;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Ids;
import io.parley.token.Role;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/**
 * An integration's delivery log ({@code GET /api/integrations/{id}/deliveries}, newest first), one
 * delivery with its attempts, and redelivery: one more attempt of the same delivery, with the same
 * {@code webhook-id}, so a receiver that already processed it recognises it.
 */
public final class DeliveryRoutes {
  private static final Role[] MARKETER = Api.roles(Role.MARKETER);
  private static final List<String> STATUSES = List.of(DeliveryStore.PENDING, DeliveryStore.DELIVERED, DeliveryStore.FAILED);
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  private final App app;
  private final DeliveryStore deliveries;
  private final DocumentStore integrations;

  public DeliveryRoutes(App app) {
    this.app = app;
    this.deliveries = new DeliveryStore(app.store());
    this.integrations = new DocumentStore(app.store(), Collections.INTEGRATIONS);
  }

  public void mount(Api api) {
    api.route(HttpMethod.GET, "/api/integrations/:id/deliveries", MARKETER, this::list);
    api.route(HttpMethod.GET, "/api/integrations/:id/deliveries/:deliveryId", MARKETER, this::one);
    api.route(HttpMethod.POST, "/api/integrations/:id/deliveries/:deliveryId/redeliver", MARKETER, this::redeliver);
  }

  private void list(RoutingContext ctx) {
    String id = Api.id(ctx, "id", "integration");
    Optional<String> status = choice(ctx, "status", STATUSES);
    Optional<String> event = Optional.ofNullable(ctx.queryParams().get("event")).filter(e -> !e.isEmpty());
    Optional<String> after = Optional.ofNullable(ctx.queryParams().get("after")).filter(a -> !a.isEmpty());
    if (after.isPresent() && !Ids.looksValid(after.get())) throw ApiError.invalid("after", "after must be a next cursor of an earlier page");
    int limit = limit(ctx);
    Responses.reply(ctx, 200, integration(id)
        .compose(i -> deliveries.page(id, status, event, after, limit + 1))
        .map(found -> {
          // one more than asked tells whether another page exists without counting
          List<Document> page = found.size() > limit ? found.subList(0, limit) : found;
          JsonArray items = new JsonArray();
          page.forEach(d -> items.add(DeliveryMapper.summary(d)));
          String next = found.size() > limit ? page.get(limit - 1).getString("order") : null;
          return new JsonObject().put("items", items).put("next", next);
        }));
  }

  private void one(RoutingContext ctx) {
    String id = Api.id(ctx, "id", "integration");
    Responses.reply(ctx, 200, delivery(ctx, id).map(DeliveryMapper::full));
  }

  private void redeliver(RoutingContext ctx) {
    String id = Api.id(ctx, "id", "integration");
    Responses.reply(ctx, 202, integration(id).compose(integration -> {
      if (!Callbacks.enabled(integration)) {
        throw ApiError.conflict("integration_disabled", "integration " + id + " is disabled; enable it before redelivering", null);
      }
      return delivery(ctx, id);
    }).compose(d -> {
      if (DeliveryStore.PENDING.equals(d.getString("status"))) {
        throw ApiError.conflict("delivery_pending", "delivery " + d.getString("_id") + " is already waiting to be sent", null);
      }
      return deliveries.requeue(d.getString("_id"), DeliveryOutcomes.number(d, "attempts"), app.clock().instant());
    }).map(saved -> {
      Callbacks.queued(app, saved.getString("_id"), app.clock().instant());
      return DeliveryMapper.summary(saved);
    }));
  }

  private Future<Document> integration(String id) {
    return integrations.find(id).map(i -> {
      if (i == null) throw ApiError.notFound("integration", id);
      return i;
    });
  }

  /** The delivery named in the path, if it belongs to integration {@code id}. */
  private Future<Document> delivery(RoutingContext ctx, String id) {
    String deliveryId = ctx.pathParam("deliveryId");
    if (!DeliveryIds.looksValid(deliveryId)) return Future.failedFuture(ApiError.notFound("delivery", deliveryId));
    return integration(id).compose(i -> deliveries.find(deliveryId)).map(d -> {
      if (d == null || !id.equals(d.getString("integration"))) throw ApiError.notFound("delivery", deliveryId);
      return d;
    });
  }

  private static Optional<String> choice(RoutingContext ctx, String name, List<String> allowed) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isEmpty()) return Optional.empty();
    if (!allowed.contains(value)) {
      throw ApiError.invalid(name, name + " must be one of " + String.join(", ", allowed) + " (got \"" + value + "\")");
    }
    return Optional.of(value);
  }

  private static int limit(RoutingContext ctx) {
    String value = ctx.queryParams().get("limit");
    if (value == null || value.isEmpty()) return DEFAULT_LIMIT;
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= MAX_LIMIT) return n;
    } catch (NumberFormatException e) {
      // answered below, like an out-of-range number
    }
    throw ApiError.invalid("limit", "limit must be a whole number between 1 and " + MAX_LIMIT);
  }
}
