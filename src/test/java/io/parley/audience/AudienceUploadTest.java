package io.parley.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.support.Http;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Uploads through HTTP with tiny batches (4) so that every upload spans several writes. */
class AudienceUploadTest {
  static TestParley parley;
  static Http http;
  static AudienceFixture fixture;
  static String marketer;

  @BeforeAll
  static void start() {
    parley = TestParley.start(TestParley.tempDir(), Map.of("audience.batchSize", "4",
        "audience.maxRejectedReported", "3", "audience.maxUploadBytes", "4096"), Clock.systemUTC());
    http = parley.http();
    fixture = new AudienceFixture(parley.parley().app());
    marketer = parley.token("marketer");
  }

  @AfterAll
  static void stop() {
    parley.close();
  }

  static Http.Response upload(String taskId, String contentType, String body) {
    return http.send("/api/tasks/" + taskId + "/audience", marketer, "POST", contentType, body);
  }

  @Test
  void textKeepsGoodLinesReportsBadOnesAndCountsDuplicatesOnce() {
    String task = fixture.outgoingTask("whatsapp");
    String body = "\uFEFF+7 912 345-67-89\r\n"
        + "\n"
        + "79123456789\n"          // the first line again, spelled differently
        + "not a phone\n"
        + "+44 20 7946 0958\n"
        + "   \n"
        + "+1 650 253 0000\n"
        + "+7912\n"
        + "4915123456789";         // no final newline
    Http.Response r = upload(task, "text/plain; charset=utf-8", body);
    assertEquals(200, r.status(), r.toString());
    JsonObject report = r.json();
    assertEquals(4, report.getLong("accepted"));
    assertEquals(1, report.getLong("duplicates"));
    assertEquals(2, report.getLong("rejectedTotal"));
    assertEquals(false, report.getBoolean("rejectedTruncated"));
    JsonArray rejected = report.getJsonArray("rejected");
    assertEquals(4, rejected.getJsonObject(0).getLong("line"));
    assertEquals("not a phone", rejected.getJsonObject(0).getString("value"));
    assertEquals(8, rejected.getJsonObject(1).getLong("line"));
    assertTrue(rejected.getJsonObject(1).getString("reason").contains("digits"));

    List<Document> entries = fixture.entryDocuments(task);
    assertEquals(List.of("+79123456789", "+442079460958", "+16502530000", "+4915123456789"),
        entries.stream().map(d -> d.getString("address")).toList(), "kept in upload order");
    Document first = entries.get(0);
    assertEquals(task + ":+79123456789", first.getString("_id"));
    assertEquals(1L, first.getLong("seq"), "entries are numbered in upload order");
    assertEquals("phone", first.getString("kind"));
    assertEquals("pending", first.getString("state"));
    assertEquals(1L, first.getLong("line"));
    assertTrue(first.containsKey("reason") && first.get("reason") == null);
    assertEquals(9L, entries.get(3).getLong("line"));
    assertEquals(4, fixture.pending(task));
  }

  @Test
  void aSecondUploadOnlyAddsWhatTheTaskDoesNotHave() {
    String task = fixture.outgoingTask("telegram");
    assertEquals(3, upload(task, "text/plain", "@first_user\n89123456789\n123456789\n").json().getLong("accepted"));
    Http.Response again = upload(task, "text/plain", "@FIRST_USER\n+79123456789\n@second_user\n-100200300\n@third_user\n");
    assertEquals(200, again.status(), again.toString());
    assertEquals(3, again.json().getLong("accepted"));
    assertEquals(2, again.json().getLong("duplicates"));
    assertEquals(6, fixture.entries(task));
    assertEquals(6, fixture.pending(task));
    List<Long> seqs = fixture.entryDocuments(task).stream().map(d -> d.getLong("seq")).toList();
    assertEquals(seqs.stream().sorted().distinct().toList(), seqs, "seq grows with each insertion");
  }

  @Test
  void duplicatesInsideOneBatchAndAcrossBatchesAreCountedOnce() {
    String task = fixture.outgoingTask("vk");
    String body = String.join("\n", "1", "1", "2", "3", "4", "5", "1", "-5", "5", "-5") + "\n";
    JsonObject report = upload(task, "text/plain", body).json();
    assertEquals(6, report.getLong("accepted"));
    assertEquals(4, report.getLong("duplicates"));
    assertEquals(6, fixture.pending(task));
  }

  @Test
  void rejectedLinesAreListedUpToTheConfiguredNumber() {
    String task = fixture.outgoingTask("vk");
    JsonObject report = upload(task, "text/plain", "a\nb\n7\nc\nd\ne\n").json();
    assertEquals(1, report.getLong("accepted"));
    assertEquals(5, report.getLong("rejectedTotal"));
    assertEquals(3, report.getJsonArray("rejected").size());
    assertEquals(true, report.getBoolean("rejectedTruncated"));
  }

