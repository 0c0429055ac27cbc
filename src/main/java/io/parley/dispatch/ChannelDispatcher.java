package io.parley.dispatch;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.EventAddresses;
import io.parley.audience.TargetState;
import io.parley.channel.Channel;
import io.parley.channel.ChannelState;
import io.parley.channel.ChannelStore;
import io.parley.channel.OutgoingMessage;
import io.parley.channel.SendResult;
import io.parley.config.ParleyConfig;
import io.parley.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens outreach dialogues on one channel, for every running task that uses it, one at a time: the
 * {@link ChannelPlanner} says which task and when; a daily slot is taken, a target claimed, the opening
 * message sent and its outcome recorded. Runs on exactly one process, the holder of the channel's lease.
 *
 * <p>Claiming takes a few store round trips, whose time varies with the store's load. So that the message
 * still leaves when it is due, the claim starts a little ahead ({@link #lead()}, from how long recent claims
 * took) and the send waits for the due time; the pause is counted from when the previous message actually
 * left, so two messages are never closer than the pause.
 */
public final class ChannelDispatcher extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ChannelDispatcher.class);
  private static final int CLAIM_HISTORY = 16;
  private static final long MAX_LEAD_MILLIS = 1000;

  /** What every dispatcher is built from; {@code pages} is shared by the dispatchers of one process. */
  public record Deps(Store store, Clock clock, Scheduler scheduler, MeterRegistry registry, ParleyConfig.Dispatch settings,
      PageCache pages) {
    /** Pages for 64 × 1,000 addresses: every page any task's dispatchers are working through, for dozens of tasks. */
    private static final int PAGES = 64;

    public Deps(Store store, Clock clock, Scheduler scheduler, MeterRegistry registry, ParleyConfig.Dispatch settings) {
      this(store, clock, scheduler, registry, settings, new PageCache(PAGES));
    }
  }

  private record Attempt(TargetClaims.Claim claim, TaskPlan plan, Document task, OutgoingMessage message, LocalDate day,
      int number, Instant notBefore) {}

  private final String channelId;
  private final Channel channel;
  private final String owner;
  private final Deps deps;
  private final ChannelPlanner planner = new ChannelPlanner();
  private final Deque<Attempt> retries = new ArrayDeque<>();
  private TargetClaims claims;
  private DailyLimit limit;
  private DialogueRecorder recorder;
  private TaskCompletion completion;
  private RunningTasks running;
  private DispatchMetrics metrics;
  private io.parley.store.DocumentStore suppressions;
  private MessageConsumer<JsonObject> statusConsumer;
  private Scheduler.Cancellable timer;
  private Instant timerAt;
  private Instant refreshAt;
  private boolean busy;
  private boolean stopped;
  private volatile Instant leaseUntil = Instant.MAX;
  /** How long the last few claims took, in ms, to know how far ahead to start the next one. */
  private final long[] claimMillis = new long[CLAIM_HISTORY];
  private int claimCount;
  /** A claimed opening waiting for its due time, and the timer that sends it. */
  private Attempt onHold;
  private Scheduler.Cancellable holdTimer;
  private Promise<Void> holdDone;

  public ChannelDispatcher(String channelId, Channel channel, String owner, Deps deps) {
    this.channelId = channelId;
    this.channel = channel;
    this.owner = owner;
    this.deps = deps;
  }

  /** Set by the lease holder after each renewal; past it the dispatcher sends nothing. */
  public void leaseUntil(Instant until) {
    this.leaseUntil = until;
  }

  @Override
  public Future<?> start() {
    claims = new TargetClaims(deps.store(), deps.pages());
    limit = new DailyLimit(deps.store());
    recorder = new DialogueRecorder(deps.store());
    suppressions = new io.parley.store.DocumentStore(deps.store(), io.parley.store.Collections.SUPPRESSIONS);
    completion = new TaskCompletion(deps.store(), vertx, claims);
    running = new RunningTasks(deps.store());
    metrics = new DispatchMetrics(deps.registry(), channelId);
    statusConsumer = vertx.eventBus().<JsonObject>localConsumer(EventAddresses.TASK_STATUS, m -> refresh());
    return loadTasks();
  }

  /**
   * Stops dispatching. Messages waiting for a retry may or may not have reached the platform on their
   * last try, so like any interrupted send they end {@code unknown}, never resent behind the marketer's back.
   */
  @Override
  public Future<?> stop() {
    stopped = true;
    if (timer != null) timer.cancel();
    Future<Void> ended = releaseOnHold();
    for (Attempt waiting : retries) {
      ended = ended.compose(v -> claims.end(waiting.claim(), TargetState.UNKNOWN, TargetClaims.INTERRUPTED, now()));
    }
    retries.clear();
    return ended.compose(v -> statusConsumer.unregister());
  }

  private Instant now() {
    return deps.clock().instant();
  }

  private Future<Void> loadTasks() {
    refreshAt = now().plusSeconds(deps.settings().refreshSeconds());
    return running.forChannel(channelId).map(docs -> {
      planner.setTasks(docs.stream().map(RunningTasks::plan).toList());
      kick();
      return null;
    });
  }

  private void refresh() {
    if (stopped) return;
    loadTasks().onFailure(err -> {
      log.error("Channel {}: cannot read running tasks; trying again shortly", channelId, err);
      wakeAt(now().plusSeconds(5));
    });
  }

  /** Decides what to do now, unless an attempt is under way (its end kicks again). */
  private void kick() {
    if (busy || stopped) return;
    Instant now = now();
    if (!now.isBefore(refreshAt)) {
      refresh();
      return;
    }
    if (now.isAfter(leaseUntil)) {
      wakeAt(now.plusSeconds(1));
      return;
    }
    // A waiting retry goes first once due. Until then new dialogues may open: a channel-wide wait is
    // already in the planner, and a recipient-only wait holds back that recipient alone.
    Instant retryDue = null;
    for (Attempt retry : retries) {
      Instant due = later(retry.notBefore(), planner.retryAt(retry.plan(), now));
      if (!due.isAfter(now)) {
        retries.remove(retry);
        run(send(retry, now), now);
        return;
      }
      if (retryDue == null || due.isBefore(retryDue)) retryDue = due;
    }
    Duration lead = lead();
    ChannelPlanner.Decision decision = planner.next(now.plus(lead));
    if (decision.task().isPresent()) {
      TaskPlan task = decision.task().get();
      run(open(task, now, later(now, planner.eligibleAt(task, now))), now);
      return;
    }
    Instant next = decision.wakeAt() == null ? null : decision.wakeAt().minus(lead);
    wakeAt(retryDue == null || (next != null && next.isBefore(retryDue)) ? next : retryDue);
  }

  /**
   * How far ahead of its due time a claim starts: half again the longest of the last few, at most a second,
   * and at least {@code dispatch.claimAheadMillis}.
   */
  private Duration lead() {
    long longest = 0;
    for (int i = 0; i < Math.min(claimCount, CLAIM_HISTORY); i++) longest = Math.max(longest, claimMillis[i]);
    return Duration.ofMillis(Math.max(deps.settings().claimAheadMillis(), Math.min(MAX_LEAD_MILLIS, longest + longest / 2)));
  }

  private void claimTook(Instant started) {
    claimMillis[claimCount++ % CLAIM_HISTORY] = Math.max(0, Duration.between(started, now()).toMillis());
  }

  /** Runs one attempt; the dispatcher is busy until it ends, whichever way. */
  private void run(Future<Void> attempt, Instant now) {
    busy = true;
    attempt.onComplete(ar -> {
      if (ar.failed()) {
        log.error("Channel {}: dispatch step failed; trying again shortly", channelId, ar.cause());
        planner.blockUntil(now.plusSeconds(5));
      }
      busy = false;
      kick();
    });
  }

  /** Sleeps until {@code at} (bounded by the next refresh), keeping an earlier wake-up already set. */
  private void wakeAt(Instant at) {
    Instant target = at == null || at.isAfter(refreshAt) ? refreshAt : at;
    vertx.eventBus().publish(EventAddresses.DISPATCHER_SLEEPING, new JsonObject().put("channel", channelId)
        .put("until", (timer != null && timerAt.isBefore(target) ? timerAt : target).toString()));
    if (timer != null && !timerAt.isAfter(target)) return;
    if (timer != null) timer.cancel();
    timerAt = target;
    timer = deps.scheduler().at(target, () -> {
      timer = null;
      timerAt = null;
      kick();
    });
  }

  /**
   * Claims the task's next target (the claim also reads whether the task still runs, so a pause made on
   * any process stops it here), then takes a slot of the day's limit, then, once both are saved, sends at
   * {@code due}.
   */
  private Future<Void> open(TaskPlan plan, Instant now, Instant due) {
    LocalDate day = TaskPlan.utcDay(due);
    return claims.claimNext(plan.taskId(), channelId, owner, now).compose(found -> {
      if (found.task() == null || !found.running()) return loadTasks();
      if (found.claim() == null) return nothingToSend(plan, now);
      TargetClaims.Claim claim = found.claim();
      // whether the contact opted out and a slot of the day's limit, asked together: one round trip's wait
      Future<Document> optedOut = suppressions.find(claim.address());
      Future<Integer> slot = limit.take(channelId, day, plan.dailyLimit());
      return Future.join(optedOut, slot).transform(ignored -> {
        if (optedOut.failed() || slot.failed()) {
          Future<Void> back = slot.succeeded() && slot.result() > 0 ? limit.giveBack(channelId, day) : Future.succeededFuture();
          return back.compose(v -> claims.release(claim))
              .compose(v -> Future.failedFuture(optedOut.failed() ? optedOut.cause() : slot.cause()));
        }
        int used = slot.result();
        if (optedOut.result() != null) {
          return (used > 0 ? limit.giveBack(channelId, day) : Future.<Void>succeededFuture()).compose(v -> skipOptedOut(claim, now));
        }
        metrics.remainingToday(used == 0 ? 0 : plan.dailyLimit() - used);
        if (used == 0) {
          planner.limitReached(plan.taskId(), now);
          return claims.release(claim);
        }
        // The claim and the slot outlive a kill before the opening leaves: a restart finds the target claimed
        // (interrupted), never pending again, so it is not sent twice. Within the lead, so no later.
        return deps.store().saved().compose(v -> {
          claimTook(now);
          return sendAt(new Attempt(claim, plan, found.task(), OpeningText.of(found.task()).message(claim), day, 1, due), due);
        });
      });
    });
  }

  /** Sends a freshly claimed opening at its due time (now, if that has passed). */
  private Future<Void> sendAt(Attempt a, Instant due) {
    if (!now().isBefore(due)) return sendClaimed(a);
    Promise<Void> sent = Promise.promise();
    onHold = a;
    holdDone = sent;
    holdTimer = deps.scheduler().at(due, () -> {
      if (onHold != a) return; // released by stop()
      onHold = null;
      holdTimer = null;
      holdDone = null;
      sendClaimed(a).onComplete(sent);
    });
    return sent.future();
  }

  /**
   * Sends a new opening unless, since it was claimed, the lease ran out or its task stopped running here;
   * then the target goes back to pending, untried, with its daily slot.
   */
  private Future<Void> sendClaimed(Attempt a) {
    Instant now = now();
    boolean stillRunning = planner.tasks().stream().anyMatch(t -> t.taskId().equals(a.plan().taskId()));
    if (stopped || now.isAfter(leaseUntil) || !stillRunning) {
      return claims.release(a.claim()).compose(v -> limit.giveBack(channelId, a.day()));
    }
    metrics.lag(Duration.between(a.notBefore(), now).toMillis() / 1000.0);
    return send(a, now);
  }

  /** At stop, an opening claimed but not yet sent goes back to pending with its slot. */
  private Future<Void> releaseOnHold() {
    Attempt held = onHold;
    if (held == null) return Future.succeededFuture();
    Promise<Void> done = holdDone;
    onHold = null;
    holdDone = null;
    if (holdTimer != null) holdTimer.cancel();
    holdTimer = null;
    return claims.release(held.claim()).compose(v -> limit.giveBack(channelId, held.day())).onComplete(done);
  }

  /** The contact opted out (a stop word on any channel) after the audience was uploaded: never messaged. */
  private Future<Void> skipOptedOut(TargetClaims.Claim claim, Instant now) {
    return claims.end(claim, TargetState.SKIPPED, "opted out", now)
        .compose(v -> completion.afterSend(claim.taskId(), now))
        .compose(done -> done ? loadTasks() : Future.succeededFuture());
  }

  private Future<Void> nothingToSend(TaskPlan plan, Instant now) {
    planner.idle(plan.taskId(), now.plusSeconds(deps.settings().idleRecheckSeconds()));
    return completion.verify(plan.taskId(), now).compose(completed -> completed ? loadTasks() : Future.succeededFuture());
  }

  private Future<Void> send(Attempt attempt, Instant now) {
    planner.attempted(now);
    return channel.send(attempt.message())
        .recover(err -> Future.succeededFuture(new SendResult.RetryLater(Duration.ofSeconds(30), "internal error: " + err)))
        .compose(result -> record(attempt, result));
  }

  private Future<Void> record(Attempt a, SendResult result) {
    Instant now = now();
    if (result instanceof SendResult.Accepted accepted) {
      metrics.result("accepted");
      metrics.opened();
      return claims.sent(a.claim(), accepted.platformMessageId(), now)
          .compose(task -> recordDialogue(a, accepted.platformMessageId(), now).map(task))
          .onSuccess(task -> deps.store().saveSoon()) // a kill losing these would leave the sent opening unknown, in no dialogue
          .compose(task -> completion.afterSend(task, now))
          .compose(done -> done ? loadTasks() : Future.succeededFuture());
    }
    if (result instanceof SendResult.RetryLater retry) {
      metrics.result("retry");
      if (!retry.recipientOnly()) planner.blockUntil(now.plus(retry.delay()));
      if (a.number() >= deps.settings().maxAttempts()) {
        return endWithout(a, TargetState.FAILED, "gave up after " + a.number() + " attempts: " + retry.reason(), now);
      }
      retries.add(new Attempt(a.claim(), a.plan(), a.task(), a.message(), a.day(), a.number() + 1, now.plus(retry.delay())));
      return Future.succeededFuture();
    }
    if (result instanceof SendResult.AuthFailed refused) {
      metrics.result("auth_failed");
      return authFailed(a, refused.reason(), now);
    }
    if (result instanceof SendResult.Held held) {
      metrics.result("failed");
      return endWithout(a, TargetState.FAILED, held.reason(), now);
    }
    if (result instanceof SendResult.Unreachable unreachable) {
      metrics.result("unreachable");
      return endWithout(a, TargetState.SKIPPED, "unreachable: " + unreachable.reason(), now);
    }
    metrics.result("failed");
    return endWithout(a, TargetState.FAILED, ((SendResult.Failed) result).reason(), now);
  }

  /**
   * The platform refused the channel's credentials: the target goes back to pending with its daily slot,
   * the channel is marked {@code auth_failed} for the marketer, and this dispatcher sends nothing more
   * (the supervisor stops it, as it dispatches active channels only).
   */
  private Future<Void> authFailed(Attempt a, String reason, Instant now) {
    log.warn("Channel {}: credentials refused ({}); channel paused until they are fixed", channelId, reason);
    stopped = true;
    if (timer != null) timer.cancel();
    return claims.release(a.claim())
        .compose(v -> limit.giveBack(channelId, a.day()))
        .compose(v -> new ChannelStore(deps.store()).markState(channelId, ChannelState.AUTH_FAILED, reason, now));
  }

  /** Ends a target that got no dialogue; its daily slot goes back, since no dialogue was opened. */
  private Future<Void> endWithout(Attempt a, TargetState state, String reason, Instant now) {
    return claims.end(a.claim(), state, reason, now)
        .compose(v -> limit.giveBack(channelId, a.day()))
        .compose(v -> completion.afterSend(a.claim().taskId(), now))
        .compose(done -> done ? loadTasks() : Future.succeededFuture());
  }

  private Future<Void> recordDialogue(Attempt a, String platformId, Instant now) {
    List<String> managers = a.task().getList("managers", String.class);
    boolean leastLoaded = "least_loaded".equals(a.task().getString("managerAssignment"));
    Future<String> manager = managers == null || managers.isEmpty() ? Future.succeededFuture(null)
        : recorder.assignManager(a.claim().taskId(), managers, leastLoaded);
    return manager.compose(m -> recorder.opened(new DialogueRecorder.Opening(a.claim(), channelId, m,
        a.message().text(), platformId), now));
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
