package io.parley.integration;

import io.parley.App;
import io.parley.http.Api;
import io.parley.http.ApiError;
import io.parley.http.Responses;
import io.parley.resource.ReferringTasks;
import io.parley.resource.ResourceEndpoints;
import io.parley.resource.WebhookSecrets;
import io.parley.token.Role;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Date;

/**
 * {@code /api/integrations}: where dialogue and task events are sent. The signing secret is shown only
 * when it is made: at creation and by {@code POST /api/integrations/{id}/secret}, which replaces it.
 */
public final class IntegrationRoutes {
  private static final Role[] MARKETER = Api.roles(Role.MARKETER);

  private final IntegrationStore store;
  private final IntegrationMapper mapper = new IntegrationMapper();
  private final ResourceEndpoints endpoints;
  private final Clock clock;

  public IntegrationRoutes(App app) {
    this.store = new IntegrationStore(app.store());
    this.clock = app.clock();
    this.endpoints = new ResourceEndpoints(
        new ResourceEndpoints.Kind("/api/integrations", "integration", "integration", MARKETER),
        store, mapper, new ReferringTasks(app.store()), clock);
  }

  public void mount(Api api) {
    endpoints.mount(api);
    api.route(HttpMethod.POST, "/api/integrations/:id/secret", MARKETER, this::rotateSecret);
  }

  private void rotateSecret(RoutingContext ctx) {
    String id = Api.id(ctx, "id", "integration");
    String secret = WebhookSecrets.generate();
    Responses.reply(ctx, 200, store.replaceSecret(id, secret, Date.from(clock.instant())).compose(saved -> saved == null
        ? Future.failedFuture(ApiError.notFound("integration", id))
        : Future.succeededFuture(mapper.toJson(saved).put("secret", secret))));
  }
}
