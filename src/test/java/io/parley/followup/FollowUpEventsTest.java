package io.parley.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.mongodb.client.model.Filters;
import io.parley.App;
import io.parley.EventAddresses;
import io.parley.store.Collections;
import io.parley.store.DerivedIds;
import io.parley.store.Ids;
import io.parley.support.Http;
import io.parley.support.Poll;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parley's own follow-up tasks, made from the events the dialogue and callback features publish (the
 * tests publish them, as those features will).
 */
class FollowUpEventsTest {
  static FollowUpRig rig;
  static App app;
  static final List<JsonObject> created = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    rig = new FollowUpRig();
    app = rig.parley.parley().app();
    app.vertx().eventBus().<JsonObject>consumer(EventAddresses.MANAGER_TASK_CREATED, m -> created.add(m.body()));
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  static String dialogue(String manager, String state, String task, Instant createdAt) {
    String id = Ids.newId();
    rig.db.insert(Collections.DIALOGUES, new Document("_id", id).append("task", task).append("channel", Ids.newId())
        .append("contact", "contact-" + id.substring(18)).append("manager", manager).append("state", state)
        .append("origin", "outreach").append("createdAt", Date.from(createdAt)));
    return id;
  }

  static String message(String dialogue, String direction, Instant at) {
    String id = Ids.newId();
    rig.db.insert(Collections.MESSAGES, new Document("_id", id).append("dialogue", dialogue).append("direction", direction)
        .append("author", "in".equals(direction) ? "contact" : "system").append("text", "text " + id)
        .append("createdAt", Date.from(at)));
    return id;
  }

  static void publish(String address, JsonObject payload) {
    app.vertx().eventBus().publish(address, payload);
  }

  static JsonObject messageEvent(String dialogue, String manager, String messageId) {
    return new JsonObject().put("dialogueId", dialogue).put("manager", manager).put("kind", "message")
        .put("messageId", messageId).put("at", Instant.now().toString());
  }

  static List<Document> replyTasks(String dialogue) {
    return Fixtures.all(app, Filters.and(Filters.eq("dialogue", dialogue), Filters.eq("type", "dialogue_reply")));
  }

  @Test
  void unreadMessagesOfOneDialogueMakeOneTask() {
    FollowUpRig.Manager m = rig.manager("Replier");
    String d = dialogue(m.id(), "human", null, Instant.now());
    publish(EventAddresses.DIALOGUE_UPDATED, new JsonObject().put("dialogueId", d).put("manager", m.id())
        .put("kind", "state").put("state", "human"));
    List<String> messages = List.of(message(d, "in", Instant.now()), message(d, "in", Instant.now()), message(d, "in", Instant.now()));
    for (String id : messages) publish(EventAddresses.DIALOGUE_UPDATED, messageEvent(d, m.id(), id));
    publish(EventAddresses.DIALOGUE_UPDATED, messageEvent(d, m.id(), messages.get(0)));
    publish(EventAddresses.DIALOGUE_UPDATED, messageEvent(d, m.id(), message(d, "out", Instant.now())));
    List<Document> tasks = Poll.until("three messages in one task", Duration.ofSeconds(10), () -> replyTasks(d),
        list -> list.size() == 1 && list.get(0).getList("messages", String.class).size() == 3);
    Document task = tasks.get(0);
    assertEquals(Set.copyOf(messages), Set.copyOf(task.getList("messages", String.class)));
    assertEquals(m.id(), task.getString("assignedTo"));
    assertEquals("handed over", task.getString("reason"));
    JsonObject listed = rig.http.get("/api/manager-tasks?type=dialogue_reply&view=inbox", m.token()).json()
        .getJsonArray("items").getJsonObject(0);
    assertEquals(3, listed.getJsonArray("messages").size());
    Poll.until("one created event", Duration.ofSeconds(5),
        () -> created.stream().filter(e -> d.equals(e.getString("dialogueId"))).count(), n -> n == 1);

    Http.Response done = rig.put("/api/manager-tasks/" + task.getString("_id"), m.token(), new JsonObject().put("is_complete", true));
    assertEquals(200, done.status(), done.toString());
    String later = message(d, "in", Instant.now());
    publish(EventAddresses.DIALOGUE_UPDATED, messageEvent(d, m.id(), later));
    List<Document> after = Poll.until("a new task for the next message", Duration.ofSeconds(10), () -> replyTasks(d),
        list -> list.size() == 2);
    Document open = after.stream().filter(t -> !t.getBoolean("isComplete")).findFirst().orElseThrow();
    assertEquals(List.of(later), open.getList("messages", String.class));
    assertEquals(1, after.stream().filter(t -> !t.getBoolean("isComplete")).count(), "never two open reply tasks");
  }

