package io.parley.dispatch;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.parley.channel.Channel;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link ChannelDispatcher} per active channel on whichever Parley process holds that channel's
 * lease: takes free or expired leases, renews its own every third of the lease time, stops a dispatcher
 * whose lease was lost, and restarts one whose channel settings changed. Processes announce themselves
 * with a heartbeat, and each holds at most its fair share of the channels, handing extras back.
 */
public final class DispatcherSupervisor extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(DispatcherSupervisor.class);

  private record Running(String deploymentId, ChannelDispatcher dispatcher, Date version) {}

  private final ChannelDispatcher.Deps deps;
  private final Function<Document, Optional<Channel>> channels;
  private final String owner = "parley-" + UUID.randomUUID();
  private final Map<String, Running> running = new java.util.concurrent.ConcurrentHashMap<>();
  private ChannelLease lease;
  private TargetClaims claims;
  private long periodic = -1;
  private boolean ticking;
  private boolean renewing;
  /** When this process's leases were last written (each taken or renewed lease runs from then). */
  private final Map<String, Instant> takenAt = new HashMap<>();
  private Instant lastRenewed = Instant.MIN;

  /** {@code channels} makes the platform client for a channel document, or nothing if none exists yet. */
  public DispatcherSupervisor(ChannelDispatcher.Deps deps, Function<Document, Optional<Channel>> channels) {
    this.deps = deps;
    this.channels = channels;
  }

  public String owner() {
    return owner;
  }

  @Override
  public Future<?> start() {
    lease = new ChannelLease(deps.store());
    claims = new TargetClaims(deps.store());
    long every = Math.max(500, deps.settings().leaseSeconds() * 1000L / 3);
    return tick().onSuccess(v -> periodic = vertx.setPeriodic(every, t -> {
      if (ticking) renewOnly();
      else tick();
    }));
  }

  @Override
  public Future<?> stop() {
    if (periodic >= 0) vertx.cancelTimer(periodic);
    List<Future<?>> stops = new ArrayList<>();
    stops.add(Rx.done(deps.store().collection(Collections.INSTANCES).deleteOne(Filters.eq("_id", owner))));
    for (var e : running.entrySet()) {
      stops.add(vertx.undeploy(e.getValue().deploymentId()).compose(v -> lease.release(e.getKey(), owner)));
    }
    running.clear();
    return Future.join(stops);
  }

  private Future<Void> tick() {
    if (ticking) return Future.succeededFuture();
    ticking = true;
    return heartbeat()
        .compose(live -> Rx.list(deps.store().collection(Collections.CHANNELS).find(Filters.eq("state", "active")))
            .compose(active -> reconcile(active, live)))
        .onFailure(err -> log.error("Cannot reconcile channel leases", err))
        .eventually(() -> {
          ticking = false;
          return Future.succeededFuture();
        });
  }

  /**
   * A tick is still under way (taking many leases on a busy store can outlast the lease time): the leases
   * held are renewed meanwhile, so running dispatchers do not stop waiting for it.
   */
  private void renewOnly() {
    if (renewing) return;
    renewing = true;
    Instant now = deps.clock().instant();
    Duration ttl = Duration.ofSeconds(deps.settings().leaseSeconds());
    lease.renewAll(owner, now, ttl)
        .onSuccess(held -> {
          lastRenewed = now;
          for (var e : running.entrySet()) {
            if (held.contains(e.getKey())) e.getValue().dispatcher().leaseUntil(leaseEnd(now, ttl));
          }
        })
        .onFailure(err -> log.error("Cannot renew channel leases", err))
        .onComplete(ar -> renewing = false);
  }

  /** Until when a dispatcher may send on a lease written at {@code from}: a second short of its expiry. */
  private static Instant leaseEnd(Instant from, Duration ttl) {
    return from.plus(ttl).minusSeconds(1);
  }

  /** Records this process as alive; answers how many processes are. */
  private Future<Long> heartbeat() {
    Instant now = deps.clock().instant();
    var instances = deps.store().collection(Collections.INSTANCES);
    Date staleBefore = Date.from(now.minusSeconds(deps.settings().leaseSeconds()));
    return Rx.done(instances.updateOne(Filters.eq("_id", owner), Updates.set("heartbeatAt", Date.from(now)),
            new UpdateOptions().upsert(true)))
        .compose(v -> Rx.done(instances.deleteMany(Filters.lt("heartbeatAt", staleBefore))))
        .compose(v -> Rx.first(instances.countDocuments()))
        .map(n -> Math.max(1L, n));
  }

  private Future<Void> reconcile(List<Document> active, long live) {
    Set<String> seen = new HashSet<>();
    List<Document> dispatchable = new ArrayList<>();
    for (Document doc : active) {
      if (channels.apply(doc).isPresent()) {
        dispatchable.add(doc);
        seen.add(doc.getString("_id"));
      }
    }
    long share = (dispatchable.size() + live - 1) / live;
    Future<Void> chain = Future.succeededFuture();
    for (String id : new ArrayList<>(running.keySet())) {
      if (!seen.contains(id)) chain = chain.compose(v -> stopDispatcher(id, true));
    }
    // Hand back what is above this process's share, so a process that joins gets channels to run.
    List<String> extra = new ArrayList<>(running.keySet());
    extra.retainAll(seen);
    for (int i = (int) share; i < extra.size(); i++) {
      String id = extra.get(i);
      chain = chain.compose(v -> stopDispatcher(id, true));
    }
    List<Document> taken = new ArrayList<>();
    Instant now = deps.clock().instant();
    Duration ttl = Duration.ofSeconds(deps.settings().leaseSeconds());
    return chain.compose(v -> lease.renewAll(owner, now, ttl)).compose(held -> {
      lastRenewed = now;
      // Running dispatchers hear of their renewal before any lease is taken: taking hundreds of leases one
      // by one on a busy store can outlast the lease time, and the running ones would stop meanwhile.
      Future<Void> steps = Future.succeededFuture();
      List<Document> others = new ArrayList<>();
      for (Document doc : dispatchable) {
        String id = doc.getString("_id");
        if (running.containsKey(id)) {
          steps = steps.compose(v -> held.contains(id) ? renewed(id, doc, now, ttl) : stopDispatcher(id, false));
        } else if (held.contains(id)) {
          taken.add(doc); // held from before, e.g. after a dispatcher was restarted: start it again
        } else {
          others.add(doc);
        }
      }
      for (Document doc : others) {
        steps = steps.compose(v -> running.size() + taken.size() < share ? take(doc.getString("_id"), doc, taken) : Future.succeededFuture());
      }
      return steps;
    }).compose(v -> startTaken(taken));
  }

  /**
   * Starts dispatchers on the channels this tick took over, after turning the claims their previous
   * holder left in flight into {@code unknown} (one scan for all of them).
   */
  private Future<Void> startTaken(List<Document> taken) {
    if (taken.isEmpty()) return Future.succeededFuture();
    Instant now = deps.clock().instant();
    Duration ttl = Duration.ofSeconds(deps.settings().leaseSeconds());
    List<String> ids = taken.stream().map(d -> d.getString("_id")).toList();
    return claims.recover(ids, owner, now).compose(n -> {
      if (n > 0) log.warn("{} sends interrupted by a stopped process are now unknown", n);
      Future<Void> started = Future.succeededFuture();
      for (Document doc : taken) {
        Optional<Channel> channel = channels.apply(doc);
        if (channel.isEmpty()) continue;
        // the lease runs from when it was last written, not from now: a long tick may have taken it long ago
        Instant from = takenAt.getOrDefault(doc.getString("_id"), now);
        takenAt.remove(doc.getString("_id"));
        Instant since = from.isAfter(lastRenewed) ? from : lastRenewed;
        started = started.compose(v -> startDispatcher(doc.getString("_id"), channel.get(), doc.getDate("updatedAt"), since, ttl));
      }
      return started;
    });
  }

  /** Takes the lease on a channel nobody (alive) holds; a channel taken is added to {@code taken}. */
  private Future<Void> take(String id, Document doc, List<Document> taken) {
    Instant now = deps.clock().instant();
    return lease.hold(id, owner, now, Duration.ofSeconds(deps.settings().leaseSeconds())).map(held -> {
      if (held) {
        taken.add(doc);
        takenAt.put(id, now);
      }
      return null;
    });
  }

  /** A renewed channel: its dispatcher goes on, restarted with a fresh client if the settings changed. */
  private Future<Void> renewed(String id, Document doc, Instant now, Duration ttl) {
    Running current = running.get(id);
    if (java.util.Objects.equals(current.version(), doc.getDate("updatedAt"))) {
      current.dispatcher().leaseUntil(leaseEnd(now, ttl));
      return Future.succeededFuture();
    }
    Optional<Channel> channel = channels.apply(doc);
    return stopDispatcher(id, false).compose(v -> channel.isEmpty() ? Future.succeededFuture()
        : startDispatcher(id, channel.get(), doc.getDate("updatedAt"), now, ttl));
  }

  private Future<Void> startDispatcher(String id, Channel channel, Date version, Instant now, Duration ttl) {
    ChannelDispatcher dispatcher = new ChannelDispatcher(id, channel, owner, deps);
    dispatcher.leaseUntil(leaseEnd(now, ttl));
    return vertx.deployVerticle(dispatcher).map(deploymentId -> {
      running.put(id, new Running(deploymentId, dispatcher, version));
      log.info("Dispatching channel {} on this process", id);
      return null;
    });
  }

  private Future<Void> stopDispatcher(String id, boolean release) {
    Running current = running.remove(id);
    if (current == null) return Future.succeededFuture();
    Future<Void> undeployed = vertx.undeploy(current.deploymentId());
    return release ? undeployed.compose(v -> lease.release(id, owner)) : undeployed;
  }

  /** Channels dispatched here now (for tests and the health of a multi-instance setup). */
  public Set<String> channels() {
    return Set.copyOf(running.keySet());
  }

}
