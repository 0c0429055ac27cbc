package io.parley.conversation;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * The processes answering dialogues ({@code responder_runs}): each beats, writing when it was last alive
 * under the id its claims on bursts carry ({@link Dialogues#CLAIMED_BY}). A claim holds for the reply lease
 * (ten minutes by default) because an AI reply may take minutes; a process that is killed or cut off holds its
 * claims that long for nothing. A process silent for longer than {@code silence} is taken for stopped: the
 * others release its claims ({@link Dialogues#release}) and answer those bursts. A process whose store was
 * only slow may then see a burst it is answering answered twice; its own next beat makes it alive again.
 */
final class ResponderRuns {
  private final MongoCollection<Document> runs;
  private final Clock clock;
  private final String run;
  private final Duration silence;

  /** A process taken for stopped, as last seen: {@link #forget} removes it only if it did not beat since. */
  record Silent(String run, Date seenAt) {}

  ResponderRuns(Store store, Clock clock, String run, Duration silence) {
    this.runs = store.collection(Collections.RESPONDER_RUNS);
    this.clock = clock;
    this.run = run;
    this.silence = silence;
  }

  /** Records that this process is alive now. */
  Future<Void> beat() {
    Date now = Date.from(clock.instant());
    return Rx.done(runs.updateOne(Filters.eq("_id", run),
        Updates.combine(Updates.set("seenAt", now), Updates.setOnInsert("startedAt", now)), new UpdateOptions().upsert(true)));
  }

  /** The other processes silent for longer than {@code silence}. */
  Future<List<Silent>> silent() {
    Date before = Date.from(clock.instant().minus(silence));
    return Rx.list(runs.find(Filters.and(Filters.ne("_id", run), Filters.lt("seenAt", before)))
            .projection(Projections.include("seenAt")))
        .map(found -> found.stream().map(d -> new Silent(d.getString("_id"), d.getDate("seenAt"))).toList());
  }

  /** Removes a silent process once its claims were released, unless it beat meanwhile. */
  Future<Void> forget(Silent silent) {
    return Rx.done(runs.deleteOne(Filters.and(Filters.eq("_id", silent.run()), Filters.eq("seenAt", silent.seenAt()))));
  }
}
