package io.parley.token;

import io.parley.http.Api;
import io.parley.http.ApiError;
import io.parley.http.Fields;
import io.parley.http.Responses;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.bson.Document;

/** {@code /api/tokens}: admins issue, list and revoke tokens. A token is shown only in the create answer. */
public final class TokenRoutes {
  private final TokenStore tokens;

  public TokenRoutes(TokenStore tokens) {
    this.tokens = tokens;
  }

  public void mount(Api api) {
    Role[] admin = Api.roles(Role.ADMIN);
    api.json(HttpMethod.POST, "/api/tokens", admin, this::create);
    api.route(HttpMethod.GET, "/api/tokens", admin, this::list);
    api.route(HttpMethod.DELETE, "/api/tokens/:id", admin, this::delete);
  }

  private void create(RoutingContext ctx, JsonObject body) {
    Fields f = Fields.of(body, "name", "role");
    String name = f.string("name", 1, 200);
    Role role = f.enumValue("role", Role.class);
    Responses.reply(ctx, 201, tokens.create(name, role, "api").map(t -> new JsonObject()
        .put("id", t.id()).put("name", t.name()).put("role", t.role().wire()).put("token", t.token())));
  }

  private void list(RoutingContext ctx) {
    Responses.replyList(ctx, tokens.list().map(docs -> {
      JsonArray items = new JsonArray();
      docs.forEach(d -> items.add(toJson(d)));
      return items;
    }));
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    tokens.delete(id).onComplete(ar -> {
      if (ar.failed()) ctx.fail(ar.cause());
      else if (!ar.result()) ctx.fail(ApiError.notFound("token", id));
      else Responses.noContent(ctx);
    });
  }

  private static JsonObject toJson(Document d) {
    return new JsonObject().put("id", d.getString("id")).put("name", d.getString("name"))
        .put("role", d.getString("role")).put("source", d.getString("source"))
        .put("createdAt", d.getDate("createdAt").toInstant().toString());
  }
}
