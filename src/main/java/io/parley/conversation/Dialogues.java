package io.parley.conversation;

import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.channel.IncomingMessage;
import io.parley.dialogue.DialogueActivity;
import io.parley.dispatch.DialogueRecorder;
import io.parley.store.BatchedWrites;
import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Decimal128;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dialogues and their messages, read and written by {@code _id} (only a recovery after a crash counts a
 * dialogue's messages, {@link #appendIncoming}). A dialogue keeps its last few
 * messages in {@code recent} (the AI's context, so answering never scans {@code messages}), counts the
 * contact's messages in {@code inSeq}, the burst a responder took in {@code replyClaim} and how far they
 * were answered in {@code answeredSeq}. The whole dialogues this process's writes last left are kept in a
 * {@link DialogueCache} shared by the router and the responders, so a message whose burst is claimed as it is
 * counted needs no command that returns the dialogue ({@link #appendIncoming}).
 */
final class Dialogues {
  private static final Logger log = LoggerFactory.getLogger(Dialogues.class);
  static final String OPEN = "open";
  static final String HUMAN = "human";
  static final String BLOCKED = "blocked";
  static final String CLOSED = "closed";
  /** The states in which the AI still speaks in a dialogue: its replies go out, its outcomes count. */
  static final List<String> AUTOMATIC = List.of(OPEN, BLOCKED);

  /** Whether the AI still speaks in a dialogue in {@code state} (null: unknown, no). */
  static boolean automatic(String state) {
    return state != null && AUTOMATIC.contains(state);
  }

  /** Which process made the dialogue's latest claim on a burst ({@link ResponderRuns}). */
  static final String CLAIMED_BY = "claimedBy";

  /** How many reactions and notices the dialogue recorded (they are not counted in {@code inSeq}). */
  static final String NOTES = "inNotes";

  /** A dialogue as writes return it: all but the AI's context and the merge fields, which only answering reads. */
  private static final Bson WITHOUT_CONTEXT = Projections.exclude("recent", "fields");

  private final MongoCollection<Document> dialogues;
  private final BatchedWrites dialogueWrites;
  private final MongoCollection<Document> messages;
  private final BatchedWrites messageWrites;
  private final int history;
  private final DialogueCache copies;
  private final String run;

  /** With copies of its own, kept by nobody else, and a run of its own (tests that read and write dialogues directly). */
  Dialogues(Store store, int history) {
    this(store, history, new DialogueCache(java.time.Clock.systemUTC(), Duration.ofMinutes(1), 1000), Ids.newId());
  }

  /** {@code run}: the id this process's claims on bursts carry ({@link ResponderRuns}). */
  Dialogues(Store store, int history, DialogueCache copies, String run) {
    this.dialogues = store.collection(Collections.DIALOGUES);
    this.dialogueWrites = store.batched(Collections.DIALOGUES);
    this.messages = store.collection(Collections.MESSAGES);
    this.messageWrites = store.batched(Collections.MESSAGES);
    this.history = history;
    this.copies = copies;
    this.run = run;
  }

  Future<Document> find(String id) {
    return Rx.first(dialogues.find(Filters.eq("_id", id)).limit(1));
  }

  /**
   * Open dialogues whose contact wrote since the last answer, for start-up. The store compares the two
   * counts, so only those come back: open dialogues pile up (every outreach nobody answered stays open), the
   * ones owed a reply are few.
   */
  Future<List<Document>> openWithUnanswered() {
    return Rx.list(dialogues.find(owed()).projection(OWED));
  }

  /** What {@link #openWithUnanswered} answers, of the dialogues whose latest claim {@code claimer} made. */
  Future<List<Document>> openWithUnanswered(String claimer) {
    return Rx.list(dialogues.find(Filters.and(Filters.eq(CLAIMED_BY, claimer), owed())).projection(OWED));
  }

  private static final Bson OWED = Projections.include("inSeq", "answeredSeq", "lastInAt", "replyClaim", "claimedAt", CLAIMED_BY);

  private static Bson owed() {
    Bson behind = Filters.expr(new Document("$gt", List.of("$inSeq", new Document("$ifNull", List.of("$answeredSeq", 0L)))));
    return Filters.and(Filters.eq("state", OPEN), Filters.gt("inSeq", 0L), behind);
  }

  /**
   * Takes back the claim {@code claimer} holds on {@code dialogue}'s burst up to {@code replyClaim} (a process
   * that went silent, {@link ResponderRuns}), so a responder may claim it at once; false when that claim is no
   * longer there (answered, or claimed again since).
   */
  Future<Boolean> release(String dialogueId, String claimer, long replyClaim) {
    return Rx.first(dialogues.updateOne(Filters.and(Filters.eq("_id", dialogueId), Filters.eq(CLAIMED_BY, claimer),
            Filters.eq("replyClaim", replyClaim)),
        Updates.combine(Updates.unset("replyClaim"), Updates.unset("claimedAt"), Updates.unset(CLAIMED_BY))))
        .map(r -> r != null && r.getModifiedCount() > 0)
        .onSuccess(released -> {
          if (released) copies.forget(dialogueId);
        });
  }

  static long seq(Document dialogue, String field) {
    return dialogue.get(field) instanceof Number n ? n.longValue() : 0L;
  }

  /** Inserts a new dialogue; true when it was new, false when it already existed. */
  Future<Boolean> insert(Document dialogue) {
    return dialogueWrites.insert(dialogue);
  }

  /**
   * A contact's message stored in {@code dialogue} (as it is after the message, without {@code recent} and
   * {@code fields}); {@code fresh} is false when it was stored before: a repeated delivery or a re-route.
   */
  record Stored(Document dialogue, boolean fresh, boolean claimed) {
    Stored(Document dialogue, boolean fresh) {
      this(dialogue, fresh, false);
    }
  }

  /**
   * Stores a contact's message under {@code messageId} and counts it on the dialogue; null when there is no
   * such dialogue (the message is then stored under a missing dialogue: {@link #forget} it). Stored before:
   * the dialogue as it is, the message not counted again. The message's {@code createdAt} is when the
   * contact sent it (the platform's time); {@code arrived} when Parley got it, which the burst window counts
   * from ({@code lastInAt}): a platform's clock is coarse (whole seconds) and its webhooks late. A reaction or
   * a notice ({@code kind}, {@link IncomingMessage#answerable}) is recorded like a message — the managers'
   * list, the AI's context — but not counted in {@code inSeq} (in {@link #NOTES} instead): it makes no burst and
   * no reply is due for it. {@code checked}: the dialogue's id was remembered, not read from its key just now
   * ({@link KnownKeys}), so it is written to only while it is still the sender's ({@code contact}, which a
   * change of number moves) and no later dialogue replaced it ({@link DialogueRecorder#SUPERSEDED_BY}); null
   * comes back otherwise, as for a missing dialogue.
   *
   * <p>{@code claimFrom}, for a message to be answered at once (a burst window of 0): the dialogue's
   * {@code inSeq} as the caller last saw it. While the dialogue is open and still counts that many, the same
   * write claims the burst this message makes, as {@link #claimBurst} would right after it (nobody can hold a
   * claim on a count that did not exist), and the dialogue comes back whole, context included, {@code claimed}.
   * Otherwise the message is counted as without it. Null: nothing is claimed. When this process holds a copy of
   * the dialogue ({@link DialogueCache}) that counts {@code claimFrom}, the write goes with others' and returns
   * nothing: it applies only while the store's dialogue still has what the copy has in every field answering
   * reads ({@link #unchanged}), and the dialogue that comes back is the copy with the write applied. When it
   * does not apply, the dialogue is read as the write claims it, as without a copy.
   */
  Future<Stored> appendIncoming(String dialogueId, String messageId, IncomingMessage m, Instant arrived,
      boolean recovering, boolean checked, Long claimFrom) {
    Document message = message(messageId, dialogueId, "in", "contact", m.text(), m.receivedAt())
        .append("platformMessageId", m.platformMessageId()).append("status", "received");
    if (m.kind() != null) message.append("kind", m.kind());
    return messageWrites.insert(message).compose(fresh -> {
      if (!fresh) {
        return find(dialogueId).compose(d -> {
          if (d == null) return Future.succeededFuture(null);
          if (!recovering) return Future.succeededFuture(new Stored(d, false));
          return m.answerable() ? uncounted(d, message, arrived) : unrecorded(d, message);
        });
      }
      Bson changes = !m.answerable() ? Updates.combine(Updates.inc(NOTES, 1L), recorded(message))
          : counted(message, arrived, Updates.inc("inSeq", 1L));
      Bson which = !checked ? Filters.eq("_id", dialogueId) : Filters.and(Filters.eq("_id", dialogueId),
          Filters.eq("contact", m.from()), Filters.eq(DialogueRecorder.SUPERSEDED_BY, null));
      Future<Stored> claimed = claimFrom == null || !m.answerable() ? Future.succeededFuture(null)
          : countAndClaim(dialogueId, which, message, arrived, claimFrom);
      return claimed.compose(c -> c != null ? Future.succeededFuture(c)
          : update(which, changes, WITHOUT_CONTEXT).map(d -> d == null ? null : new Stored(d, true)));
    });
  }

  /**
   * Counts the message as the {@code from + 1}th and claims that burst, if the dialogue is open and counts
   * {@code from}: from this process's copy of the dialogue when it has one that counts {@code from} (the write
   * then applies only if the copy is still right), otherwise reading the dialogue as the write leaves it.
   */
  private Future<Stored> countAndClaim(String dialogueId, Bson which, Document message, Instant arrived, long from) {
    long seq = from + 1;
    Bson claim = Updates.combine(Updates.set("inSeq", seq), Updates.set("replyClaim", seq),
        Updates.set("claimedAt", Date.from(arrived)), Updates.set(CLAIMED_BY, run));
    Bson changes = DialogueCache.rendered(counted(message, arrived, claim));
    DialogueCache.Entry copy = copies.get(dialogueId);
    Document after = copy == null || !OPEN.equals(copy.dialogue.getString("state")) || seq(copy.dialogue, "inSeq") != from
        ? null : DialogueCache.applied(copy.dialogue, changes);
    if (after == null) return claimReading(dialogueId, which, changes, from);
    return dialogueWrites.updateIf(Filters.and(which, unchanged(copy.dialogue)), changes, () -> copies.replace(copy, after))
        .recover(err -> {
          if (!(err instanceof MongoWriteException)) return Future.failedFuture(err); // it may have been applied
          log.warn("Dialogue {}: the write from this process's copy was refused; the dialogue is read instead", dialogueId, err);
          return Future.succeededFuture(false);
        })
        .compose(applied -> {
          if (!applied) {
            copies.refused();
            return claimReading(dialogueId, which, changes, from);
          }
          copies.hit();
          return Future.succeededFuture(new Stored(new Document(after), true, true));
        });
  }

  /** As {@link #countAndClaim}, reading the dialogue as the write leaves it (and keeping that as its copy). */
  private Future<Stored> claimReading(String dialogueId, Bson which, Bson changes, long from) {
    return update(Filters.and(which, Filters.eq("state", OPEN), Filters.eq("inSeq", from)), changes, null).map(d -> {
      if (d == null) {
        copies.forget(dialogueId);
        return null;
      }
      copies.put(d);
      return new Stored(new Document(d), true, true);
    });
  }

  /**
   * The conditions under which the store's dialogue still has what {@code copy} has in every field answering
   * reads: its state and counts, its spend (the cap), its manager (the persona) and the last message recorded
   * in it — every message written to a dialogue sets {@code lastMessage}, so a message recorded by anyone else
   * (a manager, another process) shows there, and with it any change to the AI's context. Its task, channel,
   * contact and merge fields never change once it is open ({@code contact} moves with a change of number, which
   * the router's own filter covers).
   */
  static Bson unchanged(Document copy) {
    return Filters.and(Filters.eq("state", copy.getString("state")), Filters.eq("inSeq", copy.get("inSeq")),
        Filters.eq("answeredSeq", copy.get("answeredSeq")), Filters.eq("spend", copy.get("spend")),
        Filters.eq("manager", copy.getString("manager")), Filters.eq("lastMessage.id", DialogueCache.lastMessageId(copy)));
  }

  /** The changes that count the contact's {@code message} in its dialogue; {@code seq} moves {@code inSeq} on. */
  private Bson counted(Document message, Instant arrived, Bson seq) {
    return Updates.combine(seq, Updates.set("lastInAt", Date.from(arrived)), recorded(message));
  }

  /** The changes that record the contact's {@code message}: the AI's context and what the managers' list shows. */
  private Bson recorded(Document message) {
    List<Bson> changes = new ArrayList<>(List.of(remember("contact", message.getString("text"))));
    changes.addAll(DialogueActivity.changes(message));
    return Updates.combine(changes);
  }

  /**
   * A message found stored already when routing again after a crash: the crash may have come between storing
   * it and counting it in the dialogue. The dialogue's contact messages (reactions and notices aside) are counted: if it
   * holds more than {@code inSeq} says, the message is counted now (as fresh, so its burst is due). A message
   * arriving at the same moment may make {@code inSeq} run one ahead of the count, which answers nothing twice.
   */
  private Future<Stored> uncounted(Document dialogue, Document message, Instant arrived) {
    String id = dialogue.getString("_id");
    return Rx.first(messages.countDocuments(Filters.and(Filters.eq("dialogue", id), Filters.eq("direction", "in"),
            Filters.eq("kind", null))))
        .compose(n -> {
          if (n <= seq(dialogue, "inSeq")) return Future.succeededFuture(new Stored(dialogue, false));
          return update(Filters.and(Filters.eq("_id", id), Filters.lt("inSeq", n)),
              counted(message, arrived, Updates.max("inSeq", n)), WITHOUT_CONTEXT)
              .compose(d -> d != null ? Future.succeededFuture(new Stored(d, true))
                  : find(id).map(now -> now == null ? null : new Stored(now, false)));
        });
  }

  /** The id of the dialogue the message {@code messageId} was stored in, or null when it was not stored. */
  Future<String> dialogueOf(String messageId) {
    return Rx.first(messages.find(Filters.eq("_id", messageId)).projection(Projections.include("dialogue")).limit(1))
        .map(m -> m == null ? null : m.getString("dialogue"));
  }

  /**
   * A reaction or notice found stored already when routing again after a crash: as {@link #uncounted} does
   * for messages, the dialogue's reactions and notices are counted against {@link #NOTES}, and if one was
   * never recorded in the dialogue (the managers' list, the AI's context) this one is recorded now.
   */
  private Future<Stored> unrecorded(Document dialogue, Document message) {
    String id = dialogue.getString("_id");
    return Rx.first(messages.countDocuments(Filters.and(Filters.eq("dialogue", id), Filters.eq("direction", "in"),
            Filters.ne("kind", null))))
        .compose(n -> {
          if (n <= seq(dialogue, NOTES)) return Future.succeededFuture(new Stored(dialogue, false));
          return update(Filters.and(Filters.eq("_id", id), Filters.not(Filters.gte(NOTES, n))),
              Updates.combine(Updates.max(NOTES, n), recorded(message)), WITHOUT_CONTEXT)
              .compose(d -> d != null ? Future.succeededFuture(new Stored(d, true))
                  : find(id).map(now -> now == null ? null : new Stored(now, false)));
        });
  }

  /** Removes a message stored by {@link #appendIncoming} for a dialogue that turned out not to exist. */
  Future<Void> forget(String messageId) {
    return Rx.done(messages.deleteOne(Filters.eq("_id", messageId)));
  }

  /**
   * Claims the burst of the contact's messages up to {@code seq} for one responder: only while the dialogue
   * is open, has exactly {@code seq} messages from the contact (a later one is due its own notice), has not
   * answered them and nobody holds a claim on them — a claim made {@code lease} or longer before {@code now}
   * (its responder stopped before recording a reply) no longer holds. The dialogue after the claim, or null
   * when it is not this caller's.
   */
  Future<Document> claimBurst(String dialogueId, long seq, Instant now, Duration lease) {
    Bson free = Filters.or(Filters.not(Filters.gte("replyClaim", seq)),
        Filters.not(Filters.gt("claimedAt", Date.from(now.minus(lease)))));
    return update(Filters.and(Filters.eq("_id", dialogueId), Filters.eq("state", OPEN), Filters.eq("inSeq", seq),
            Filters.not(Filters.gte("answeredSeq", seq)), free),
        Updates.combine(Updates.set("replyClaim", seq), Updates.set("claimedAt", Date.from(now)), Updates.set(CLAIMED_BY, run)),
        null);
  }

  /** When the claim on the burst up to {@code seq} in {@code dialogue} (as read) runs out; null when it has none. */
  static Instant claimExpiry(Document dialogue, long seq, Duration lease) {
    Date claimedAt = dialogue.getDate("claimedAt");
    if (seq(dialogue, "replyClaim") < seq || claimedAt == null) return null;
    return claimedAt.toInstant().plus(lease);
  }

  /**
   * Stores a message Parley sent (or failed to send) into {@code dialogue} and, once sent, remembers it as
   * context. The contact's messages up to {@code answers} are marked answered in the same write (0: it answers
   * nothing). Both writes go with others' ({@link BatchedWrites}), so nothing comes back: the answer is
   * {@code dialogue} as the caller had it. A caller that acts on the dialogue's state afterwards does so with a
   * conditional write ({@link #state(String, String, String, String, Instant)}).
   */
  Future<Document> appendOutgoing(Document dialogue, Document m, boolean sent, long answers) {
    Future<Boolean> stored = messageWrites.insert(m);
    List<Bson> changes = new ArrayList<>();
    if (answers > 0) changes.add(Updates.max("answeredSeq", answers));
    if (sent) {
      changes.addAll(DialogueActivity.changes(m));
      changes.add(remember(m.getString("author"), m.getString("text")));
    }
    if (changes.isEmpty()) return stored.map(dialogue);
    String dialogueId = m.getString("dialogue");
    Bson update = DialogueCache.rendered(Updates.combine(changes));
    Future<Void> counted = dialogueWrites.update(Filters.eq("_id", dialogueId), update,
        () -> copies.recorded(dialogueId, sent ? m.getString("_id") : null, update));
    return Future.all(stored, counted).map(dialogue);
  }

  static Document message(String id, String dialogueId, String direction, String author, String text, Instant at) {
    return new Document("_id", id).append("dialogue", dialogueId).append("direction", direction).append("author", author)
        .append("text", text).append("cost", new Decimal128(BigDecimal.ZERO)).append("createdAt", Date.from(at));
  }

  /** Marks the contact's messages up to {@code seq} answered (never moving back). */
  Future<Document> answered(String dialogueId, long seq) {
    return update(dialogueId, Updates.max("answeredSeq", seq));
  }

  Future<Document> state(String dialogueId, String state, String reason, Instant at) {
    return update(dialogueId, stateChange(state, reason, at));
  }

  /** Moves the dialogue from state {@code from} to {@code to}; null when it was not in {@code from} (or is gone). */
  Future<Document> state(String dialogueId, String from, String to, String reason, Instant at) {
    return update(Filters.and(Filters.eq("_id", dialogueId), Filters.eq("state", from)), stateChange(to, reason, at),
        WITHOUT_CONTEXT);
  }

  private static Bson stateChange(String state, String reason, Instant at) {
    return Updates.combine(Updates.set("state", state), Updates.set("stateReason", reason),
        Updates.set("stateAt", Date.from(at)));
  }

  /**
   * Records an outcome while the dialogue is in one of the states {@code whileIn}; {@code close} also closes
   * it. Null when it was not (a manager closed or took it over meanwhile: their word stands), or is gone.
   */
  Future<Document> outcome(String dialogueId, String outcome, String by, boolean close, Instant at, List<String> whileIn) {
    List<Bson> set = new ArrayList<>(List.of(Updates.set("outcome", outcome), Updates.set("outcomeBy", by),
        Updates.set("outcomeAt", Date.from(at))));
    if (close) { // closed as a manager's close records it: when and by whom (the API's closedAt)
      set.add(Updates.set("state", CLOSED));
      set.add(Updates.set("stateReason", "outcome " + outcome));
      set.add(Updates.set("stateAt", Date.from(at)));
      set.add(Updates.set("closedAt", Date.from(at)));
      set.add(Updates.set("closedBy", by));
    }
    return update(Filters.and(Filters.eq("_id", dialogueId), Filters.in("state", whileIn)), Updates.combine(set),
        WITHOUT_CONTEXT);
  }

  private Bson remember(String author, String text) {
    return Updates.pushEach("recent", List.of(new Document("author", author).append("text", text)),
        new PushOptions().slice(-history));
  }

  private Future<Document> update(String id, Bson update) {
    return update(Filters.eq("_id", id), update, WITHOUT_CONTEXT);
  }

  /** The one dialogue {@code filter} finds, after {@code update}, with {@code projection} (null: whole); null if none. */
  private Future<Document> update(Bson filter, Bson update, Bson projection) {
    return Rx.first(dialogues.findOneAndUpdate(filter, update,
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).projection(projection)));
  }
}
