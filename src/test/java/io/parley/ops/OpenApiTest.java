package io.parley.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.support.Http;
import io.parley.support.TestParley;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class OpenApiTest {
  /** Every operation of SPEC §7, plus the ones this document adds (token list/revoke, secret, resume). */
  static final List<String> OPERATIONS = List.of(
      "POST /api/tokens", "GET /api/tokens", "DELETE /api/tokens/{id}",
      "POST /api/channels", "GET /api/channels", "GET /api/channels/{id}", "PATCH /api/channels/{id}",
      "DELETE /api/channels/{id}",
      "POST /api/ai-profiles", "GET /api/ai-profiles", "GET /api/ai-profiles/{id}",
      "POST /api/managers", "GET /api/managers", "GET /api/managers/{id}",
      "POST /api/integrations", "GET /api/integrations", "GET /api/integrations/{id}",
      "POST /api/integrations/{id}/secret",
      "GET /api/integrations/{id}/deliveries", "GET /api/integrations/{id}/deliveries/{deliveryId}",
      "POST /api/integrations/{id}/deliveries/{deliveryId}/redeliver",
      "POST /api/tasks", "GET /api/tasks", "GET /api/tasks/{id}", "PATCH /api/tasks/{id}", "DELETE /api/tasks/{id}",
      "POST /api/tasks/{id}/audience", "GET /api/tasks/{id}/audience", "POST /api/tasks/{id}/audience/requeue",
      "POST /api/tasks/{id}/start", "POST /api/tasks/{id}/pause", "POST /api/tasks/{id}/stop",
      "POST /api/tasks/{id}/resume", "GET /api/tasks/{id}/stats",
      "GET /api/dialogues", "GET /api/dialogues/{id}", "POST /api/dialogues/{id}/messages",
      "POST /api/dialogues/{id}/takeover", "POST /api/dialogues/{id}/handback", "POST /api/dialogues/{id}/close",
      "GET /api/manager-tasks", "PUT /api/manager-tasks", "POST /api/manager-tasks", "GET /api/manager-tasks/{id}",
      "PUT /api/manager-tasks/{id}", "DELETE /api/manager-tasks/{id}",
      "POST /webhooks/telegram/{channelId}", "GET /webhooks/whatsapp/{channelId}",
      "POST /webhooks/whatsapp/{channelId}", "POST /webhooks/web/{channelId}",
      "GET /health", "GET /ready", "GET /metrics", "GET /openapi.yaml");

  static TestParley parley;
  static Map<String, Object> doc;

  @BeforeAll
  static void fetch() {
    parley = TestParley.start();
    Http.Response r = parley.http().get("/openapi.yaml", null);
    assertEquals(200, r.status());
    assertEquals("application/yaml", r.headers().firstValue("Content-Type").orElse(""));
    doc = new Yaml().load(r.body());
  }

  @AfterAll
  static void stop() {
    parley.close();
  }

  @Test
  void isAnOpenApi3DocumentWithBearerSecurity() {
    assertTrue(String.valueOf(doc.get("openapi")).startsWith("3.0"));
    Map<String, Object> schemes = map(map(doc.get("components")).get("securitySchemes"));
    assertEquals("bearer", map(schemes.get("bearer")).get("scheme"));
  }

  @Test
  void describesEveryOperationOfTheContract() {
    Map<String, Object> paths = map(doc.get("paths"));
    List<String> missing = new ArrayList<>();
    for (String op : OPERATIONS) {
      String[] parts = op.split(" ");
      Object path = paths.get(parts[1]);
      if (path == null || !map(path).containsKey(parts[0].toLowerCase(java.util.Locale.ROOT))) missing.add(op);
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void everyReferenceResolves() {
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertTrue(refs.size() > 50, "the document is built from shared components");
    List<String> dangling = refs.stream().filter(ref -> resolve(ref) == null).distinct().toList();
    assertEquals(List.of(), dangling);
  }

  @Test
  void errorSchemaIsTheOneErrorShape() {
    Map<String, Object> error = map(map(map(map(map(doc.get("components")).get("schemas")).get("Error"))
        .get("properties")).get("error"));
    assertEquals(List.of("code", "message", "field"), new ArrayList<>(map(error.get("properties")).keySet()));
  }

  /**
   * The document and the router agree: an operation is served (its route answers, whatever the answer)
   * exactly when it is not marked {@code x-parley-status: planned}.
   */
  @Test
  void plannedMarksExactlyTheOperationsNotServedYet() {
    Map<String, Object> paths = map(doc.get("paths"));
    List<String> wrong = new ArrayList<>();
    paths.forEach((path, item) -> map(item).forEach((method, op) -> {
      if (!List.of("get", "post", "put", "patch", "delete").contains(method)) return;
      boolean planned = "planned".equals(map(op).get("x-parley-status"));
      String concrete = path.replaceAll("\\{[^}]+}", "64b000000000000000000000");
      boolean served;
      if (streams(op)) {
        served = streamStatus(concrete) == 200; // an event stream never ends: read its status only
      } else {
        Http.Response r = parley.http().send(concrete, TestParley.ADMIN, method.toUpperCase(java.util.Locale.ROOT),
            "application/json", method.equals("get") || method.equals("delete") ? "" : "{}");
        served = !(r.status() == 405 || (r.status() == 404 && r.body().contains("no such resource")));
      }
      if (served == planned) wrong.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path + (planned ? " is served but marked planned" : " is not served"));
    }));
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  private static boolean streams(Object op) {
    Object ok = map(map(op).getOrDefault("responses", Map.of())).get("200");
    return ok instanceof Map<?, ?> m && m.get("content") instanceof Map<?, ?> c && c.containsKey("text/event-stream");
  }

  private static int streamStatus(String path) {
    try {
      var request = parley.http().builder(path, TestParley.ADMIN).GET().build();
      var response = java.net.http.HttpClient.newHttpClient().send(request,
          java.net.http.HttpResponse.BodyHandlers.ofInputStream());
      response.body().close();
      return response.statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void collectRefs(Object node, List<String> refs) {
    if (node instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        if ("$ref".equals(k)) refs.add((String) v);
        else collectRefs(v, refs);
      });
    } else if (node instanceof List<?> l) {
      l.forEach(item -> collectRefs(item, refs));
    }
  }

  private static Object resolve(String ref) {
    Object node = doc;
    for (String part : ref.substring(2).split("/")) {
      if (!(node instanceof Map<?, ?> m)) return null;
      node = m.get(part);
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
