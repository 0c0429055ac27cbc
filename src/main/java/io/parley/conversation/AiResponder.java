package io.parley.conversation;

import io.parley.EventAddresses;
import io.parley.ai.AiFailure;
import io.parley.ai.AiProfile;
import io.parley.ai.AiReply;
import io.parley.ai.ChatContext;
import io.parley.ai.ReplyWriter;
import io.parley.ai.ReplyWriters;
import io.parley.channel.ChannelClients;
import io.parley.http.Money;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Ids;
import io.parley.store.RecentDocuments;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a dialogue's burst as its virtual manager. Several instances (and processes) may hear the same
 * {@link EventAddresses#REPLY_DUE}; the burst — the contact's messages up to {@code inSeq} — is claimed on
 * the dialogue itself ({@code replyClaim}, {@link Dialogues#claimBurst}), so only one answers it; with a burst
 * window of 0 the router may claim it in the write that stored the message and hand it over as it is ({@link
 * EventAddresses#REPLY_CLAIMED}). Before the AI call its
 * worst-case cost is reserved against the spend cap ({@link SpendCap}); a provider that keeps failing hands
 * the dialogue to its manager; an outcome the AI declares closes (or only marks) the dialogue.
 */
public final class AiResponder extends VerticleBase {
  static final String SPEND_CAP_REACHED = "spend cap reached";
  private static final String GONE = "gone";
  /** How long a task, profile or manager read for one reply serves the next ones (an edit applies within it). */
  static final Duration SETTINGS_TTL = Duration.ofSeconds(2);
  /** The longest pause between tries of a reservation that waits for the dialogue's other calls. */
  private static final Duration MAX_SPEND_WAIT_PAUSE = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(AiResponder.class);

  private final ConversationDeps deps;
  private Dialogues dialogues;
  private DialogueEvents events;
  private SpendCap spend;
  private ReplySender sender;
  private ReplyWriters writers;
  private ConversationMetrics metrics;
  private RecentDocuments tasks;
  private RecentDocuments profiles;
  private RecentDocuments managers;
  private MessageConsumer<JsonObject> consumer;
  private MessageConsumer<ClaimedBurst> claimedConsumer;

  /** One burst being answered: the dialogue as claimed, its task and the claimed sequence number. */
  private record Burst(Document dialogue, Document task, long seq) {
    String id() {
      return dialogue.getString("_id");
    }

    /** Where its call's cost is reserved on the dialogue. */
    String reservation() {
      return "r" + seq;
    }
  }

  public AiResponder(ConversationDeps deps) {
    this.deps = deps;
  }

  @Override
  public Future<?> start() {
    var store = deps.store();
    dialogues = new Dialogues(store, deps.settings().historyMessages(), deps.copies(), deps.run());
    events = new DialogueEvents(vertx.eventBus(), deps.clock());
    spend = new SpendCap(store, Duration.ofSeconds(deps.settings().replyLeaseSeconds()));
    metrics = new ConversationMetrics(deps.registry());
    sender = new ReplySender(store, new ChannelClients(vertx, deps.clock()), dialogues, events, metrics, deps.scheduler(),
        deps.clock(), deps.settings().sendMaxAttempts());
    writers = new ReplyWriters(vertx, Duration.ofSeconds(deps.settings().aiTimeoutSeconds()), deps.clock());
    tasks = new RecentDocuments(new DocumentStore(store, Collections.TASKS), SETTINGS_TTL);
    profiles = new RecentDocuments(new DocumentStore(store, Collections.AI_PROFILES), SETTINGS_TTL);
    managers = new RecentDocuments(new DocumentStore(store, Collections.MANAGERS), SETTINGS_TTL);
    consumer = vertx.eventBus().consumer(EventAddresses.REPLY_DUE, m -> {
      String id = m.body().getString("dialogueId");
      answer(id, m.body().getLong("seq")).onFailure(err -> log.error("Dialogue {}: reply failed", id, err));
    });
    claimedConsumer = vertx.eventBus().consumer(EventAddresses.REPLY_CLAIMED, m -> {
      ClaimedBurst burst = m.body();
      claimed(burst.dialogue(), burst.seq())
          .onFailure(err -> log.error("Dialogue {}: reply failed", burst.dialogue().getString("_id"), err));
    });
    return Future.all(consumer.completion(), claimedConsumer.completion());
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumer.unregister(), claimedConsumer.unregister());
  }

  private Instant now() {
    return deps.clock().instant();
  }

  /**
   * Answers the burst up to {@code seq} if it is still the latest, unanswered and unclaimed. Without
   * {@code seq} (a hand-back, a timeout) the dialogue is read first to find the burst, if one is due.
   */
  Future<Void> answer(String dialogueId, Long seq) {
    if (seq != null) return claim(dialogueId, seq);
    return dialogues.find(dialogueId).compose(d -> {
      if (d == null || !Dialogues.OPEN.equals(d.getString("state"))) return Future.succeededFuture();
      Date lastIn = d.getDate("lastInAt");
      if (lastIn != null && now().isBefore(lastIn.toInstant().plusMillis(deps.settings().burstWindowMillis()))) {
        return Future.succeededFuture(); // a later message is due its own notice
      }
      long latest = Dialogues.seq(d, "inSeq");
      return latest <= Dialogues.seq(d, "answeredSeq") ? Future.succeededFuture() : claim(dialogueId, latest);
    });
  }

  private Future<Void> claim(String dialogueId, long seq) {
    Duration lease = Duration.ofSeconds(deps.settings().replyLeaseSeconds());
    return dialogues.claimBurst(dialogueId, seq, now(), lease).compose(d -> d == null ? Future.succeededFuture() : claimed(d, seq));
  }

  /** Answers the burst up to {@code seq}, claimed for this responder; {@code d} is the dialogue as the claim left it. */
  private Future<Void> claimed(Document d, long seq) {
    return tasks.find(d.getString("task")).compose(task -> task == null ? handOver(d, "the dialogue's task is gone")
        : reply(new Burst(d, task, seq)));
  }

  private Future<Void> reply(Burst b) {
    Future<Document> profile = profiles.find(b.task().getString("ai"));
    Future<Document> manager = b.dialogue().getString("manager") == null ? Future.succeededFuture(null)
        : managers.find(b.dialogue().getString("manager"));
    return Future.all(profile, manager).compose(v -> {
      if (profile.result() == null) return handOver(b.dialogue(), "the task's AI profile is gone");
      ReplyWriter writer;
      try {
        writer = writers.of(AiProfile.from(profile.result()));
      } catch (IllegalArgumentException e) {
        return handOver(b.dialogue(), e.getMessage());
      }
      ChatContext context = Context.of(b.dialogue(), manager.result());
      BigDecimal worst = writer.worstCase(context);
      return reserve(b, worst, now(), 1).compose(r -> switch (r.verdict()) {
        case GRANTED -> write(writer, context, 1, now()).transform(ar -> ar.succeeded() ? written(b, writer, worst, ar.result())
            : spend.settle(b.id(), b.reservation(), b.task().getString("_id"), charged(ar.cause()))
                .compose(s -> handOver(b.dialogue(), "AI provider failed: " + ar.cause().getMessage())));
        case BUSY -> handOver(b.dialogue(), "the AI's earlier replies in this dialogue did not settle their spend in time");
        case REACHED -> block(b.dialogue(), SPEND_CAP_REACHED);
        case TOO_LITTLE_LEFT -> { // below the cap: say why it counts as reached
          BigDecimal limit = SpendCap.limit(b.task());
          yield block(b.dialogue(), SPEND_CAP_REACHED + ": " + Money.text(limit.subtract(r.spent())) + " of "
              + Money.text(limit) + " USD left, and a reply may cost up to " + Money.text(worst) + " USD");
        }
      });
    });
  }

  /** What a failed call cost all the same (an answer without text still reports its usage). */
  private static BigDecimal charged(Throwable err) {
    return err instanceof AiFailure f ? f.cost() : BigDecimal.ZERO;
  }

  /**
   * Reserves the call's worst case under the cap. A call that cannot cost anything reserves nothing: the
   * spend read with the claim decides. One that does not fit only because the dialogue's other calls are
   * under way waits for them to settle (their reservations may be more than they cost), with a growing
   * pause, for as long as its claim leaves time for its own call; {@code BUSY} when that ran out.
   */
  private Future<SpendCap.Reservation> reserve(Burst b, BigDecimal worst, Instant since, int attempt) {
    BigDecimal limit = SpendCap.limit(b.task());
    if (worst.signum() == 0) {
      BigDecimal spent = SpendCap.spend(b.dialogue());
      return Future.succeededFuture(new SpendCap.Reservation(spent.compareTo(limit) < 0 ? SpendCap.Verdict.GRANTED
          : SpendCap.Verdict.REACHED, spent));
    }
    return spend.reserve(b.id(), b.reservation(), worst, limit, now()).compose(r -> {
      Duration pause = Duration.ofMillis(Math.min(MAX_SPEND_WAIT_PAUSE.toMillis(), 500L << Math.min(attempt - 1, 10)));
      if (r.verdict() != SpendCap.Verdict.BUSY || !now().plus(pause).isBefore(since.plus(spendWait()))) {
        return Future.succeededFuture(r);
      }
      Promise<SpendCap.Reservation> later = Promise.promise();
      deps.scheduler().at(now().plus(pause), () -> reserve(b, worst, since, attempt + 1).onComplete(later));
      return later.future();
    });
  }

  /** How long a reservation may wait for the dialogue's other calls: half of what the claim leaves after a call. */
  private Duration spendWait() {
    Duration lease = Duration.ofSeconds(deps.settings().replyLeaseSeconds());
    return lease.minus(deps.settings().longestAiReply()).dividedBy(2);
  }

  /**
   * One call, retried after timeouts, 429 (after its Retry-After) and 5xx with a doubling backoff. A wait
   * the provider asks for that would take the reply past its longest time ({@code since}, the first call,
   * plus {@link io.parley.config.ParleyConfig.Conversation#longestAiReply}, the time the burst's claim is
   * sure to hold) ends the tries instead.
   */
  private Future<AiReply> write(ReplyWriter writer, ChatContext context, int attempt, Instant since) {
    long started = System.nanoTime();
    return writer.write(context).map(reply -> {
      metrics.reply(writer.provider(), Duration.ofNanos(System.nanoTime() - started), reply.promptTokens(),
          reply.completionTokens(), reply.cost());
      return reply;
    }).recover(err -> {
      metrics.failure(writer.provider(), charged(err));
      if (!(err instanceof AiFailure f) || !f.retryable() || attempt >= deps.settings().aiMaxAttempts()) {
        return Future.failedFuture(err);
      }
      Duration delay = f.retryAfter() != null ? f.retryAfter()
          : Duration.ofMillis(deps.settings().aiBackoffMillis() << Math.min(attempt - 1, 20));
      Instant last = since.plus(deps.settings().longestAiReply()).minusSeconds(deps.settings().aiTimeoutSeconds());
      if (now().plus(delay).isAfter(last)) {
        return Future.failedFuture(new AiFailure(f.getMessage() + ", and asked to wait " + delay.toSeconds()
            + " s: longer than a reply may take", false, null));
      }
      Promise<AiReply> later = Promise.promise();
      deps.scheduler().at(now().plus(delay), () -> write(writer, context, attempt + 1, since).onComplete(later));
      return later.future();
    });
  }

  /**
   * Settles the call's cost, then sends the reply, records a declared outcome and blocks the dialogue once
   * its spend reached the cap. A dialogue that a manager took over, or that closed (an opt-out, a manager),
   * while the AI was writing gets nothing more from it: the reply is recorded as {@code dropped}.
   */
  private Future<Void> written(Burst b, ReplyWriter writer, BigDecimal reserved, AiReply reply) {
    String taskId = b.task().getString("_id");
    boolean free = reserved.signum() == 0 && reply.cost().signum() == 0;
    // A free call still took a provider's time (a manager may have taken over meanwhile); an instant one took none.
    Future<Document> settled = !free ? spend.settle(b.id(), b.reservation(), taskId, reply.cost())
        : writer.instant() ? Future.succeededFuture(b.dialogue()) : dialogues.find(b.id());
    return settled.compose(after -> {
      String state = after == null ? GONE : after.getString("state");
      if (!Dialogues.automatic(state)) return dropped(b, writer, reply, state);
      BigDecimal spent = SpendCap.spend(after);
      Future<Document> sent = reply.text() == null ? dialogues.answered(b.id(), b.seq())
          : sender.send(b.dialogue(), reply.text(), "ai", "reply", reply.cost(), b.seq()).map(ReplySender.Sent::dialogue);
      return sent
          .compose(d -> reply.outcome() == null ? Future.succeededFuture(d) : outcome(d, reply.outcome(), b.task(), writer))
          .compose(d -> d != null && Dialogues.OPEN.equals(d.getString("state")) && spent.compareTo(SpendCap.limit(b.task())) >= 0
              ? block(d, SPEND_CAP_REACHED) : Future.succeededFuture());
    });
  }

  /** Records a reply that is not sent, with why (unless its dialogue is gone); its messages stay unanswered. */
  private Future<Void> dropped(Burst b, ReplyWriter writer, AiReply reply, String state) {
    String reason = "not sent: the dialogue became " + state + " while the AI wrote it";
    log.info("Dialogue {}: the AI's reply is {}", b.id(), reason);
    metrics.dropped(writer.provider(), state);
    if (reply.text() == null || GONE.equals(state)) return Future.succeededFuture(); // nothing to keep it in
    Document m = Dialogues.message(Ids.newId(), b.id(), "out", "ai", reply.text(), now())
        .append("cost", new Decimal128(reply.cost())).append("status", "dropped").append("reason", reason);
    return dialogues.appendOutgoing(b.dialogue(), m, false, 0).mapEmpty();
  }

  /** Records the AI's outcome, unless a manager took the dialogue over or closed it meanwhile: theirs stands. */
  private Future<Document> outcome(Document d, String outcome, Document task, ReplyWriter writer) {
    boolean close = task.getBoolean("closeOnOutcome", true);
    return dialogues.outcome(d.getString("_id"), outcome, "ai", close, now(), Dialogues.AUTOMATIC).map(after -> {
      if (after == null) {
        log.info("Dialogue {}: the AI's outcome {} is not recorded: the dialogue was taken over or closed", d.getString("_id"),
            outcome);
        metrics.overruled(writer.provider(), outcome);
        return null;
      }
      if (close) events.state(after);
      events.outcome(after, "ai");
      return after;
    });
  }

  /** Blocks the dialogue if it is still open (a manager who took it over meanwhile keeps it). */
  private Future<Void> block(Document d, String reason) {
    return dialogues.state(d.getString("_id"), Dialogues.OPEN, Dialogues.BLOCKED, reason, now()).map(after -> {
      if (after == null) return null;
      metrics.blocked("spend_cap");
      events.state(after);
      events.blocked(after);
      return null;
    });
  }

  private Future<Void> handOver(Document d, String reason) {
    log.warn("Dialogue {} handed to its manager: {}", d.getString("_id"), reason);
    return dialogues.state(d.getString("_id"), Dialogues.HUMAN, reason, now()).map(after -> {
      events.state(after);
      return null;
    });
  }
}
