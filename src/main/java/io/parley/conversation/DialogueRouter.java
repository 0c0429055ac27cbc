package io.parley.conversation;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.EventAddresses;
import io.parley.audience.BatchWriter;
import io.parley.channel.ChannelClients;
import io.parley.channel.Inbox;
import io.parley.channel.IncomingMessage;
import io.parley.dispatch.DialogueRecorder;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.DuplicateKey;
import io.parley.store.Ids;
import io.parley.store.RecentDocuments;
import io.parley.store.Rx;
import io.parley.task.TaskProgress;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every message a contact sends to the dialogue of that contact on that channel ({@code
 * dialogue_keys}, by {@code _id}; remembered a while, {@link KnownKeys}), opening one on the channel's
 * incoming task for a contact who writes first; stores it; then by the dialogue's state: {@code open} → a
 * reply is due once the burst window has passed ({@link EventAddresses#REPLY_DUE}; with a window of 0, the
 * write that stores a known contact's message claims its burst too, handed to a responder as it is, {@link
 * EventAddresses#REPLY_CLAIMED}); {@code human} → the
 * managers' feed ({@code DIALOGUE_UPDATED}, published for every stored message anyway); {@code blocked},
 * {@code closed} → stored only. A stop word opts the contact out. Each {@code inbound} document is removed
 * once its message is handled (in batches,
 * {@link RoutedMessages}), so a platform's repeated delivery after that is stored anew and published: the
 * message it carries is found stored already, and nothing more is done with it. On start, what a crash
 * left in {@code inbound} is routed again — which stores and counts nothing twice, and does finish handling
 * it — and bursts left unanswered are due again (one a responder claimed and never answered once its claim
 * has run out, {@code conversation.replyLeaseSeconds}). The router also beats for its process ({@link
 * ResponderRuns}, every {@code conversation.heartbeatSeconds}), and answers the bursts claimed by a process
 * that went silent, this one's previous run included, without waiting for their claims to run out.
 */
public final class DialogueRouter extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(DialogueRouter.class);
  /** How long an opened dialogue's manager is remembered for the contact's messages routed alongside its first one. */
  private static final Duration OPENED_MEMORY = Duration.ofSeconds(10);
  private static final int MAX_KEY_RACES = 3;
  /**
   * How many contacts' keys the router remembers, and for how long: a key re-pointed without the mark on the
   * dialogue it replaced (by an earlier version, or a crash between the two writes) is read again within it.
   */
  private static final int KNOWN_KEYS = 50_000;
  private static final Duration KNOWN_KEY_AGE = Duration.ofMinutes(1);

  private final ConversationDeps deps;
  private Dialogues dialogues;
  private DialogueEvents events;
  private DialogueRecorder recorder;
  private IncomingTasks incomingTasks;
  private StopWords stopWords;
  private OptOut optOut;
  private ContactMoves moves;
  private ConversationMetrics metrics;
  private MongoCollection<Document> keys;
  private MongoCollection<Document> inbound;
  private RoutedMessages routed;
  private MongoCollection<Document> tasks;
  private RecentDocuments recentTasks;
  private TaskProgress progress;
  private MongoCollection<Document> audience;
  private KnownKeys knownKeys;
  private MessageConsumer<JsonObject> consumer;
  private ResponderRuns runs;
  private long beating = -1;
  private boolean releasing;
  /** The managers of dialogues being opened, or opened a moment ago, by dialogue id (see {@link #manager}). */
  private final Map<String, Future<String>> assigned = new HashMap<>();

  public DialogueRouter(ConversationDeps deps) {
    this.deps = deps;
  }

  @Override
  public Future<?> start() {
    var store = deps.store();
    dialogues = new Dialogues(store, deps.settings().historyMessages(), deps.copies(), deps.run());
    runs = new ResponderRuns(store, deps.clock(), deps.run(), deps.settings().silenceBeforeRelease());
    events = new DialogueEvents(vertx.eventBus(), deps.clock());
    recorder = new DialogueRecorder(store);
    incomingTasks = new IncomingTasks(store);
    stopWords = new StopWords(deps.settings().stopWords());
    metrics = new ConversationMetrics(deps.registry());
    ReplySender sender = new ReplySender(store, new ChannelClients(vertx, deps.clock()), dialogues, events, metrics,
        deps.scheduler(), deps.clock(), deps.settings().sendMaxAttempts());
    optOut = new OptOut(store, dialogues, events, sender, metrics, deps.clock(), deps.settings().optOutReply());
    keys = store.collection(Collections.DIALOGUE_KEYS);
    knownKeys = new KnownKeys(deps.clock(), KNOWN_KEY_AGE, KNOWN_KEYS);
    moves = new ContactMoves(store, deps.clock());
    inbound = store.collection(Collections.INBOUND);
    routed = new RoutedMessages(inbound);
    tasks = store.collection(Collections.TASKS);
    recentTasks = new RecentDocuments(new DocumentStore(store, Collections.TASKS), AiResponder.SETTINGS_TTL);
    progress = new TaskProgress(store);
    audience = store.collection(Collections.AUDIENCE);
    consumer = vertx.eventBus().consumer(EventAddresses.INCOMING_MESSAGE, m -> {
      IncomingMessage message = IncomingMessage.fromJson(m.body());
      route(message, false).onFailure(err -> log.error("Message {} from {} on channel {} not routed; routed again at the next start",
          message.platformMessageId(), message.from(), message.channelId(), err));
    });
    // the first beat before the start completes (a claim whose process has no beat yet is never taken back)
    return runs.beat().compose(v -> consumer.completion()).onSuccess(v -> {
      recover().eventually(this::releaseSilent);
      beating = vertx.setPeriodic(deps.settings().heartbeatSeconds() * 1000L, t -> {
        runs.beat().onFailure(err -> log.warn("Cannot record that this process is alive; after {} others answer its bursts",
            deps.settings().silenceBeforeRelease(), err));
        releaseSilent();
      });
    });
  }

  @Override
  public Future<?> stop() {
    if (beating >= 0) vertx.cancelTimer(beating);
    return consumer.unregister();
  }

  /**
   * Answers the bursts claimed by processes silent for too long ({@link ResponderRuns}): each claim is
   * released and its burst made due here, then the silent process is forgotten. A claim made since by a live
   * process, or a burst answered meanwhile, is left alone; two processes releasing the same one release it once.
   */
  private Future<Void> releaseSilent() {
    if (releasing) return Future.succeededFuture();
    releasing = true;
    return runs.silent().compose(silent -> {
      Future<Void> done = Future.succeededFuture();
      for (ResponderRuns.Silent s : silent) done = done.compose(v -> release(s));
      return done;
    }).onFailure(err -> log.warn("Cannot release the bursts claimed by silent processes; tried again in {} s",
        deps.settings().heartbeatSeconds(), err)).eventually(() -> {
      releasing = false;
      return Future.succeededFuture();
    });
  }

  private Future<Void> release(ResponderRuns.Silent silent) {
    return dialogues.openWithUnanswered(silent.run()).compose(owed -> {
      Future<Integer> released = Future.succeededFuture(0);
      for (Document d : owed) {
        released = released.compose(n -> dialogues.release(d.getString("_id"), silent.run(), Dialogues.seq(d, "replyClaim"))
            .map(done -> {
              if (!done) return n;
              replyDue(d);
              return n + 1;
            }));
      }
      return released;
    }).compose(n -> {
      if (n > 0) {
        log.warn("{} bursts claimed by a Parley process silent since {} ({}) are answered again here", n,
            silent.seenAt().toInstant(), silent.run());
      }
      return runs.forget(silent);
    });
  }

  /**
   * Routes one message; safe to repeat (the message is stored under its inbound id). A message found stored
   * already is handled again only when {@code recovering} (a crash may have come between storing and
   * handling it); otherwise it is a platform's repeated delivery of a message handled before.
   */
  Future<Void> route(IncomingMessage m, boolean recovering) {
    String inboundId = Inbox.key(m.channelId(), m.platformMessageId());
    return append(m, inboundId, recovering)
        .compose(stored -> {
          if (stored != null && !stored.fresh() && !recovering) {
            log.debug("Message {} on channel {} was delivered again; it is stored once", m.platformMessageId(), m.channelId());
            return Future.succeededFuture();
          }
          metrics.received(m.channelId());
          if (stored == null) return handle(null, false, m, inboundId);
          if (m.movedTo() == null) return handle(stored.dialogue(), stored.claimed(), m, inboundId);
          return moves.apply(stored.dialogue(), m).compose(moved -> handle(moved, false, m, inboundId));
        })
        .onSuccess(v -> routed.routed(inboundId));
  }

  /**
   * Stores the message in the contact's dialogue on the channel: the dialogue after it (without the AI's
   * context), or null when no task answers the contact. The dialogue the key names is written to
   * directly; only if it is gone is the message taken back and the dialogue looked up (or opened) again.
   */
  private Future<Dialogues.Stored> append(IncomingMessage m, String inboundId, boolean recovering) {
    String key = DialogueRecorder.key(m.channelId(), m.from());
    KnownKeys.Known known = recovering ? null : knownKeys.get(key);
    if (known == null) return appendByKey(m, key, inboundId, recovering);
    return recentTasks.find(known.task()).compose(task -> {
      if (task == null) { // its task was deleted: what to do about that is read from the key
        knownKeys.forget(key);
        return appendByKey(m, key, inboundId, recovering);
      }
      return dialogues.appendIncoming(known.dialogue(), inboundId, m, deps.clock().instant(), false, true, claimFrom(known, m))
          .compose(d -> {
            if (d != null) return saw(key, d);
            knownKeys.forget(key); // the contact moved, a later dialogue replaced it, or it is gone
            return dialogues.forget(inboundId).compose(v -> appendByKey(m, key, inboundId, recovering));
          });
    });
  }

  /** As {@link #append(IncomingMessage, String, boolean)}, with the contact's key read from the store. */
  private Future<Dialogues.Stored> appendByKey(IncomingMessage m, String key, String inboundId, boolean recovering) {
    return Rx.first(keys.find(Filters.eq("_id", key)).limit(1)).compose(k -> {
      if (k == null) {
        // a repeat of a message stored before its contact's key went (they moved to another number): where it is
        return dialogues.dialogueOf(inboundId).compose(before -> before != null ? append(before, m, inboundId, recovering)
            : dialogueOf(m.channelId(), m.from(), 0).compose(d -> append(d, m, inboundId, recovering))
                .compose(d -> known(key, d)));
      }
      return taskGone(k).compose(gone -> {
        if (gone) { // its task was deleted: the contact is new to the channel's tasks that run now
          return Rx.done(keys.deleteOne(Filters.and(Filters.eq("_id", key), Filters.eq("dialogue", k.getString("dialogue")))))
              .compose(v -> dialogueOf(m.channelId(), m.from(), 0)).compose(d -> append(d, m, inboundId, recovering))
              .compose(d -> known(key, d));
        }
        return append(k.getString("dialogue"), m, inboundId, recovering).compose(d -> d != null ? known(key, d)
            : dialogues.forget(inboundId).compose(v -> dialogueOf(m.channelId(), m.from(), 0))
                .compose(found -> append(found, m, inboundId, recovering)).compose(found -> known(key, found)));
      });
    });
  }

  /** Remembers that {@code key} names the dialogue the message was just stored in (when it was stored in one). */
  private Future<Dialogues.Stored> known(String key, Dialogues.Stored stored) {
    if (stored != null && stored.dialogue().getString("task") != null) {
      knownKeys.put(key, stored.dialogue().getString("_id"), stored.dialogue().getString("task"));
    }
    return saw(key, stored);
  }

  /** Notes the dialogue's count and state as the write that stored the message left them ({@link KnownKeys#saw}). */
  private Future<Dialogues.Stored> saw(String key, Dialogues.Stored stored) {
    if (stored != null) {
      Document d = stored.dialogue();
      knownKeys.saw(key, d.getString("_id"), Dialogues.seq(d, "inSeq"), Dialogues.OPEN.equals(d.getString("state")));
    }
    return Future.succeededFuture(stored);
  }

  /**
   * The count from which the message's write may claim its burst ({@link Dialogues#appendIncoming}): only for
   * a message answered at once (a burst window of 0) that would be answered — no reaction, stop word or change
   * of number — in a dialogue the router last saw open, with its count. Null otherwise.
   */
  private Long claimFrom(KnownKeys.Known known, IncomingMessage m) {
    if (deps.settings().burstWindowMillis() != 0 || !known.open() || known.inSeq() < 0) return null;
    if (!m.answerable() || m.movedTo() != null || stopWords.matches(m.text())) return null;
    return known.inSeq();
  }

  /** Whether the task of the dialogue {@code key} names was deleted (read by {@code _id}, kept for a moment). */
  private Future<Boolean> taskGone(Document key) {
    String task = key.getString("task");
    return task == null ? Future.succeededFuture(false) : recentTasks.find(task).map(t -> t == null);
  }

  private Future<Dialogues.Stored> append(Document dialogue, IncomingMessage m, String inboundId, boolean recovering) {
    return dialogue == null ? Future.succeededFuture(null) : append(dialogue.getString("_id"), m, inboundId, recovering);
  }

  private Future<Dialogues.Stored> append(String dialogueId, IncomingMessage m, String inboundId, boolean recovering) {
    return dialogues.appendIncoming(dialogueId, inboundId, m, deps.clock().instant(), recovering, false, null);
  }

  /** {@code claimed}: the write that stored the message claimed its burst, and {@code dialogue} is whole. */
  private Future<Void> handle(Document dialogue, boolean claimed, IncomingMessage m, String messageId) {
    boolean stop = m.answerable() && stopWords.matches(m.text());
    if (dialogue != null) events.incoming(dialogue, messageId, m.kind(), stop);
    if (stop) return optOut.apply(dialogue, m.channelId(), m.from());
    if (dialogue == null) {
      metrics.unanswerable(m.channelId());
      log.info("{} wrote to channel {}, which no running incoming task answers; the message is not kept", m.from(),
          m.channelId());
    }
    if (claimed) {
      vertx.eventBus().send(EventAddresses.REPLY_CLAIMED, new ClaimedBurst(dialogue, Dialogues.seq(dialogue, "inSeq")));
    } else if (dialogue != null && m.answerable() && Dialogues.OPEN.equals(dialogue.getString("state"))) {
      replyDue(dialogue);
    }
    return Future.succeededFuture();
  }

  /** Tells a responder once the burst window after the dialogue's latest message has passed. */
  private void replyDue(Document dialogue) {
    long window = deps.settings().burstWindowMillis();
    Instant due = window == 0 ? null : dialogue.getDate("lastInAt").toInstant().plusMillis(window);
    dueAt(dialogue.getString("_id"), Dialogues.seq(dialogue, "inSeq"), due);
  }

  /** Tells a responder that the burst up to {@code seq} is due: at once when {@code due} is null or past. */
  private void dueAt(String dialogueId, long seq, Instant due) {
    JsonObject notice = new JsonObject().put("dialogueId", dialogueId).put("seq", seq);
    if (due == null || !due.isAfter(deps.clock().instant())) vertx.eventBus().send(EventAddresses.REPLY_DUE, notice);
    else deps.scheduler().at(due, () -> vertx.eventBus().send(EventAddresses.REPLY_DUE, notice));
  }

  /**
   * A burst left unanswered at start: due as usual, unless a responder claimed it and no reply was recorded
   * — then it is due again when that claim runs out (a responder of another process may still be answering).
   */
  private void resume(Document dialogue) {
    long seq = Dialogues.seq(dialogue, "inSeq");
    Instant expiry = Dialogues.claimExpiry(dialogue, seq, Duration.ofSeconds(deps.settings().replyLeaseSeconds()));
    if (expiry == null || !expiry.isAfter(deps.clock().instant())) {
      replyDue(dialogue);
      return;
    }
    log.info("Dialogue {}: its latest messages were claimed by a responder at {} and not answered; due again at {}",
        dialogue.getString("_id"), dialogue.getDate("claimedAt").toInstant(), expiry);
    dueAt(dialogue.getString("_id"), seq, expiry);
  }

  /** The contact's current dialogue on the channel, opened now if they write first; null when no task answers. */
  private Future<Document> dialogueOf(String channelId, String contact, int races) {
    String key = DialogueRecorder.key(channelId, contact);
    return Rx.first(keys.find(Filters.eq("_id", key)).limit(1)).compose(k -> {
      if (k != null) {
        return dialogues.find(k.getString("dialogue")).compose(d -> d != null ? Future.succeededFuture(d)
            : task(k.getString("task")).compose(t -> t == null ? Future.succeededFuture(null)
                : open(k.getString("dialogue"), t, channelId, contact)));
      }
      return incomingTasks.forChannel(channelId).compose(t -> {
        if (t == null) return Future.succeededFuture(null);
        String id = Ids.newId();
        return Rx.done(keys.insertOne(new Document("_id", key).append("dialogue", id).append("task", t.getString("_id"))))
            .compose(v -> open(id, t, channelId, contact))
            .recover(err -> DuplicateKey.is(err) && races < MAX_KEY_RACES
                ? dialogueOf(channelId, contact, races + 1) : Future.failedFuture(err));
      });
    });
  }

  private Future<Document> task(String id) {
    return Rx.first(tasks.find(Filters.eq("_id", id)).projection(Projections.include("managers", "managerAssignment")).limit(1));
  }

  /** Opens the dialogue {@code id} (idempotent: a second call finds the first one's). */
  private Future<Document> open(String id, Document task, String channelId, String contact) {
    String taskId = task.getString("_id");
    Future<String> manager = manager(id, task);
    Future<Document> entry = Rx.first(audience.find(Filters.eq("_id", BatchWriter.entryId(taskId, contact)))
        .projection(Projections.include("fields")).limit(1));
    Date now = Date.from(deps.clock().instant());
    return Future.all(manager, entry).compose(all -> {
      Document fields = entry.result() == null ? null : entry.result().get("fields", Document.class);
      Document dialogue = new Document("_id", id).append("task", taskId).append("channel", channelId)
          .append("contact", contact).append("fields", fields == null ? new Document() : fields)
          .append("manager", manager.result()).append("state", Dialogues.OPEN).append("origin", "incoming")
          .append("spend", new Decimal128(BigDecimal.ZERO)).append("inSeq", 0L).append("answeredSeq", 0L)
          .append("recent", List.of()).append("createdAt", now).append("lastMessageAt", now);
      return dialogues.insert(dialogue).compose(fresh -> {
        if (!fresh) return dialogues.find(id);
        metrics.incomingDialogue(channelId);
        events.state(dialogue);
        return progress.update(taskId, Updates.inc("stats.dialogues", 1L)).map(dialogue);
      });
    });
  }

  /**
   * The manager for the dialogue {@code id} being opened. A contact's first messages are routed side by
   * side: the later ones find the key the first one wrote, may read the dialogue just before it is stored,
   * and open it too; they are given the first one's manager, remembered for {@link #OPENED_MEMORY}, so the
   * dialogue takes one manager's turn, not one per message.
   */
  private Future<String> manager(String id, Document task) {
    Future<String> known = assigned.get(id);
    if (known != null) return known;
    List<String> managers = task.getList("managers", String.class);
    if (managers == null || managers.isEmpty()) return Future.succeededFuture(null);
    Future<String> chosen = recorder.assignManager(task.getString("_id"), managers,
        "least_loaded".equals(task.getString("managerAssignment")));
    assigned.put(id, chosen);
    chosen.onComplete(ar -> {
      if (ar.failed()) assigned.remove(id, chosen);
      else vertx.setTimer(OPENED_MEMORY.toMillis(), t -> assigned.remove(id, chosen));
    });
    return chosen;
  }

  /** Routes a message {@code inbound} kept; fails (does not throw) for a document that is not one. */
  private Future<Void> route(Document doc) {
    return Future.<Void>succeededFuture().compose(v -> route(new IncomingMessage(doc.getString("channel"),
        doc.getString("from"), doc.getString("text"), doc.getString("platformId"), doc.getDate("receivedAt").toInstant(),
        doc.getString("kind"), doc.getString("movedTo")), true));
  }

  /**
   * After a restart: routes what was stored but never routed (in arrival order: {@code inbound} holds only
   * those), and makes the bursts that were routed but not answered due again (a scan of the open dialogues).
   */
  private Future<Void> recover() {
    return Rx.done(inbound.deleteMany(Filters.eq("routed", true))) // marked routed by versions that kept them
        .compose(v -> Rx.list(inbound.find().sort(Sorts.ascending("receivedAt"))))
        .compose(unrouted -> {
          Future<Void> done = Future.succeededFuture();
          for (Document doc : unrouted) {
            // one message that fails (it stays in inbound, for the next start) does not hold back the others
            done = done.compose(v -> route(doc).recover(err -> {
              log.error("Message {} left unrouted by the last run was not routed; tried again at the next start",
                  doc.get("_id"), err);
              return Future.succeededFuture();
            }));
          }
          if (!unrouted.isEmpty()) log.info("Routed {} messages left unrouted by the last run", unrouted.size());
          return done;
        })
        .compose(v -> dialogues.openWithUnanswered())
        .onSuccess(open -> open.forEach(this::resume))
        .onFailure(err -> log.error("Recovering unrouted messages failed; they are tried again at the next start", err))
        .mapEmpty();
  }
}
