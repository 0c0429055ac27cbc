package io.parley.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The system message an OpenAI-compatible model is given: who it speaks as, and what is known of the contact. */
class OpenAiPromptTest {
  private static final AiProfile.OpenAi SETTINGS = new AiProfile.OpenAi("http://127.0.0.1:1/v1", "sk", "authorization", null,
      "m", new BigDecimal("0.2"), 100, BigDecimal.ONE, BigDecimal.ONE, false);

  private static String system(String persona, Document fields) {
    ChatContext c = new ChatContext("Maria", persona, "client-1", fields, List.of(new ChatContext.Turn("contact", "hi")), "hi");
    JsonObject body = new OpenAiResponder(null, SETTINGS, Duration.ofSeconds(5), Clock.systemUTC()).body(c);
    return body.getJsonArray("messages").getJsonObject(0).getString("content");
  }

  @Test
  void aPersonaWithoutAFullStopIsASentenceOfItsOwn() {
    assertEquals("You are Maria, writing to a contact in a messaging app. Friendly and brief."
        + " Answer as Maria in the contact's language, briefly.", system("  Friendly and brief ", new Document()));
    assertEquals("You are Maria, writing to a contact in a messaging app. Speaks of the webinar!"
        + " Answer as Maria in the contact's language, briefly.", system("Speaks of the webinar!", new Document()));
    assertEquals("You are Maria, writing to a contact in a messaging app."
        + " Answer as Maria in the contact's language, briefly.", system(" ", new Document()));
  }

  @Test
  void theContactsMergeFieldsAreWhatTheModelKnowsOfThem() {
    Document fields = new Document("name", "Dana").append("company", "Acme Ltd").append("empty", "");
    assertEquals("You are Maria, writing to a contact in a messaging app. Warm."
        + " What you know about the contact: name: Dana; company: Acme Ltd."
        + " Answer as Maria in the contact's language, briefly.", system("Warm.", fields));
  }
}
