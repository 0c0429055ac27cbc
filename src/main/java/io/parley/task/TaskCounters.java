package io.parley.task;

import com.mongodb.client.model.Updates;
import io.parley.audience.TargetState;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * A task's per-state audience counters ({@code counts.pending}, {@code counts.sent}, ...), kept on the
 * task's progress document ({@link TaskProgress}) and changed with {@code $inc} by {@code _id}: atomic
 * without transactions, read in O(1).
 */
public final class TaskCounters {
  private final TaskProgress progress;

  public TaskCounters(Store store) {
    this.progress = new TaskProgress(store);
  }

  public Future<Void> add(String taskId, Map<TargetState, Long> deltas) {
    List<Bson> incs = new ArrayList<>();
    deltas.forEach((state, delta) -> {
      if (delta != 0) incs.add(Updates.inc(field(state), delta));
    });
    if (incs.isEmpty()) return Future.succeededFuture();
    return progress.update(taskId, Updates.combine(incs));
  }

  /** Moves {@code n} targets between states; nothing when they are already there (a repeated ending). */
  public Future<Void> move(String taskId, TargetState from, TargetState to, long n) {
    if (from == to || n == 0) return Future.succeededFuture();
    return add(taskId, Map.of(from, -n, to, n));
  }

  public static String field(TargetState state) {
    return "counts." + state.wire();
  }

  /** A fresh task's counters: every state present, all zero. */
  public static Document zero() {
    Document counts = new Document();
    for (TargetState s : TargetState.values()) counts.append(s.wire(), 0L);
    return counts;
  }

  public static long of(Document task, TargetState state) {
    Document counts = task.get("counts", Document.class);
    Object v = counts == null ? null : counts.get(state.wire());
    return v instanceof Number n ? n.longValue() : 0L;
  }
}
