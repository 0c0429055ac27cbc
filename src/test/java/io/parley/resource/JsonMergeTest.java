package io.parley.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsonMergeTest {
  @Test
  void objectsMergeNullRemovesArraysReplace() {
    JsonObject stored = new JsonObject().put("name", "a").put("tags", new JsonArray().add(1).add(2))
        .put("settings", new JsonObject().put("mode", "polling").put("token", "t"));
    JsonObject patch = new JsonObject().putNull("name").put("tags", new JsonArray().add(3))
        .put("settings", new JsonObject().put("mode", "webhook"));
    JsonObject merged = JsonMerge.apply(stored, patch);
    assertEquals(new JsonObject().put("tags", new JsonArray().add(3))
        .put("settings", new JsonObject().put("mode", "webhook").put("token", "t")), merged);
    assertEquals("polling", stored.getJsonObject("settings").getString("mode"), "the input is not modified");
  }

  @Test
  void webhookSecretsFollowTheStandardWebhooksShape() {
    assertTrue(WebhookSecrets.isValid(WebhookSecrets.generate()));
    assertTrue(WebhookSecrets.isValid("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    assertFalse(WebhookSecrets.isValid("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    assertFalse(WebhookSecrets.isValid("whsec_not base64!"));
    assertFalse(WebhookSecrets.isValid("whsec_c2hvcnQ="), "a 5-byte key is too short");
  }
}
