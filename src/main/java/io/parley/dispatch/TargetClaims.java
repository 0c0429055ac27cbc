package io.parley.dispatch;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.audience.AudiencePages;
import io.parley.audience.BatchWriter;
import io.parley.audience.TargetState;
import io.parley.store.Collections;
import io.parley.store.DerivedIds;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.parley.task.TaskCounters;
import io.parley.task.TaskProgress;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Claims audience entries for sending, at most once. Every read and write is addressed by {@code _id}: a
 * dispatcher reserves the task's next sequence number ({@code $inc} of {@code cursor} on the task's
 * progress, {@link TaskProgress}, while it reads the task's status and opening in parallel), finds
 * its address in the task's pages, then claims that entry in one conditional write — only while it is
 * pending with {@code claims} at zero; the write counts the claim and marks it {@code sending}. Anyone else
 * taking an entry (an opt-out, a sweep) increments {@code claims} and owns it only if it was zero, so two
 * never both own one. The message and dialogue ids are derived from the entry (or kept from an earlier build
 * that stored them), so every send of it, a retry or a requeued resend, carries the same ids. A claim left
 * by a process that died is never resent: recovery turns it into {@code unknown}.
 */
final class TargetClaims {
  static final String INTERRUPTED = "interrupted while sending";
  /**
   * What a dispatcher reads of a task per dialogue: never its channel list, which for a task on many
   * channels is most of the document and would cross the wire with every claim.
   */
  private static final Bson FOR_SENDING = Projections.include("status", "openingMessage", "managers", "managerAssignment");
  private static final Bson RESERVED = Projections.include("cursor", "audienceSeq", "counts");
  private static final Bson COUNTS = Projections.include("counts");
  private static final int MAX_TRIES_PER_CLAIM = 64;

  private final MongoCollection<Document> audience;
  private final MongoCollection<Document> tasks;
  private final TaskProgress progress;
  private final TaskCounters counters;
  private final AudiencePages pages;
  private final PageCache pageCache;

  /** With a cache of its own, for a caller that claims alone. */
  TargetClaims(Store store) {
    this(store, new PageCache(8));
  }

  TargetClaims(Store store, PageCache pageCache) {
    this.pageCache = pageCache;
    this.audience = store.collection(Collections.AUDIENCE);
    this.tasks = store.collection(Collections.TASKS);
    this.progress = new TaskProgress(store);
    this.counters = new TaskCounters(store);
    this.pages = new AudiencePages(store);
  }

  /** A claimed entry, ready to be sent. */
  record Claim(String entryId, String taskId, long seq, String address, Document fields, String messageId,
      String dialogueId) {
    static Claim of(Document entry) {
      Document fields = entry.get("fields", Document.class);
      String id = entry.getString("_id");
      return new Claim(id, entry.getString("task"), entry.get("seq", Number.class).longValue(),
          entry.getString("address"), fields == null ? new Document() : fields,
          entry.get("messageId") instanceof String m ? m : DerivedIds.of("opening:" + id),
          entry.get("dialogueId") instanceof String d ? d : DerivedIds.of("dialogue:" + id));
    }

    /** What a write ending the claim records of it, so the entry names its message and dialogue. */
    Bson ids() {
      return Updates.combine(Updates.set("messageId", messageId), Updates.set("dialogueId", dialogueId));
    }
  }


  /**
   * What a claim attempt found: the task as the claim read it, with its counters (its status is fresh: a
   * task paused on another process is seen here) and the claimed entry, or none when nothing is left to claim.
   */
  record Attempt(Document task, Claim claim) {
    boolean running() {
      return RunningTasks.running(task);
    }
  }

  /** The task's next pending entry, claimed for {@code channelId}, if the task is still running. */
  Future<Attempt> claimNext(String taskId, String channelId, String owner, Instant now) {
    return claimNext(taskId, channelId, owner, now, 0);
  }

  /**
   * Reserves the next number and, optimistically, moves one target from {@code pending} to {@code sending}
   * in the same write; the rare reservation that finds nothing to claim moves it back ({@link #unreserve}).
   */
  private Future<Attempt> claimNext(String taskId, String channelId, String owner, Instant now, int tries) {
    if (tries >= MAX_TRIES_PER_CLAIM) return Future.succeededFuture(new Attempt(null, null));
    return reserve(taskId).compose(task -> {
          if (task == null) return Future.succeededFuture(new Attempt(null, null));
          if (!task.containsKey("cursor")) return Future.succeededFuture(new Attempt(task, null)); // no audience yet
          long seq = number(task, "cursor");
          if (!RunningTasks.running(task)) return unreserve(taskId, seq).map(new Attempt(task, null));
          if (seq > number(task, "audienceSeq")) {
            return unreserve(taskId, seq).compose(v -> sweep(taskId)).compose(found -> found
                ? claimNext(taskId, channelId, owner, now, tries + 1) : Future.succeededFuture(new Attempt(task, null)));
          }
          return addressAt(taskId, seq)
              .compose(address -> address == null ? Future.succeededFuture((Claim) null)
                  : claim(BatchWriter.entryId(taskId, address), channelId, owner, now))
              .compose(claim -> claim != null ? Future.succeededFuture(new Attempt(task, claim))
                  : unreserve(taskId, seq).compose(v -> claimNext(taskId, channelId, owner, now, tries + 1)));
        });
  }