  @Test
  void csvHeaderNamesMergeFieldsAndQuotingFollowsRfc4180() {
    String task = fixture.outgoingTask("whatsapp");
    String body = "name,Phone,note\r\n"
        + "\"Smith, Ann\",+79123456789,\"she said \"\"hi\"\"\"\r\n"
        + "Bob,+442079460958,\"two\nlines\"\r\n"
        + "Carl,+16502530000\r\n"          // a column short
        + "Dora,12,x\r\n"                 // not a phone
        + "Eve,\"+49 151 23456789\",\r\n";
    Http.Response r = upload(task, "text/csv", body);
    assertEquals(200, r.status(), r.toString());
    JsonObject report = r.json();
    assertEquals(3, report.getLong("accepted"));
    assertEquals(2, report.getLong("rejectedTotal"));
    JsonObject shortRow = report.getJsonArray("rejected").getJsonObject(0);
    assertEquals(5, shortRow.getLong("line"), "numbered by the physical line it starts on");
    assertTrue(shortRow.getString("reason").contains("header has 3"));
    assertEquals(6, report.getJsonArray("rejected").getJsonObject(1).getLong("line"));

    JsonArray items = http.get("/api/tasks/" + task + "/audience", marketer).items();
    JsonObject ann = items.getJsonObject(0);
    assertEquals("+79123456789", ann.getString("address"));
    assertEquals(new JsonObject().put("name", "Smith, Ann").put("note", "she said \"hi\""), ann.getJsonObject("fields"));
    assertEquals("two\nlines", items.getJsonObject(1).getJsonObject("fields").getString("note"));
    assertEquals("+4915123456789", items.getJsonObject(2).getString("address"));
    assertEquals(7, items.getJsonObject(2).getLong("line"));
  }

  @Test
  void csvWithoutAnAddressColumnUsesTheFirst() {
    String task = fixture.outgoingTask("web");
    Http.Response r = upload(task, "text/csv", "customer,segment\nc-1,gold\nc-2,silver\n");
    assertEquals(2, r.json().getLong("accepted"), r.toString());
    Document first = fixture.entryDocuments(task).get(0);
    assertEquals("c-1", first.getString("address"));
    assertEquals(new Document("segment", "gold"), first.get("fields", Document.class));
  }

  @Test
  void malformedCsvFailsAndTakesBackWhatWasWritten() {
    String task = fixture.outgoingTask("web");
    // eight good rows are written in two batches before the unclosed quote is found at the end
    StringBuilder body = new StringBuilder("id,name\n");
    for (int i = 0; i < 8; i++) body.append("user-").append(i).append(",n\n");
    body.append("user-9,\"never closed\n");
    Http.Response r = upload(task, "text/csv", body.toString());
    assertEquals(400, r.status(), r.toString());
    assertEquals("malformed_csv", r.error().getString("code"));
    assertTrue(r.error().getString("message").contains("line 10"), r.toString());
    assertEquals(0, fixture.entries(task));
    assertEquals(0, fixture.pending(task));

    Http.Response badHeader = upload(task, "text/csv", "id,id\nx,y\n");
    assertEquals("malformed_csv", badHeader.error().getString("code"));
    assertEquals(0, fixture.entries(task));
  }

  @Test
  void jsonLinesAreReadAndNonStringsRefusedWithTheirIndex() {
    String task = fixture.outgoingTask("telegram");
    String body = "{\"lines\": [\"@alice_one\", 42, \"\", {\"x\": [1, 2]}, \"@bob_two\", null, \"@ALICE_ONE\", \"bad\"]}";
    Http.Response r = upload(task, "application/json", body);
    assertEquals(200, r.status(), r.toString());
    JsonObject report = r.json();
    assertEquals(2, report.getLong("accepted"));
    assertEquals(1, report.getLong("duplicates"));
    assertEquals(4, report.getLong("rejectedTotal"));
    JsonObject number = report.getJsonArray("rejected").getJsonObject(0);
    assertEquals(2, number.getLong("line"));
    assertEquals("lines[1] is not a string", number.getString("reason"));
    assertEquals("lines[3] is not a string", report.getJsonArray("rejected").getJsonObject(1).getString("reason"));
    assertEquals(2, fixture.pending(task));
  }