  @Test
  void messagesOfDialoguesTheAiAnswersMakeNoTask() {
    FollowUpRig.Manager m = rig.manager("Idle");
    String d = dialogue(m.id(), "open", null, Instant.now());
    publish(EventAddresses.DIALOGUE_UPDATED, messageEvent(d, m.id(), message(d, "in", Instant.now())));
    String blocked = dialogue(m.id(), "blocked", null, Instant.now());
    publish(EventAddresses.DIALOGUE_UPDATED, messageEvent(blocked, m.id(), message(blocked, "in", Instant.now())));
    Poll.until("the blocked dialogue's task", Duration.ofSeconds(10), () -> replyTasks(blocked), list -> list.size() == 1);
    assertEquals(List.of(), replyTasks(d), "the open dialogue's event, published first and needing fewer reads, made no task");
  }

  @Test
  void aBlockedDialogueWaitsForItsManager() {
    FollowUpRig.Manager m = rig.manager("Blocked");
    String d = dialogue(m.id(), "blocked", Ids.newId(), Instant.now());
    JsonObject event = new JsonObject().put("dialogueId", d).put("manager", m.id()).put("reason", "spend cap reached");
    publish(EventAddresses.DIALOGUE_BLOCKED, event);
    publish(EventAddresses.DIALOGUE_BLOCKED, event);
    List<Document> tasks = Poll.until("the reply task", Duration.ofSeconds(10), () -> replyTasks(d), list -> list.size() == 1);
    assertEquals("blocked: spend cap reached", tasks.get(0).getString("reason"));
    assertEquals(List.of(), tasks.get(0).getList("messages", String.class));
  }

  @Test
  void aTaskAMessageCreatesBeforeTheStateEventSaysWhyTheDialogueWaits() {
    FollowUpRig.Manager m = rig.manager("Early message");
    String human = dialogue(m.id(), "human", null, Instant.now());
    String blocked = dialogue(m.id(), "blocked", null, Instant.now());
    rig.db.update(Collections.DIALOGUES, blocked, new Document("$set", new Document("stateReason", "spend cap reached")));
    // Only the contacts' messages are heard: the state events that would name the reason never come.
    publish(EventAddresses.DIALOGUE_UPDATED, messageEvent(human, m.id(), message(human, "in", Instant.now())));
    publish(EventAddresses.DIALOGUE_UPDATED, messageEvent(blocked, m.id(), message(blocked, "in", Instant.now())));
    assertEquals("handed over", Poll.until("the handed-over dialogue's task", Duration.ofSeconds(10), () -> replyTasks(human),
        list -> list.size() == 1).get(0).getString("reason"));
    assertEquals("blocked: spend cap reached", Poll.until("the blocked dialogue's task", Duration.ofSeconds(10),
        () -> replyTasks(blocked), list -> list.size() == 1).get(0).getString("reason"));
  }