  /**
   * The reservation and the task's settings, read together: the task with its reserved {@code cursor},
   * {@code audienceSeq} and counters; null if the task is gone, without {@code cursor} if it has no audience.
   */
  private Future<Document> reserve(String taskId) {
    Future<Document> reserved = progress.updateExisting(taskId, Updates.combine(Updates.inc("cursor", 1L),
        Updates.inc(TaskCounters.field(TargetState.PENDING), -1L), Updates.inc(TaskCounters.field(TargetState.SENDING), 1L)),
        RESERVED);
    Future<Document> settings = Rx.first(tasks.find(Filters.eq("_id", taskId)).projection(FOR_SENDING).limit(1));
    return Future.join(reserved, settings).transform(ignored -> {
      Document reservation = reserved.succeeded() ? reserved.result() : null;
      if (reservation != null && (settings.failed() || settings.result() == null)) {
        Future<Void> back = unreserve(taskId, number(reservation, "cursor"));
        return settings.failed() ? back.compose(v -> Future.failedFuture(settings.cause())) : back.map((Document) null);
      }
      if (reserved.failed()) return Future.failedFuture(reserved.cause());
      if (settings.failed()) return Future.failedFuture(settings.cause());
      Document task = settings.result();
      if (task != null && reservation != null) reservation.forEach((k, v) -> {
        if (!"_id".equals(k)) task.put(k, v);
      });
      return Future.succeededFuture(task);
    });
  }

  /** Takes back a reservation that claimed nothing: the counters, and the cursor if it can go back. */
  private Future<Void> unreserve(String taskId, long seq) {
    return progress.update(taskId, Updates.combine(
        Updates.inc(TaskCounters.field(TargetState.PENDING), 1L), Updates.inc(TaskCounters.field(TargetState.SENDING), -1L)));
  }

  /** Gives a claimed target back untried (the day's limit was reached meanwhile): pending again, first in line. */
  Future<Void> release(Claim claim) {
    return Rx.done(audience.updateOne(Filters.eq("_id", claim.entryId()), Updates.combine(
            Updates.set("state", TargetState.PENDING.wire()), Updates.set("claims", 0),
            Updates.unset("owner"), Updates.unset("channel"), Updates.unset("claimedAt"))))
        .compose(v -> progress.update(claim.taskId(), Updates.combine(
            Updates.inc(TaskCounters.field(TargetState.PENDING), 1L), Updates.inc(TaskCounters.field(TargetState.SENDING), -1L),
            Updates.min("cursor", claim.seq() - 1))));
  }

  /**
   * The address numbered {@code seq}, or null for an unused number. Past the last address of its page the
   * cursor jumps to the next page, so the unused tail of a short batch costs one write, not hundreds.
   */
  private Future<String> addressAt(String taskId, long seq) {
    long page = AudiencePages.pageOf(seq);
    int offset = AudiencePages.offsetOf(seq);
    return page(taskId, page).compose(addresses -> {
      String address = addresses != null && offset < addresses.size() ? addresses.get(offset) : null;
      if (address != null || (addresses != null && hasAfter(addresses, offset))) return Future.succeededFuture(address);
      long lastOfPage = AudiencePages.firstSeq(page + 1) - 1;
      return progress.update(taskId, Updates.max("cursor", lastOfPage)).map((String) null);
    });
  }

  private Future<List<String>> page(String taskId, long page) {
    List<String> cached = pageCache.get(taskId, page);
    if (cached != null) return Future.succeededFuture(cached);
    return pages.find(taskId, page).map(addresses -> {
      if (addresses != null) pageCache.put(taskId, page, addresses);
      return addresses;
    });
  }

  private static boolean hasAfter(List<String> addresses, int offset) {
    for (int i = offset + 1; i < addresses.size(); i++) {
      if (addresses.get(i) != null) return true;
    }
    return false;
  }

