package io.parley.followup;

import com.mongodb.client.model.Sorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * One page of follow-up tasks. In date order the all-day and the date-time tasks are read as two sorted
 * streams (each a range scan of one index on a real MongoDB, at most {@code limit + 1} documents) and merged
 * by their key at the caller's offset, so a day lands before that day's date-times wherever the day starts.
 */
final class TaskListing {
  private final ManagerTaskStore tasks;

  TaskListing(ManagerTaskStore tasks) {
    this.tasks = tasks;
  }

  record Keyed(long key, Document doc) {}

  Future<JsonObject> page(Selection selection, TaskQuery.Order order, Cursor after, int limit) {
    boolean desc = order.descending();
    Future<List<Keyed>> items = order.byDate() ? byDate(selection, after, limit, desc) : byCreation(selection, after, limit, desc);
    return items.map(list -> {
      JsonArray out = new JsonArray();
      list.stream().limit(limit).forEach(k -> out.add(ManagerTaskMapper.toJson(k.doc())));
      String next = null;
      if (list.size() > limit) {
        Keyed last = list.get(limit - 1);
        next = new Cursor(last.key(), last.doc().getString("_id")).wire();
      }
      return new JsonObject().put("items", out).put("next", next);
    });
  }

  private Future<List<Keyed>> byDate(Selection s, Cursor after, int limit, boolean desc) {
    Bson sort = desc ? Sorts.descending("due", "_id") : Sorts.ascending("due", "_id");
    Future<List<Document>> days = tasks.page(s.stream(s.allDays(), after, desc), sort, limit + 1);
    Future<List<Document>> times = tasks.page(s.stream(Selection.dateTimes(), after, desc), sort, limit + 1);
    return Future.all(days, times).map(v -> {
      List<Keyed> merged = new ArrayList<>();
      days.result().forEach(d -> merged.add(new Keyed(TaskDate.dayKey(number(d), s.offsetMs()), d)));
      times.result().forEach(d -> merged.add(new Keyed(TaskDate.instantKey(number(d)), d)));
      Comparator<Keyed> byKey = Comparator.comparingLong(Keyed::key).thenComparing(k -> k.doc().getString("_id"));
      merged.sort(desc ? byKey.reversed() : byKey);
      return merged.size() > limit + 1 ? merged.subList(0, limit + 1) : merged;
    });
  }

  private Future<List<Keyed>> byCreation(Selection s, Cursor after, int limit, boolean desc) {
    Bson sort = desc ? Sorts.descending("createdAt", "_id") : Sorts.ascending("createdAt", "_id");
    return tasks.page(s.created(after, desc), sort, limit + 1)
        .map(docs -> docs.stream().map(d -> new Keyed(d.getDate("createdAt").getTime(), d)).toList());
  }

  private static long number(Document d) {
    return ((Number) d.get("due")).longValue();
  }
}
