package io.parley.http;

import io.parley.token.Principal;
import io.parley.token.Role;
import io.parley.token.TokenStore;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;

/** Bearer-token authentication for {@code /api/*} and the role check each route declares. */
public final class Auth {
  private static final String PRINCIPAL = "parley.principal";

  private Auth() {}

  /** 401 unless the request carries a known bearer token; stores the caller for later handlers. */
  public static Handler<RoutingContext> authenticate(TokenStore tokens) {
    return ctx -> {
      String header = ctx.request().getHeader("Authorization");
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
        unauthorized(ctx, "send Authorization: Bearer <token>");
        return;
      }
      // Held until the route's body handler (or streaming upload) takes the body, so none is lost.
      ctx.request().pause();
      tokens.authenticate(header.substring(7).trim()).onComplete(ar -> {
        if (ar.failed()) {
          ctx.fail(ar.cause());
        } else if (ar.result() == null) {
          unauthorized(ctx, "the bearer token is not valid");
        } else {
          ctx.put(PRINCIPAL, ar.result());
          ctx.next();
        }
      });
    };
  }

  /** 403 unless the caller's role is one of {@code roles}; admins always pass. */
  public static Handler<RoutingContext> allow(Role... roles) {
    Set<Role> allowed = roles.length == 0 ? EnumSet.noneOf(Role.class) : EnumSet.of(roles[0], roles);
    return ctx -> {
      Principal p = principal(ctx);
      if (p.isAdmin() || allowed.contains(p.role())) {
        ctx.next();
      } else {
        ctx.fail(new ApiError(403, "forbidden", "a " + p.role().wire() + " token may not do this; it needs role "
            + String.join(" or ", allowed.stream().map(Role::wire).toList()) + " or admin", null));
      }
    };
  }

  public static Principal principal(RoutingContext ctx) {
    Principal p = ctx.get(PRINCIPAL);
    if (p == null) throw new IllegalStateException("route is missing Auth.authenticate");
    return p;
  }

  private static void unauthorized(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"parley\"");
    ctx.fail(new ApiError(401, "unauthorized", message, null));
  }
}
