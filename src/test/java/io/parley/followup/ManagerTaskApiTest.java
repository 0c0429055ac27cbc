package io.parley.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.Http;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /api/manager-tasks}: creation, filters, single and bulk updates, roles and bad input. */
class ManagerTaskApiTest {
  static FollowUpRig rig;

  @BeforeAll
  static void start() {
    rig = new FollowUpRig();
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void leadRoundTripsWithHistory() {
    FollowUpRig.Manager m = rig.manager("Round");
    JsonObject created = rig.lead(m.token(), new JsonObject().put("text", "Call Ivan back").put("contact", "ivan")
        .put("date", "2026-01-07"));
    assertEquals("lead", created.getString("type"));
    assertEquals(m.id(), created.getString("assigned_to"), "without assigned_to, the caller's own manager");
    assertEquals("2026-01-07", created.getString("date"));
    assertEquals(false, created.getBoolean("is_complete"));
    assertEquals(created, rig.http.get("/api/manager-tasks/" + created.getString("id"), m.token()).json());
    JsonObject today = rig.lead(m.token(), new JsonObject().put("text", "today").put("date", "2026-01-10T05:00:00Z"));
    assertEquals("2026-01-10T05:00:00+00:00", today.getString("date"));

    FollowUpRig.Manager other = rig.manager("Other");
    String id = created.getString("id");
    Http.Response moved = rig.put("/api/manager-tasks/" + id, m.token(), new JsonObject().put("assigned_to", other.id())
        .put("date", "2026-01-09T10:00:00+03:00").put("text", "Call Ivan back after lunch"));
    assertEquals(200, moved.status(), moved.toString());
    JsonArray history = moved.json().getJsonArray("history");
    assertEquals(List.of("assigned", "reassigned", "rescheduled"), history.stream().map(h -> ((JsonObject) h).getString("action")).toList());
    assertEquals(m.id(), history.getJsonObject(1).getString("from"));
    assertEquals(other.id(), history.getJsonObject(1).getString("to"));
    assertEquals(m.tokenId(), history.getJsonObject(1).getString("by"));
    assertEquals("2026-01-09T10:00:00+03:00", moved.json().getString("date"));
    assertEquals("Call Ivan back after lunch", moved.json().getString("text"));
    assertEquals(403, rig.http.get("/api/manager-tasks/" + id, m.token()).status(), "no longer m's task");
    assertEquals(200, rig.http.get("/api/manager-tasks/" + id, other.token()).status());

    Http.Response done = rig.put("/api/manager-tasks/" + id, other.token(), new JsonObject().put("is_complete", true));
    assertEquals("no_further_action", done.json().getString("outcome"), "completing without an outcome");
    assertNotNull(done.json().getString("completed"));
    Http.Response reopened = rig.put("/api/manager-tasks/" + id, other.token(), new JsonObject().put("is_complete", false));
    assertEquals(false, reopened.json().getBoolean("is_complete"));
    assertEquals(null, reopened.json().getString("outcome"));

    assertEquals(204, rig.http.delete("/api/manager-tasks/" + id, other.token()).status());
    assertEquals(404, rig.http.get("/api/manager-tasks/" + id, other.token()).status());
  }

  @Test
  void groupAssignmentPicksTheLeastLoadedMember() {
    FollowUpRig.Manager busy = rig.manager("Busy", null, "sales");
    FollowUpRig.Manager free = rig.manager("Free", null, "sales");
    rig.lead(busy, "one", "2026-01-05");
    rig.lead(busy, "two", "2026-01-05");
    rig.lead(free, "one", "2026-01-05");
    JsonObject t = rig.lead(TestParley.ADMIN, new JsonObject().put("text", "whoever is free").put("assigned_to", "group:sales"));
    assertEquals(free.id(), t.getString("assigned_to"));
    Http.Response none = rig.http.post("/api/manager-tasks", TestParley.ADMIN,
        new JsonObject().put("text", "x").put("assigned_to", "group:nobody"));
    assertEquals(400, none.status());
    assertEquals("assigned_to", none.error().getString("field"));
  }

  @Test
  void everyFilterSelectsItsTasks() {
    FollowUpRig.Manager m = rig.manager("Filters");
    FollowUpRig.Manager n = rig.manager("Neighbour");
    String dialogue = Ids.newId();
    String outreach = Ids.newId();
    rig.db.insert(Collections.DIALOGUES, new Document("_id", dialogue).append("task", outreach).append("contact", "olga")
        .append("manager", m.id()).append("state", "human").append("createdAt", new Date()));
    rig.db.insert(Collections.TASKS, new Document("_id", outreach).append("name", "t").append("managers", List.of(m.id())));
    Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
    rig.clock.set(t0);
    String a = rig.lead(m.token(), new JsonObject().put("text", "a").put("date", "2026-03-01").put("dialogue", dialogue)).getString("id");
    rig.clock.set(t0.plus(Duration.ofHours(1)));
    String b = rig.lead(m.token(), new JsonObject().put("text", "b").put("date", "2026-03-02T12:00:00+00:00")).getString("id");
    rig.clock.set(t0.plus(Duration.ofDays(1)));
    String c = rig.lead(m.token(), new JsonObject().put("text", "c").put("date", "2026-03-03").put("task", outreach)).getString("id");
    String other = rig.lead(n, "neighbour's", "2026-03-01").getString("id");
    String reply = Ids.newId();
    rig.db.insert(Collections.MANAGER_TASKS, ManagerTaskMapper.newTask(reply, ManagerTaskType.DIALOGUE_REPLY,
        new ManagerTaskMapper.Refs("olga", dialogue, outreach), m.id(), TaskDate.parse("date", "2026-03-01T09:00:00Z"),
        t0, new Document("messages", List.of())));
    rig.put("/api/manager-tasks/" + c, m.token(), new JsonObject().put("is_complete", true));
    String tok = m.token();

    assertEquals(Set.of(a, b, c, reply), Set.copyOf(rig.ids(tok, "tz_offset=0")), "a manager sees only its own");
    assertEquals(List.of(b), rig.ids(tok, "id=" + b));
    assertEquals(Set.of(a, c), Set.copyOf(rig.ids(tok, "id__in=" + a + "," + c + "," + other)));
    assertEquals(List.of(reply), rig.ids(tok, "type=dialogue_reply"));
    assertEquals(Set.of(a, b, c), Set.copyOf(rig.ids(tok, "type=lead")));
    assertEquals(Set.of(a, b, c, reply), Set.copyOf(rig.ids(tok, "type__in=lead,dialogue_reply")));
    assertEquals(Set.of(a, reply), Set.copyOf(rig.ids(tok, "dialogue=" + dialogue)));
    assertEquals(Set.of(a, c, reply), Set.copyOf(rig.ids(tok, "task=" + outreach)), "a takes its dialogue's task");
    assertEquals(List.of(other), rig.ids(TestParley.ADMIN, "assigned_to=" + n.id()));
    assertEquals(List.of(), rig.ids(tok, "assigned_to=" + n.id()), "a filter never widens what a manager sees");
    assertEquals(List.of(c), rig.ids(tok, "is_complete=true"));
    assertEquals(List.of(c), rig.ids(tok, "view=archive"));
    String z = "&tz_offset=0";
    assertEquals(List.of(a, reply), rig.ids(tok, "date__lt=2026-03-02" + z), "before the day starts");
    assertEquals(List.of(a, reply, b), rig.ids(tok, "date__lte=2026-03-02" + z), "up to the day's end");
    assertEquals(List.of(c), rig.ids(tok, "date__gt=2026-03-02" + z));
    assertEquals(List.of(b, c), rig.ids(tok, "date__gte=2026-03-02" + z));
    assertEquals(List.of(reply), rig.ids(tok, "date__gt=2026-03-01T08:59:59Z&date__lt=2026-03-02T12:00:00Z" + z));
    assertEquals(List.of(b), rig.ids(tok, "date__gt=2026-03-01T09:00:00Z&date__lte=2026-03-02T12:00:00Z" + z));
    assertEquals(List.of(a, reply, b), rig.ids(tok, "date__gte=2026-02-28T23:59:59Z&date__lte=2026-03-02T12:00:00Z" + z));
    // A day sorts just before its first instant, and a date-time bound cuts the same line.
    assertEquals(List.of(reply, b), rig.ids(tok, "date__gte=2026-03-01T00:00:00Z&date__lte=2026-03-02T12:00:00Z" + z));
    assertEquals(List.of(a), rig.ids(tok, "date__lt=2026-03-01T00:00:00Z" + z));
    assertEquals(List.of(a, reply, b), rig.ids(tok, "created__lt=2026-03-02" + z + "&order_by=created"));
    assertEquals(List.of(a, reply), rig.ids(tok, "created__lte=2026-03-01T10:00:00Z" + z + "&order_by=created"));
    assertEquals(List.of(b, c), rig.ids(tok, "created__gt=2026-03-01T10:00:00Z" + z + "&order_by=created"));
    assertEquals(List.of(c), rig.ids(tok, "created__gte=2026-03-02" + z + "&order_by=created"));
    assertEquals(List.of(), rig.ids(tok, "created__gt=2026-03-02" + z));
    assertEquals(List.of(a, b), rig.ids(tok, "type=lead&is_complete=false&date__lte=2026-03-02" + z));
  }

  @Test
  void bulkUpdateTouchesOnlyMatchedTasksAndAllowedFields() {
    FollowUpRig.Manager m = rig.manager("Bulk");
    FollowUpRig.Manager n = rig.manager("Bystander");
    String a = rig.lead(m, "a", "2026-04-01").getString("id");
    String b = rig.lead(m, "b", "2026-04-02").getString("id");
    String c = rig.lead(m, "c", "2026-04-03").getString("id");
    String theirs = rig.lead(n, "theirs", "2026-04-01").getString("id");
    Document cBefore = rig.task(c);
    Document theirsBefore = rig.task(theirs);

    Http.Response r = rig.put("/api/manager-tasks?id__in=" + a + "," + b + "," + theirs, m.token(),
        new JsonObject().put("date", "2026-05-01").put("is_complete", true));
    assertEquals(200, r.status(), r.toString());
    assertEquals(2, r.json().getInteger("matched"), "another manager's task is not selected");
    assertEquals(2, r.json().getInteger("updated"));
    for (String id : List.of(a, b)) {
      assertEquals("2026-05-01", rig.task(id).getString("date"));
      assertEquals(true, rig.task(id).getBoolean("isComplete"));
      assertEquals("no_further_action", rig.task(id).getString("outcome"));
    }
    assertEquals(cBefore, rig.task(c));
    assertEquals(theirsBefore, rig.task(theirs));

    Http.Response again = rig.put("/api/manager-tasks?id__in=" + a + "," + b, m.token(),
        new JsonObject().put("date", "2026-05-01").put("is_complete", true));
    assertEquals(0, again.json().getInteger("updated"), "nothing differs the second time");

    Http.Response viaView = rig.put("/api/manager-tasks?view=archive&tz_offset=0", m.token(),
        new JsonObject().put("assigned_to", n.id()));
    assertEquals(2, viaView.json().getInteger("updated"));
    assertEquals(n.id(), rig.task(a).getString("assignedTo"));

    for (String field : List.of("text", "outcome", "type", "contact")) {
      Http.Response refused = rig.put("/api/manager-tasks?id=" + c, m.token(), new JsonObject().put(field, "x").put("date", "2026-06-01"));
      assertEquals(409, refused.status(), refused.toString());
      assertEquals(field, refused.error().getString("field"));
    }
    Http.Response badFilter = rig.put("/api/manager-tasks?colour=red", m.token(), new JsonObject().put("date", "2026-06-01"));
    assertEquals(400, badFilter.status());
    assertEquals("colour", badFilter.error().getString("field"));
    assertEquals(cBefore, rig.task(c), "refused bulk updates change nothing");
  }

  @Test
  void rolesBoundWhatEachTokenSees() {
    FollowUpRig.Manager m = rig.manager("Owner");
    FollowUpRig.Manager stranger = rig.manager("Stranger");
    String id = rig.lead(m, "mine", "2026-01-05").getString("id");
    String marketer = rig.parley.token("marketer");
    assertEquals(403, rig.list(marketer, "").status());
    assertEquals(403, rig.http.post("/api/manager-tasks", marketer, new JsonObject().put("text", "x")).status());
    assertEquals(401, rig.list("nonsense", "").status());
    assertTrue(rig.ids(stranger.token(), "").isEmpty());
    assertEquals(403, rig.http.get("/api/manager-tasks/" + id, stranger.token()).status());
    assertEquals(403, rig.put("/api/manager-tasks/" + id, stranger.token(), new JsonObject().put("is_complete", true)).status());
    assertEquals(403, rig.http.delete("/api/manager-tasks/" + id, stranger.token()).status());
    assertEquals(0, rig.put("/api/manager-tasks?id=" + id, stranger.token(), new JsonObject().put("is_complete", true))
        .json().getInteger("matched"));
    assertEquals(false, rig.task(id).getBoolean("isComplete"));
    assertTrue(rig.ids(TestParley.ADMIN, "limit=1000").contains(id), "an admin sees every task");
    FollowUpRig.Manager none = new FollowUpRig.Manager(null, rig.parley.token("manager"), null);
    Http.Response orphan = rig.http.post("/api/manager-tasks", none.token(), new JsonObject().put("text", "x"));
    assertEquals(400, orphan.status(), "a token that operates no manager must name one");
    assertEquals("assigned_to", orphan.error().getString("field"));
  }

  @Test
  void badInputIsRefusedNamingTheFieldAndChangesNothing() {
    FollowUpRig.Manager m = rig.manager("Careful");
    String id = rig.lead(m, "keep me", "2026-01-05").getString("id");
    Document before = rig.task(id);
    long count = rig.db.count(Collections.MANAGER_TASKS, new Document());
    String path = "/api/manager-tasks/" + id;

    refused(rig.http.send("/api/manager-tasks", m.token(), "POST", "application/json", "{\"text\": "), 400, null);
    refused(rig.http.post("/api/manager-tasks", m.token(), new JsonObject().put("text", 5)), 400, "text");
    refused(rig.http.post("/api/manager-tasks", m.token(), new JsonObject()), 400, "text");
    refused(rig.http.post("/api/manager-tasks", m.token(), new JsonObject().put("text", "x").put("date", "tomorrow")), 400, "date");
    refused(rig.http.post("/api/manager-tasks", m.token(), new JsonObject().put("text", "x").put("date", "2026-02-30")), 400, "date");
    refused(rig.http.post("/api/manager-tasks", m.token(), new JsonObject().put("text", "x").put("date", "2026-01-05T10:00:00")), 400, "date");
    refused(rig.http.post("/api/manager-tasks", m.token(), new JsonObject().put("text", "x").put("type", "dialogue_reply")), 422, "type");
    refused(rig.http.post("/api/manager-tasks", m.token(), new JsonObject().put("text", "x").put("type", "meeting")), 400, "type");
    refused(rig.http.post("/api/manager-tasks", m.token(), new JsonObject().put("text", "x").put("colour", "red")), 400, "colour");
    refused(rig.http.post("/api/manager-tasks", m.token(), new JsonObject().put("text", "x").put("assigned_to", Ids.newId())), 400, "assigned_to");
    refused(rig.http.post("/api/manager-tasks", m.token(), new JsonObject().put("text", "x").put("dialogue", Ids.newId())), 400, "dialogue");
    assertEquals(count, rig.db.count(Collections.MANAGER_TASKS, new Document()), "refused creates store nothing");

    refused(rig.put(path, m.token(), "[1, 2]"), 400, null);
    refused(rig.put(path, m.token(), new JsonObject().put("is_complete", "yes")), 400, "is_complete");
    refused(rig.put(path, m.token(), new JsonObject().put("date", 20260105)), 400, "date");
    refused(rig.put(path, m.token(), new JsonObject().put("date", "2026-13-01")), 400, "date");
    refused(rig.put(path, m.token(), new JsonObject().put("date", "+999999999-12-31T00:00:00Z")), 400, "date");
    refused(rig.put(path, m.token(), new JsonObject().putNull("assigned_to")), 400, "assigned_to");
    refused(rig.put(path, m.token(), new JsonObject().put("contact", "someone").put("date", "2026-02-01")), 409, "contact");
    refused(rig.put(path, m.token(), new JsonObject().put("history", new JsonArray())), 409, "history");
    refused(rig.put(path, m.token(), new JsonObject().put("is_complete", true).put("outcome", "delighted")), 400, "outcome");
    refused(rig.put(path, m.token(), new JsonObject().put("is_complete", false).put("outcome", "no_answer")), 400, "outcome");
    refused(rig.put(path, m.token(), new JsonObject()), 400, null);
    assertEquals(before, rig.task(id));

    refused(rig.list(m.token(), "view=today"), 400, "view");
    refused(rig.list(m.token(), "order_by=text"), 400, "order_by");
    refused(rig.list(m.token(), "is_complete=maybe"), 400, "is_complete");
    refused(rig.list(m.token(), "type=meeting"), 400, "type");
    refused(rig.list(m.token(), "type__in=lead,"), 400, "type__in");
    refused(rig.list(m.token(), "id__in=abc"), 400, "id__in");
    refused(rig.list(m.token(), "date__lt=yesterday"), 400, "date__lt");
    refused(rig.list(m.token(), "created__gte=2026-01-05T25:00:00Z"), 400, "created__gte");
    refused(rig.list(m.token(), "tz_offset=15"), 400, "tz_offset");
    refused(rig.list(m.token(), "tz_offset=5.11"), 400, "tz_offset");
    refused(rig.list(m.token(), "view=inbox", "east"), 400, "X-TZ-Offset");
    refused(rig.list(m.token(), "limit=0"), 400, "limit");
    refused(rig.list(m.token(), "after=garbage"), 400, "after");
    refused(rig.list(m.token(), "due=2026-01-05"), 400, "due");
    refused(rig.list(m.token(), "view=inbox&view=future"), 400, "view");
    assertEquals(200, rig.list(m.token(), "tz_offset=-14").status());
    assertEquals(200, rig.list(m.token(), "tz_offset=5.75").status());
  }

  private static void refused(Http.Response r, int status, String field) {
    assertEquals(status, r.status(), r.toString());
    assertEquals(field, r.error().getString("field"), r.toString());
    assertNotNull(r.error().getString("message"));
  }
}
