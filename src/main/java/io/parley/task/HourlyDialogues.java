package io.parley.task;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;

/** Dialogues counted per UTC hour of opening: how many opened, in which state they are, how they ended. */
record HourlyDialogues(Instant from, List<Hour> hours) {
  /** One hour: dialogues opened in it, by current state and by outcome (those with one). */
  record Hour(Instant start, long opened, Map<String, Long> states, Map<String, Long> outcomes) {
    JsonObject toJson() {
      return new JsonObject().put("hour", start.toString()).put("opened", opened)
          .put("states", json(states)).put("outcomes", json(outcomes));
    }

    private static JsonObject json(Map<String, Long> counts) {
      JsonObject json = new JsonObject();
      counts.forEach(json::put);
      return json;
    }
  }

  /**
   * From the store's counts: each group's {@code _id} holds {@code hour} (the hour's index after {@code from}),
   * {@code state} and {@code outcome} (either may be missing), and {@code n} how many dialogues share them.
   */
  static HourlyDialogues of(Instant from, int count, List<Document> groups) {
    long[] opened = new long[count];
    List<Map<String, Long>> states = new java.util.ArrayList<>();
    List<Map<String, Long>> outcomes = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      states.add(new TreeMap<>());
      outcomes.add(new TreeMap<>());
    }
    for (Document g : groups) {
      Document key = g.get("_id", Document.class);
      if (key == null || !(key.get("hour") instanceof Number hour) || !(g.get("n") instanceof Number n)) continue;
      long i = hour.longValue();
      if (i < 0 || i >= count) continue;
      opened[(int) i] += n.longValue();
      if (key.get("state") instanceof String state) states.get((int) i).merge(state, n.longValue(), Long::sum);
      if (key.get("outcome") instanceof String outcome) outcomes.get((int) i).merge(outcome, n.longValue(), Long::sum);
    }
    List<Hour> hours = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      hours.add(new Hour(from.plus(i, ChronoUnit.HOURS), opened[i], states.get(i), outcomes.get(i)));
    }
    return new HourlyDialogues(from, hours);
  }

  JsonObject toJson() {
    JsonArray list = new JsonArray();
    hours.forEach(h -> list.add(h.toJson()));
    long total = hours.stream().mapToLong(Hour::opened).sum();
    return new JsonObject().put("from", from.toString())
        .put("to", from.plus(hours.size(), ChronoUnit.HOURS).toString())
        .put("opened", total).put("hours", list);
  }
}
