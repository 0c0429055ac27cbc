package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.parley.support.Http;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Servers that are OpenAI-compatible in their own way. An Azure OpenAI deployment: the profile's baseUrl is
 * the deployment, the key goes in an {@code api-key} header and the API version in the query (OpenAI's Bearer
 * header stays the default). A server without tool support: the profile turns the outcome tool off.
 */
class OpenAiCompatibleServersTest {
  @Test
  void aDeploymentGetsItsKeyHeaderAndApiVersion() {
    try (ConversationRig rig = new ConversationRig(Map.of("conversation.burstWindowMillis", "0"))) {
      FakeChatCompletions azure = ConversationRig.await(new FakeChatCompletions().start(rig.parley.parley().app().vertx())
          .toCompletionStage().toCompletableFuture());
      azure.answer = (call, req) -> FakeChatCompletions.ok(req, "Hello from Azure", null, 12, 4);
      Http.Response created = rig.http.post("/api/ai-profiles", TestParley.ADMIN, new JsonObject().put("name", "azure")
          .put("provider", "openai").put("openai", new JsonObject().put("baseUrl", azure.azureDeployment("gpt-4o-prod"))
              .put("apiKey", "azure-key-1").put("apiKeyHeader", "api-key").put("apiVersion", "2024-10-21").put("model", "gpt-4o")));
      assertEquals(201, created.status(), created.toString());
      JsonObject shown = created.json().getJsonObject("openai");
      assertEquals("api-key", shown.getString("apiKeyHeader"));
      assertEquals("2024-10-21", shown.getString("apiVersion"));
      assertNull(shown.getValue("apiKey"), "the key is write-only");
      rig.task("incoming", List.of(rig.manager("Anna", "")), created.json().getString("id"), new JsonObject());

      rig.writeAndRoute("az-1", "hello");
      assertEquals("Hello from Azure", rig.awaitReplies("az-1", 1).get(0).getString("text"));
      FakeChatCompletions.Call call = azure.calls.get(0);
      assertEquals("/openai/deployments/gpt-4o-prod/chat/completions", call.path());
      assertEquals("api-version=2024-10-21", call.query());
      assertEquals("azure-key-1", call.apiKey());
      assertNull(call.authorization(), "no Bearer header for Azure");

      // The same profile moved to a server that wants OpenAI's way: the version cleared, the header back to Bearer.
      Http.Response patched = rig.http.patch("/api/ai-profiles/" + created.json().getString("id"), TestParley.ADMIN,
          new JsonObject().put("openai", new JsonObject().putNull("apiVersion").put("apiKeyHeader", "authorization")
              .put("baseUrl", azure.baseUrl())));
      assertEquals(200, patched.status(), patched.toString());
      assertNull(patched.json().getJsonObject("openai").getValue("apiVersion"));
      assertEquals("authorization", patched.json().getJsonObject("openai").getString("apiKeyHeader"));
    }
  }

  @Test
  void badKeyHeadersAndApiVersionsAreRefusedAndNothingIsStored() {
    try (ConversationRig rig = new ConversationRig(Map.of())) {
      int before = rig.http.get("/api/ai-profiles", TestParley.ADMIN).items().size();
      JsonObject base = new JsonObject().put("baseUrl", "https://example.openai.azure.com/openai/deployments/d").put("model", "m");
      Http.Response header = rig.http.post("/api/ai-profiles", TestParley.ADMIN, new JsonObject().put("name", "x")
          .put("provider", "openai").put("openai", base.copy().put("apiKeyHeader", "X-Key")));
      assertEquals(400, header.status(), header.toString());
      assertEquals("openai.apiKeyHeader", header.error().getString("field"), header.toString());
      Http.Response version = rig.http.post("/api/ai-profiles", TestParley.ADMIN, new JsonObject().put("name", "x")
          .put("provider", "openai").put("openai", base.copy().put("apiVersion", "2024 10&x=1")));
      assertEquals(400, version.status(), version.toString());
      assertEquals("openai.apiVersion", version.error().getString("field"), version.toString());
      Http.Response wrongType = rig.http.post("/api/ai-profiles", TestParley.ADMIN, new JsonObject().put("name", "x")
          .put("provider", "openai").put("openai", base.copy().put("apiVersion", 20241021)));
      assertEquals(400, wrongType.status(), wrongType.toString());
      assertEquals(before, rig.http.get("/api/ai-profiles", TestParley.ADMIN).items().size());
    }
  }

  @Test
  void aServerWithoutToolsIsAskedWithoutThem() {
    try (ConversationRig rig = new ConversationRig(Map.of("conversation.burstWindowMillis", "0"))) {
      FakeChatCompletions local = ConversationRig.await(new FakeChatCompletions().start(rig.parley.parley().app().vertx())
          .toCompletionStage().toCompletableFuture());
      // A server that cannot take tools refuses any request that offers them.
      local.answer = (call, req) -> {
        if (call.body().containsKey("tools")) FakeChatCompletions.error(req, 500, null);
        else FakeChatCompletions.ok(req, "Hello from a local model", null, 9, 3);
      };
      Http.Response created = rig.http.post("/api/ai-profiles", TestParley.ADMIN, new JsonObject().put("name", "local")
          .put("provider", "openai").put("openai", new JsonObject().put("baseUrl", local.baseUrl()).put("model", "qwen")
              .put("outcomeTool", false)));
      assertEquals(201, created.status(), created.toString());
      assertEquals(false, created.json().getJsonObject("openai").getBoolean("outcomeTool"));
      rig.task("incoming", List.of(rig.manager("Anna", "")), created.json().getString("id"), new JsonObject());

      rig.writeAndRoute("local-1", "hello");
      assertEquals("Hello from a local model", rig.awaitReplies("local-1", 1).get(0).getString("text"));
      String system = local.calls.get(0).body().getJsonArray("messages").getJsonObject(0).getString("content");
      assertFalse(system.contains("declare_outcome"), "the prompt does not mention a tool it does not offer: " + system);

      Http.Response wrongType = rig.http.post("/api/ai-profiles", TestParley.ADMIN, new JsonObject().put("name", "x")
          .put("provider", "openai").put("openai", new JsonObject().put("baseUrl", local.baseUrl()).put("model", "m")
              .put("outcomeTool", "no")));
      assertEquals(400, wrongType.status(), wrongType.toString());
      assertEquals("openai.outcomeTool", wrongType.error().getString("field"), wrongType.toString());
    }
  }
}
