package io.parley.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Map;

/**
 * The web pages for marketers (plain HTML, CSS and JavaScript from {@code webroot/} on the class path;
 * they call the same {@code /api}). Clean page addresses are rerouted to their HTML file; everything else
 * the static handler does not know falls through to the API's 404.
 */
public final class WebPages {
  /** Page address → file under webroot. {@code /tasks/:id} is matched last so {@code /tasks/new} wins. */
  private static final Map<String, String> PAGES = Map.of(
      "/", "/index.html",
      "/tasks", "/tasks.html",
      "/tasks/new", "/task-form.html",
      "/settings", "/settings.html",
      "/inbox", "/inbox.html");
  private static final String SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
      + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private WebPages() {}

  public static void mount(Router router) {
    router.route("/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(WebPages::headers);
    PAGES.forEach((path, file) -> router.get(path).handler(ctx -> ctx.reroute(file)));
    router.get("/tasks/:id/edit").handler(ctx -> ctx.reroute("/task-form.html"));
    router.get("/tasks/:id").handler(ctx -> ctx.reroute("/task.html"));
    router.route("/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(StaticHandler.create("webroot")
        .setIndexPage("index.html")
        .setDefaultContentEncoding("UTF-8")
        .setCachingEnabled(false));
  }

  /** Pages and assets only; API answers keep their own headers. */
  private static void headers(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (!path.startsWith("/api/") && !path.startsWith("/webhooks/")) {
      ctx.response().putHeader("Content-Security-Policy", SECURITY_POLICY)
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "no-referrer");
    }
    ctx.next();
  }
}
