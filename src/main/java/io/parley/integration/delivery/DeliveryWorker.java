package io.parley.integration.delivery;

import io.parley.App;
import io.parley.EventAddresses;
import io.parley.dispatch.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends stored callbacks when they fall due. Due times live in memory (a timer per delivery), loaded at
 * start and again every {@code callbacks.rescanSeconds}: each load reads the pending deliveries due within
 * two rescans, soonest first and at most {@link #PAGE} (a full page loads the next one when its last is
 * due), so a receiver that was down for days leaves its backlog in the store, not in every process's memory.
 * Every attempt is first claimed by {@code _id} (see {@link DeliveryStore#claim}), so any number of
 * processes may run this verticle. A claim left by a process that died mid-send expires and the delivery
 * is tried again.
 */
public final class DeliveryWorker extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
  /** At most this many deliveries are loaded at once. */
  static final int PAGE = 10_000;

  private final App app;
  private final Scheduler scheduler;
  private final RetrySchedule retries;
  private final int page;
  private final Map<String, Scheduler.Cancellable> timers = new HashMap<>();
  /** Deliveries being tried now: a load meanwhile does not schedule them again. */
  private final Set<String> sending = new HashSet<>();
  private DeliveryStore store;
  private DeliveryOutcomes outcomes;
  private DeliverySender sender;
  private Duration claimFor;
  private MessageConsumer<JsonObject> queued;
  private HttpClient client;
  private long rescanTimer = -1;
  private Duration horizon;
  private Scheduler.Cancellable nextPage;

  public DeliveryWorker(App app, Scheduler scheduler, RandomGenerator random) {
    this(app, scheduler, random, PAGE);
  }

  /** As the public constructor, loading at most {@code page} deliveries at once. */
  DeliveryWorker(App app, Scheduler scheduler, RandomGenerator random, int page) {
    this.app = app;
    this.scheduler = scheduler;
    this.retries = new RetrySchedule(random);
    this.page = page;
  }

  @Override
  public Future<?> start() {
    Duration timeout = Duration.ofSeconds(app.config().callbacks().timeoutSeconds());
    // connecting and answering may each take the timeout; the claim outlives both with room to record
    claimFor = timeout.multipliedBy(2).plusSeconds(30);
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    store = new DeliveryStore(app.store());
    outcomes = new DeliveryOutcomes(app, store);
    sender = new DeliverySender(vertx, client, app.clock(), timeout);
    queued = vertx.eventBus().localConsumer(EventAddresses.CALLBACK_QUEUED, m ->
        schedule(m.body().getString("deliveryId"), Instant.parse(m.body().getString("at"))));
    horizon = Duration.ofSeconds(app.config().callbacks().rescanSeconds()).multipliedBy(2);
    rescanTimer = vertx.setPeriodic(app.config().callbacks().rescanSeconds() * 1000L, t -> load());
    return load();
  }


  @Override
  public Future<?> stop() {
    timers.values().forEach(Scheduler.Cancellable::cancel);
    timers.clear();
    if (nextPage != null) nextPage.cancel();
    vertx.cancelTimer(rescanTimer);
    client.close();
    return queued.unregister();
  }

  /**
   * Schedules the pending deliveries due within the horizon that this process does not track or try yet. A
   * full page means more may be due: the next load comes when the page's last one is due (each load starts
   * from the soonest, and by then those before it have been tried), or in a second if it is due already.
   */
  private Future<Void> load() {
    Instant now = app.clock().instant();
    return store.pendingUntil(now.plus(horizon), page).<Void>map(found -> {
      for (Document d : found) {
        String id = d.getString("_id");
        if (!timers.containsKey(id) && !sending.contains(id)) schedule(id, due(d));
      }
      if (found.size() == page) {
        Instant last = due(found.get(found.size() - 1));
        Instant at = last.isAfter(now) ? last : now.plusSeconds(1);
        if (nextPage != null) nextPage.cancel();
        nextPage = scheduler.at(at, this::load);
      }
      return null;
    }).onFailure(err -> log.warn("Could not read the pending callbacks: {}", err.getMessage()));
  }

  private static Instant due(Document d) {
    Date at = d.getDate("nextAttemptAt");
    return at == null ? Instant.EPOCH : at.toInstant();
  }

  private void schedule(String id, Instant at) {
    Scheduler.Cancellable previous = timers.put(id, scheduler.at(at, () -> fire(id)));
    if (previous != null) previous.cancel();
  }

  private void fire(String id) {
    timers.remove(id);
    sending.add(id);
    Instant now = app.clock().instant();
    store.claim(id, now.plus(claimFor))
        .compose(before -> before == null ? Future.succeededFuture() : attempt(before, now))
        .onComplete(ar -> sending.remove(id))
        .onFailure(err -> {
          log.warn("Callback {} could not be sent; trying again in a minute: {}", id, err.getMessage());
          if (!timers.containsKey(id)) schedule(id, app.clock().instant().plusSeconds(60));
        });
  }

  /** Sends the delivery if the claim is ours and it is due; otherwise looks again when it may be. */
  private Future<Void> attempt(Document before, Instant now) {
    String id = before.getString("_id");
    Date claimedUntil = before.getDate("claimUntil");
    if (claimedUntil != null && claimedUntil.toInstant().isAfter(now)) {
      schedule(id, claimedUntil.toInstant()); // another sender holds it; if it dies, the claim expires
      return Future.succeededFuture();
    }
    if (!DeliveryStore.PENDING.equals(before.getString("status"))) return store.unclaim(id);
    if (due(before).isAfter(now)) {
      schedule(id, due(before));
      return store.unclaim(id);
    }
    return outcomes.integration(before).compose(integration -> {
      if (integration == null) return outcomes.stopped(before, "the integration was removed");
      if (!Callbacks.enabled(integration)) return outcomes.stopped(before, "the integration is disabled");
      return sender.send(id, integration.getString("url"), integration.getString("secret"), before.getString("body"))
          .compose(result -> outcomes.record(before, integration, result, retries))
          .map(next -> {
            next.ifPresent(at -> schedule(id, at));
            return null;
          });
    });
  }
}