  @Test
  void aCallbackGivenUpOnBecomesOneTask() {
    FollowUpRig.Manager m = rig.manager("Dialogue owner");
    FollowUpRig.Manager busy = rig.manager("Busy");
    FollowUpRig.Manager free = rig.manager("Free");
    String outreach = Ids.newId();
    rig.db.insert(Collections.TASKS, new Document("_id", outreach).append("name", "t").append("managers", List.of(busy.id(), free.id())));
    rig.lead(busy, "keeps busy busy", "2026-01-05");
    String d = dialogue(m.id(), "closed", outreach, Instant.now());
    JsonObject event = new JsonObject().put("integrationId", Ids.newId()).put("deliveryId", "msg_1")
        .put("event", "dialogue.succeeded").put("taskId", outreach).put("dialogueId", d).put("reason", "410 Gone");
    publish(EventAddresses.CALLBACK_GAVE_UP, event);
    publish(EventAddresses.CALLBACK_GAVE_UP, event);
    JsonObject withoutDialogue = event.copy().put("deliveryId", "msg_2");
    withoutDialogue.remove("dialogueId");
    publish(EventAddresses.CALLBACK_GAVE_UP, withoutDialogue);
    List<Document> failed = Poll.until("two failure tasks", Duration.ofSeconds(10),
        () -> Fixtures.all(app, Filters.eq("type", "integration_failed")), list -> list.size() == 2);
    Document first = failed.stream().filter(t -> "msg_1".equals(t.get("integration", Document.class).getString("deliveryId")))
        .findFirst().orElseThrow();
    assertEquals(m.id(), first.getString("assignedTo"), "the dialogue's manager");
    assertEquals(d, first.getString("dialogue"));
    Document second = failed.stream().filter(t -> t != first).findFirst().orElseThrow();
    assertEquals(free.id(), second.getString("assignedTo"), "the task's least loaded manager");
    assertNull(second.getString("dialogue"));
  }

  @Test
  void outreachDialoguesNobodyAnsweredGetAFollowUp() throws Exception {
    FollowUpRig.Manager m = rig.manager("Quiet");
    String task = Ids.newId();
    rig.db.insert(Collections.TASKS, new Document("_id", task).append("name", "quiet").append("followUpAfterDays", 2));
    Instant t0 = Instant.parse("2026-05-01T12:00:00Z");
    rig.clock.set(t0);
    String silent = dialogue(m.id(), "open", task, t0);
    String opening = message(silent, "out", t0);
    String answered = dialogue(m.id(), "open", task, t0);
    message(answered, "out", t0);
    message(answered, "in", t0.plusSeconds(60));
    String gaveUp = dialogue(m.id(), "closed", task, t0);
    rig.db.update(Collections.DIALOGUES, gaveUp, com.mongodb.client.model.Updates.set("outcome", "no_answer"));
    String fresh = dialogue(m.id(), "open", task, t0.plus(Duration.ofDays(1)));
    QuietDialogues quiet = new QuietDialogues(app, new ManagerTaskStore(app.store()), new ManagerTaskEvents(app.vertx()));

    rig.clock.set(t0.plus(Duration.ofDays(2)).minusSeconds(1));
    assertEquals(0, check(quiet), "not two days yet");
    rig.clock.set(t0.plus(Duration.ofDays(2)));
    assertEquals(2, check(quiet));
    assertEquals(0, check(quiet), "a dialogue is followed up once");
    Document followUp = rig.db.find(Collections.MANAGER_TASKS, DerivedIds.of("quiet:" + silent));
    assertEquals("dialogue_followup", followUp.getString("type"));
    assertEquals(opening, followUp.getString("message"));
    assertEquals(m.id(), followUp.getString("assignedTo"));
    assertEquals(task, followUp.getString("task"));
    rig.clock.set(t0.plus(Duration.ofDays(3)));
    assertEquals(1, check(quiet), "the later dialogue when its time comes");
    assertEquals(1, Fixtures.all(app, Filters.eq("dialogue", fresh)).size());
    assertEquals(0, Fixtures.all(app, Filters.eq("dialogue", answered)).size());
  }

  private static int check(QuietDialogues quiet) throws Exception {
    return quiet.check().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Blocking reads of follow-up tasks for assertions. */
  static final class Fixtures {
    static List<Document> all(App app, org.bson.conversions.Bson filter) {
      return io.parley.support.Fixtures.all(app.store().collection(Collections.MANAGER_TASKS).find(filter));
    }
  }
}
