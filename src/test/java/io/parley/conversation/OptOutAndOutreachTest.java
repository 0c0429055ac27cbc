package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.support.Http;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With Parley's own dispatchers on: replies to outreach openings reach the outreach dialogue, and a stop
 * word suppresses the contact in every task, including targets a dispatcher claims later.
 */
class OptOutAndOutreachTest {
  static ConversationRig rig;
  static String manager;
  static String ai;

  @BeforeAll
  static void start() {
    rig = new ConversationRig(Map.of("dispatch.enabled", "true"));
    manager = rig.manager("Olga", "Calm.");
    ai = rig.scripted(new JsonArray().add(ConversationRig.rule("price", "Free for you, {{name}}.", null)), "Olga here, thanks!");
    rig.task("incoming", List.of(manager), ai, new JsonObject());
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  String awaitingTask(String... audience) {
    return rig.created("/api/tasks", new JsonObject().put("name", "later").put("type", "web").put("format", "incoming_outgoing")
        .put("channels", new JsonArray().add(rig.channel)).put("managers", new JsonArray().add(manager)).put("ai", ai)
        .put("spendLimitPerDialogue", "1").put("workingHours", new JsonObject().put("from", 0).put("to", 24))
        .put("dailyLimitPerChannel", 100).put("pauseBetweenDialogues", 3)
        .put("openingMessage", new JsonObject().put("text", "Hello {{address}}")).put("audience", new JsonArray(List.of(audience))));
  }

  JsonObject entry(String task, String address) {
    Http.Response r = rig.http.get("/api/tasks/" + task + "/audience", TestParley.ADMIN);
    return r.items().stream().map(o -> (JsonObject) o).filter(e -> address.equals(e.getString("address")))
        .findFirst().orElseThrow(() -> new AssertionError(address + " not in " + r));
  }

  @Test
  void aReplyToAnOpeningReachesTheOutreachDialogue() {
    rig.scheduler.advance(Duration.ofSeconds(10)); // past the channel's pause after another test's opening
    String task = rig.created("/api/tasks", new JsonObject().put("name", "outreach").put("type", "web")
        .put("format", "incoming_outgoing").put("channels", new JsonArray().add(rig.channel))
        .put("managers", new JsonArray().add(manager)).put("ai", ai).put("spendLimitPerDialogue", "1")
        .put("workingHours", new JsonObject().put("from", 0).put("to", 24)).put("dailyLimitPerChannel", 100)
        .put("pauseBetweenDialogues", 3).put("openingMessage", new JsonObject().put("text", "Hello {{name}}")));
    assertEquals(200, rig.http.send("/api/tasks/" + task + "/audience", TestParley.ADMIN, "POST", "text/csv",
        "id,name\nlead-1,Dana\n").status());
    assertEquals(200, rig.http.post("/api/tasks/" + task + "/start", TestParley.ADMIN, null).status());
    JsonObject opening = rig.awaitReplies("lead-1", 1).get(0);
    assertEquals("Hello Dana", opening.getString("text"));
    Document key = Poll.until("the dialogue key", Duration.ofSeconds(10),
        () -> rig.db.find(Collections.DIALOGUE_KEYS, rig.channel + ":lead-1"), k -> k != null);
    assertEquals(opening.getString("dialogueId"), key.getString("dialogue"));

    rig.writeAndRoute("lead-1", "What is the price?");
    rig.scheduler.advance(Duration.ofSeconds(3));
    JsonObject reply = rig.awaitReplies("lead-1", 2).get(1);
    assertEquals(opening.getString("dialogueId"), reply.getString("dialogueId"), "the outreach dialogue, not a new one");
    assertEquals("Free for you, Dana.", reply.getString("text"));
    Document d = rig.dialogue("lead-1");
    assertEquals("outreach", d.getString("origin"));
    assertEquals(task, d.getString("task"));
  }

  @Test
  void aStopWordSuppressesTheContactEverywhereAndIsConfirmedOnce() {
    String b = awaitingTask("bob", "carol");
    String c = awaitingTask("bob");
    rig.outcomes.clear();
    rig.writeAndRoute("bob", "hi");
    rig.writeAndRoute("bob", " Stop! ");
    List<JsonObject> sent = rig.repliesTo("bob");
    assertEquals(1, sent.size(), "the confirmation, before any burst reply: " + sent);
    assertEquals("You are unsubscribed and will not receive further messages.", sent.get(0).getString("text"));
    JsonObject outcome = ConversationRig.next(rig.outcomes);
    assertEquals("opted_out", outcome.getString("outcome"));
    assertEquals("system", outcome.getString("by"));
    Document d = rig.dialogue("bob");
    assertEquals("closed", d.getString("state"));
    assertEquals("opted_out", d.getString("outcome"));
    assertEquals(rig.clock.instant().toString(),
        rig.http.get("/api/dialogues/" + d.getString("_id"), TestParley.ADMIN).json().getString("closedAt"));
    assertEquals("system", d.getString("closedBy"));
    assertNotNull(rig.db.find(Collections.SUPPRESSIONS, "bob"));
    for (String task : List.of(b, c)) {
      JsonObject e = entry(task, "bob");
      assertEquals("skipped", e.getString("state"));
      assertEquals("opted out", e.getString("reason"));
      JsonObject progress = rig.http.get("/api/tasks/" + task, TestParley.ADMIN).json().getJsonObject("progress");
      assertEquals(1L, progress.getLong("skipped"));
    }
    assertEquals("pending", entry(b, "carol").getString("state"));
    assertEquals(2L - 1L, rig.http.get("/api/tasks/" + b, TestParley.ADMIN).json().getJsonObject("progress").getLong("pending"));

    rig.writeAndRoute("bob", "STOP");
    rig.scheduler.advance(Duration.ofSeconds(3));
    assertEquals(1, rig.repliesTo("bob").size(), "a second STOP is not confirmed again, a closed dialogue not answered");
    assertTrue(rig.http.get("/metrics", TestParley.ADMIN).body().contains("parley_opt_outs_total"));

    // A task created afterwards: its dispatcher claims bob and skips him instead of writing.
    rig.scheduler.advance(Duration.ofSeconds(10)); // past the channel's pause after another test's opening
    String later = awaitingTask("bob", "erin");
    assertEquals(200, rig.http.post("/api/tasks/" + later + "/start", TestParley.ADMIN, null).status());
    rig.awaitReplies("erin", 1);
    JsonObject skipped = Poll.until("bob to be skipped", Duration.ofSeconds(20), () -> entry(later, "bob"),
        e -> "skipped".equals(e.getString("state")));
    assertEquals("opted out", skipped.getString("reason"));
    assertEquals(1, rig.repliesTo("bob").size());
  }

  /**
   * A stop word from a contact no running task answers on that channel: no dialogue opens, the contact is
   * suppressed everywhere all the same, and the one confirmation goes outside any dialogue (a web callback
   * with a null {@code dialogueId}), recorded on the suppression.
   */
  @Test
  void aStopWordOnAChannelNoTaskAnswersIsConfirmedOutsideAnyDialogue() {
    String idle = rig.created("/api/channels", new JsonObject().put("type", "web").put("name", "idle")
        .put("settings", new JsonObject().put("callbackUrl", rig.receiver.url("/in")).put("secret", ConversationRig.SECRET)));
    String waiting = awaitingTask("gus");
    assertEquals(200, rig.write(idle, "gus", "STOP"));
    rig.awaitRouted();
    JsonObject confirmation = rig.awaitReplies("gus", 1).get(0);
    assertEquals("You are unsubscribed and will not receive further messages.", confirmation.getString("text"));
    assertTrue(confirmation.containsKey("dialogueId"));
    assertNull(confirmation.getValue("dialogueId"));
    assertNull(rig.db.find(Collections.DIALOGUE_KEYS, idle + ":gus"), "no dialogue opens");
    Document suppression = rig.db.find(Collections.SUPPRESSIONS, "gus");
    assertEquals(idle, suppression.getString("channel"));
    Document recorded = Poll.until("the confirmation to be recorded", Duration.ofSeconds(10),
        () -> rig.db.find(Collections.SUPPRESSIONS, "gus").get("confirmation", Document.class), c -> c != null);
    assertEquals("sent", recorded.getString("status"));
    assertNotNull(recorded.getString("platformMessageId"));
    JsonObject e = entry(waiting, "gus");
    assertEquals("skipped", e.getString("state"));
    assertEquals("opted out", e.getString("reason"));

    assertEquals(200, rig.write(idle, "gus", "stop"));
    rig.awaitRouted();
    rig.scheduler.advance(Duration.ofSeconds(3));
    assertEquals(1, rig.repliesTo("gus").size(), "a second STOP is not confirmed again");
  }

  /**
   * A contact who wrote first, and whom an outreach on the same channel reaches later: their key is
   * re-pointed to the outreach's dialogue, and their next message goes there, though the router remembers
   * the key as it was when they wrote first.
   */
  @Test
  void aMessageAfterALaterOutreachGoesToTheLaterDialogue() {
    rig.writeAndRoute("fay", "Hello");
    rig.writeAndRoute("fay", "anyone there?"); // routed by the key the router remembers
    Document first = rig.dialogue("fay");
    assertEquals(2L, first.get("inSeq", Number.class).longValue());

    rig.scheduler.advance(Duration.ofSeconds(10)); // past the channel's pause after another test's opening
    String later = awaitingTask("fay");
    assertEquals(200, rig.http.post("/api/tasks/" + later + "/start", TestParley.ADMIN, null).status());
    JsonObject opening = awaitReply("fay", "Hello fay");
    String outreach = opening.getString("dialogueId");
    assertNotEquals(first.getString("_id"), outreach);
    Poll.until("the key to name the outreach's dialogue", Duration.ofSeconds(10), () -> rig.dialogue("fay"),
        d -> d != null && outreach.equals(d.getString("_id")));
    assertEquals(outreach, Poll.until("the first dialogue to be marked replaced", Duration.ofSeconds(10),
        () -> rig.db.find(Collections.DIALOGUES, first.getString("_id")), d -> d.getString("supersededBy") != null)
        .getString("supersededBy"));
    assertEquals(outreach, rig.http.get("/api/dialogues/" + first.getString("_id"), TestParley.ADMIN).json()
        .getString("supersededBy"), "the managers see where the contact's messages go now");

    rig.writeAndRoute("fay", "What is the price?");
    assertEquals(2L, rig.db.find(Collections.DIALOGUES, first.getString("_id")).get("inSeq", Number.class).longValue(),
        "nothing more in the first dialogue");
    Document now = rig.db.find(Collections.DIALOGUES, outreach);
    assertEquals(1L, now.get("inSeq", Number.class).longValue());
    assertEquals(List.of("What is the price?"), rig.messages(outreach).stream()
        .filter(m -> "in".equals(m.getString("direction"))).map(m -> m.getString("text")).toList());
    rig.scheduler.advance(Duration.ofSeconds(3));
    JsonObject reply = awaitReply("fay", "Free for you");
    assertEquals(outreach, reply.getString("dialogueId"));
  }

  /** The first message sent to {@code contact} whose text starts with {@code start}, once it has arrived. */
  private static JsonObject awaitReply(String contact, String start) {
    return Poll.until("a message to " + contact + " starting " + start, Duration.ofSeconds(20),
        () -> rig.repliesTo(contact).stream().filter(x -> x.getString("text").startsWith(start)).findFirst(),
        java.util.Optional::isPresent).orElseThrow();
  }

  @Test
  void aSentenceContainingAStopWordIsAnOrdinaryMessage() {
    rig.writeAndRoute("dave", "please don't stop writing");
    assertEquals("open", rig.dialogue("dave").getString("state"));
    assertEquals(null, rig.db.find(Collections.SUPPRESSIONS, "dave"));
  }
}
