package io.parley.audience;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What an upload did: entries added, lines that were already in the task (or repeated in the upload),
 * and refused lines, of which at most {@code audience.maxRejectedReported} are listed.
 */
public record ImportReport(long accepted, long duplicates, long rejectedTotal, List<Rejected> rejected) {

  /** A refused line: its 1-based number in the upload, what it said, and why it was refused. */
  public record Rejected(long line, String value, String reason) {
    public JsonObject toJson() {
      return new JsonObject().put("line", line).put("value", value).put("reason", reason);
    }
  }

  public ImportReport {
    rejected = List.copyOf(rejected);
  }

  public boolean rejectedTruncated() {
    return rejectedTotal > rejected.size();
  }

  public JsonObject toJson() {
    JsonArray lines = new JsonArray();
    rejected.forEach(r -> lines.add(r.toJson()));
    return new JsonObject()
        .put("accepted", accepted)
        .put("duplicates", duplicates)
        .put("rejected", lines)
        .put("rejectedTotal", rejectedTotal)
        .put("rejectedTruncated", rejectedTruncated());
  }
}
