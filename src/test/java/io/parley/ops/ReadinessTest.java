package io.parley.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.support.Http;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  @Test
  void notReadyOnceTheStoreIsGoneButStillAlive() {
    try (TestParley parley = TestParley.start()) {
      assertEquals(200, parley.http().get("/ready", null).status());
      parley.parley().app().store().close(); // the embedded server stops and the client is closed

      Http.Response ready = parley.http().get("/ready", null);
      assertEquals(503, ready.status(), ready.toString());
      assertEquals("DOWN", ready.json().getString("status"));
      JsonObject check = ready.json().getJsonArray("checks").getJsonObject(0);
      assertEquals("mongodb", check.getString("id"));
      assertEquals("DOWN", check.getString("status"));
      assertTrue(check.getJsonObject("data").getString("reason").startsWith("MongoDB did not answer"), check.encode());

      assertEquals(200, parley.http().get("/health", null).status(), "the process itself is still alive");
    }
  }
}