  /** The entry, claimed for sending on {@code channelId}; null for a gap in the numbering or somebody else's. */
  private Future<Claim> claim(String entryId, String channelId, String owner, Instant now) {
    return Rx.first(audience.findOneAndUpdate(Filters.and(Filters.eq("_id", entryId),
                Filters.eq("state", TargetState.PENDING.wire()), Filters.not(Filters.gt("claims", 0))),
            Updates.combine(Updates.inc("claims", 1), Updates.set("state", TargetState.SENDING.wire()),
                Updates.set("channel", channelId), Updates.set("owner", owner), Updates.set("claimedAt", Date.from(now))),
            new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
        .map(after -> after == null ? null : Claim.of(after));
  }

  /**
   * The cursor has run past the last entry. Pending entries may still sit behind it (added while it
   * passed, requeued, or reserved by a process that died before claiming): find the first and move the
   * cursor back to it. Answers whether there is one. It scans the entries rather than trusting the
   * counters, which a killed process can leave off by one; it runs only when a task looks exhausted.
   */
  private Future<Boolean> sweep(String taskId) {
    return Rx.first(audience.find(Filters.and(Filters.eq("task", taskId), Filters.eq("state", TargetState.PENDING.wire())))
            .sort(Sorts.ascending("seq")).limit(1))
        .compose(first -> {
          if (first == null) return Future.succeededFuture(false);
          if (number(first, "claims") > 0) {
            // claimed by a process that died before marking it: it may have been sent, so not again
            return endInterrupted(first, Instant.now()).compose(v -> sweep(taskId));
          }
          long page = AudiencePages.pageOf(first.get("seq", Number.class).longValue());
          pageCache.remove(taskId, page);
          long before = first.get("seq", Number.class).longValue() - 1;
          // a process that died between a batch and its page left the page unwritten: rebuild it
          return pages.find(taskId, page).compose(found -> found != null ? Future.succeededFuture(found)
                  : pages.rebuild(taskId, page))
              .compose(found -> progress.update(taskId, Updates.min("cursor", before)))
              .map(true);
        });
  }

  /** Rebuilds the task's per-state counters from its entries (after a crash between two writes left them off). */
  Future<Void> recount(String taskId) {
    Future<Document> counts = Future.succeededFuture(new Document());
    for (TargetState state : TargetState.values()) {
      counts = counts.compose(doc -> Rx.first(audience.countDocuments(
          Filters.and(Filters.eq("task", taskId), Filters.eq("state", state.wire())))).map(n -> doc.append(state.wire(), n)));
    }
    return counts.compose(doc -> progress.update(taskId, Updates.set("counts", doc)));
  }

  /**
   * Records a delivered opening: the entry is {@code sent}, and one write to the task's progress moves its
   * counter and counts the dialogue. Answers the progress after that write (for the completion check).
   */
  Future<Document> sent(Claim claim, String platformId, Instant now) {
    return Rx.first(audience.findOneAndUpdate(Filters.eq("_id", claim.entryId()),
            Updates.combine(Updates.set("state", TargetState.SENT.wire()), Updates.set("reason", null),
                Updates.set("finishedAt", Date.from(now)), Updates.set("platformMessageId", platformId), claim.ids()),
            new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE)))
        .compose(before -> {
          TargetState from = before == null ? TargetState.SENDING : TargetState.fromWire(before.getString("state"));
          return progress.updateAndGet(claim.taskId(), Updates.combine(
                  Updates.inc(TaskCounters.field(from), -1L), Updates.inc(TaskCounters.field(TargetState.SENT), 1L),
                  Updates.inc("stats.dialogues", 1L)), ReturnDocument.AFTER, COUNTS);
        });
  }

  /** Ends the claim as {@code failed} or {@code skipped} with the platform's reason. */
  Future<Void> end(Claim claim, TargetState state, String reason, Instant now) {
    return finish(claim, state, reason, Updates.unset("retryAt"), now);
  }

  private Future<Void> finish(Claim claim, TargetState state, String reason, org.bson.conversions.Bson extra, Instant now) {
    return Rx.first(audience.findOneAndUpdate(Filters.eq("_id", claim.entryId()),
            Updates.combine(Updates.set("state", state.wire()), Updates.set("reason", reason),
                Updates.set("finishedAt", Date.from(now)), claim.ids(), extra),
            new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE)))
        .compose(before -> before == null ? Future.<Void>succeededFuture()
            : counters.move(claim.taskId(), TargetState.fromWire(before.getString("state")), state, 1));
  }

  /**
   * Claims on {@code channels} left by another owner (a process that died) become {@code unknown}: the
   * message may or may not have gone out, so it is not sent again until a marketer requeues it. One scan
   * for all the channels a process has just taken over.
   */
  Future<Integer> recover(java.util.Collection<String> channels, String owner, Instant now) {
    if (channels.isEmpty()) return Future.succeededFuture(0);
    return Rx.list(audience.find(Filters.and(Filters.eq("state", TargetState.SENDING.wire()),
            Filters.in("channel", channels), Filters.ne("owner", owner))))
        .compose(stale -> {
          Future<Integer> done = Future.succeededFuture(0);
          for (Document entry : stale) done = done.compose(n -> endInterrupted(entry, now).map(n + 1));
          return done;
        });
  }

  private Future<Void> endInterrupted(Document entry, Instant now) {
    return end(Claim.of(entry), TargetState.UNKNOWN, INTERRUPTED, now);
  }

  private static long number(Document doc, String key) {
    Object v = doc.get(key);
    return v instanceof Number n ? n.longValue() : 0L;
  }
}