  @Test
  void jsonWithAnotherFieldOrBrokenSyntaxChangesNothing() {
    String task = fixture.outgoingTask("web");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 10; i++) lines.append(i == 0 ? "" : ",").append("\"id-").append(i).append('"');
    Http.Response unknown = upload(task, "application/json", "{\"lines\": [" + lines + "], \"colour\": \"red\"}");
    assertEquals(400, unknown.status(), unknown.toString());
    assertEquals("unknown_field", unknown.error().getString("code"));
    assertEquals("colour", unknown.error().getString("field"));

    Http.Response broken = upload(task, "application/json", "{\"lines\": [" + lines + ", \"x\"");
    assertEquals(400, broken.status(), broken.toString());
    assertEquals("malformed_json", broken.error().getString("code"));

    Http.Response notObject = upload(task, "application/json", "[\"id-1\"]");
    assertEquals("malformed_json", notObject.error().getString("code"));
    Http.Response wrongType = upload(task, "application/json", "{\"lines\": \"id-1\"}");
    assertEquals("wrong_type", wrongType.error().getString("code"));
    assertEquals("lines", wrongType.error().getString("field"));
    Http.Response missing = upload(task, "application/json", "{}");
    assertEquals("lines", missing.error().getString("field"));

    assertEquals(0, fixture.entries(task));
    assertEquals(0, fixture.pending(task));
  }

  @Test
  void refusedUploadsChangeNothing() {
    String incoming = fixture.task("whatsapp", "incoming", "awaiting");
    String stopped = fixture.task("whatsapp", "incoming_outgoing", "stopped");
    String completed = fixture.task("whatsapp", "incoming_outgoing", "completed");
    String open = fixture.outgoingTask("whatsapp");
    String line = "+79123456789\n";

    Http.Response notUsed = upload(incoming, "text/plain", line);
    assertEquals(409, notUsed.status());
    assertEquals("audience_not_used", notUsed.error().getString("code"));
    assertEquals("audience", notUsed.error().getString("field"));
    assertEquals("task_finished", upload(stopped, "text/plain", line).error().getString("code"));
    assertEquals(409, upload(completed, "text/plain", line).status());
    assertEquals(404, upload("0123456789abcdef01234567", "text/plain", line).status());
    assertEquals(404, upload("not-an-id", "text/plain", line).status());
    Http.Response unsupported = upload(open, "application/xml", "<a/>");
    assertEquals(415, unsupported.status());
    assertEquals("unsupported_media_type", unsupported.error().getString("code"));
    assertEquals(415, http.send("/api/tasks/" + open + "/audience", marketer, "POST", null, line).status());
    assertEquals(403, http.send("/api/tasks/" + open + "/audience", parley.token("manager"), "POST", "text/plain", line).status());

    for (String task : List.of(incoming, stopped, completed, open)) {
      assertEquals(0, fixture.entries(task));
      assertEquals(0, fixture.pending(task));
    }
    assertEquals(200, upload(open, "text/plain", line).status(), "the connection and the task still work");
  }

  @Test
  void uploadDeclaredLargerThanTheLimitIs413() {
    String task = fixture.outgoingTask("web");
    int status = http.rawStatus("POST", "/api/tasks/" + task + "/audience", marketer, "text/plain",
        "id-1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 10_000);
    assertEquals(413, status);
    assertEquals(0, fixture.entries(task));
  }

  @Test
  void chunkedUploadGrowingPastTheLimitIs413AndTakesBackItsBatches() throws Exception {
    String task = fixture.outgoingTask("web");
    ChunkedUpload.Answer answer = ChunkedUpload.send(parley.port(), "/api/tasks/" + task + "/audience", marketer,
        "text/plain", 200, i -> "customer-" + i + "-" + "x".repeat(20) + "\n");
    assertEquals(413, answer.status(), answer.toString());
    assertTrue(answer.head().toLowerCase().contains("connection: close"), answer.head());
    assertEquals(0, fixture.entries(task));
    assertEquals(0, fixture.pending(task));
  }

  @Test
  void importLinesAddsTheTaskCreationAudience() {
    String task = fixture.outgoingTask("telegram");
    var vertx = parley.parley().app().vertx();
    AudienceImport importer = new AudienceImport(parley.parley().app());
    ImportReport report = AudienceFixture.await(io.vertx.core.Future.<ImportReport>future(p -> vertx.runOnContext(v ->
        importer.importLines(task, io.parley.channel.Platform.TELEGRAM,
            List.of("@someone_a", "", "nobody", "89123456789", "@SOMEONE_A", "+79123456789", "555")).onComplete(p))));
    assertEquals(3, report.accepted());
    assertEquals(2, report.duplicates());
    assertEquals(1, report.rejectedTotal());
    assertEquals(3, report.rejected().get(0).line());
    assertEquals(3, fixture.pending(task));
  }
}
