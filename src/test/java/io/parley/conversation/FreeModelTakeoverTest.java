package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A model with no prices costs nothing, so no spend is settled after its call; the dialogue's state is
 * still read before the reply goes out, and a manager who took over meanwhile gets the dialogue alone.
 */
class FreeModelTakeoverTest {
  @Test
  void aFreeModelsReplyIsDroppedWhenAManagerTookOverDuringTheCall() throws Exception {
    try (ConversationRig rig = new ConversationRig(Map.of("conversation.burstWindowMillis", "0"))) {
      List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
      FakeChatCompletions model = ConversationRig.await(new FakeChatCompletions().start(rig.parley.parley().app().vertx())
          .toCompletionStage().toCompletableFuture());
      model.answer = (call, req) -> held.add(req);
      String ai = rig.created("/api/ai-profiles", new JsonObject().put("name", "local model").put("provider", "openai")
          .put("openai", new JsonObject().put("baseUrl", model.baseUrl()).put("model", "local").put("maxCompletionTokens", 50)));
      rig.task("incoming", List.of(rig.manager("Anna", "")), ai, new JsonObject());

      rig.writeAndRoute("free-1", "hello");
      Poll.until("the call", Duration.ofSeconds(10), held::size, n -> n == 1);
      String id = rig.dialogue("free-1").getString("_id");
      assertEquals("human", rig.http.post("/api/dialogues/" + id + "/takeover", TestParley.ADMIN, null).json().getString("state"));
      FakeChatCompletions.ok(held.get(0), "Hello from the model", null, 10, 5);

      Document dropped = Poll.until("the dropped reply", Duration.ofSeconds(10), () -> rig.messages(id).stream()
          .filter(m -> "dropped".equals(m.getString("status"))).findFirst().orElse(null), m -> m != null);
      assertEquals("not sent: the dialogue became human while the AI wrote it", dropped.getString("reason"));
      assertEquals(0, rig.repliesTo("free-1").size());
      assertEquals("human", rig.dialogue("free-1").getString("state"));
    }
  }
}
