package io.parley.dialogue;

import com.mongodb.client.model.Filters;
import io.parley.App;
import io.parley.config.ParleyConfig;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.task.TaskProgress;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the clock for dialogues nobody answers: one a manager took over but has not answered within
 * {@code dialogue.handoverTimeoutMinutes} goes back to the AI or stays, marked overdue, as its task says;
 * an outreach dialogue the contact never answered is closed with {@code no_answer} after
 * {@code dialogue.noAnswerAfterHours}. Each step is a compare-and-set, so several processes may watch.
 * A takeover waits for its manager in {@link #AWAITING_MANAGER} (the takeover's time, null once a manager
 * answered or the wait ran out), so a round reads only the takeovers that are due, however many dialogues
 * managers hold and answer.
 */
public final class DialogueWatch extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(DialogueWatch.class);
  private static final int BATCH = 500;
  /** Since when a takeover waits for its manager's first answer; null when it does not. */
  static final String AWAITING_MANAGER = "awaitingManagerSince";

  private final App app;
  private final ParleyConfig.Dialogues settings;
  private DocumentStore dialogues;
  private DocumentStore tasks;
  private TaskProgress progress;
  private DialogueService service;
  private DialogueEvents events;
  private long timer = -1;
  private boolean running;

  public DialogueWatch(App app) {
    this.app = app;
    this.settings = app.config().dialogues();
  }

  @Override
  public Future<?> start() {
    dialogues = new DocumentStore(app.store(), Collections.DIALOGUES);
    tasks = new DocumentStore(app.store(), Collections.TASKS);
    progress = new TaskProgress(app.store());
    service = new DialogueService(app);
    events = new DialogueEvents(vertx.eventBus());
    timer = vertx.setPeriodic(settings.watchSeconds() * 1000L, t -> check());
    vertx.eventBus().<io.vertx.core.json.JsonObject>localConsumer(io.parley.EventAddresses.DIALOGUE_OUTCOME,
        m -> succeeded(m.body()));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /**
   * Counts a dialogue that ended with {@code success} in its task's {@code stats.succeeded}, once per dialogue
   * however often the outcome is seen: a marker document {@code succeeded:<dialogueId>} is inserted first.
   */
  private void succeeded(io.vertx.core.json.JsonObject e) {
    if (!"success".equals(e.getString("outcome")) || e.getString("taskId") == null) return;
    Document marker = new Document("_id", "succeeded:" + e.getString("dialogueId")).append("at", new Date());
    new DocumentStore(app.store(), Collections.MANAGER_TASK_ACTIONS).insert(marker)
        .compose(v -> progress.update(e.getString("taskId"), com.mongodb.client.model.Updates.inc("stats.succeeded", 1L)))
        .onFailure(err -> {
          if (!io.parley.store.DuplicateKey.is(err)) log.warn("Could not count the success of {}", e.getString("dialogueId"), err);
        });
  }

  /** One round of both checks; rounds never overlap. */
  Future<Void> check() {
    if (running) return Future.succeededFuture();
    running = true;
    Instant now = app.clock().instant();
    return handovers(now).compose(v -> unanswered(now))
        .onFailure(err -> log.error("Dialogue watch round failed; the next round tries again", err))
        .eventually(() -> {
          running = false;
          return Future.succeededFuture();
        });
  }

  private Future<Void> handovers(Instant now) {
    if (settings.handoverTimeoutMinutes() == 0) return Future.succeededFuture();
    Duration timeout = Duration.ofMinutes(settings.handoverTimeoutMinutes());
    Date cutoff = Date.from(now.minus(timeout));
    // Takeovers stored before AWAITING_MANAGER existed are read once, by humanSince, and given it.
    Bson before = Filters.and(Filters.exists(AWAITING_MANAGER, false), Filters.lte("humanSince", cutoff),
        Filters.ne("overdue", true));
    return dialogues.list(Filters.and(Filters.eq("state", DialogueState.HUMAN.wire()),
            Filters.or(Filters.lte(AWAITING_MANAGER, cutoff), before)), null, 0, BATCH)
        .compose(found -> each(found, d -> {
          Date since = d.getDate("humanSince");
          Date answered = d.getDate("lastManagerReplyAt");
          if (since != null && answered != null && !answered.before(since)) return answeredBefore(d); // a manager did answer
          return tasks.find(d.getString("task")).compose(task -> timedOut(d, task, timeout, now));
        }));
  }

  /** A takeover of an earlier version that its manager answered: it waits for nobody, and is not read again. */
  private Future<Void> answeredBefore(Document d) {
    return dialogues.update(d.getString("_id"), Filters.and(Filters.eq("state", DialogueState.HUMAN.wire()),
        Filters.exists(AWAITING_MANAGER, false)), new Document("$set", new Document(AWAITING_MANAGER, null))).mapEmpty();
  }

  private Future<Void> timedOut(Document d, Document task, Duration timeout, Instant now) {
    String then = task == null || task.getString("afterHandoverTimeout") == null ? settings.afterHandoverTimeout()
        : task.getString("afterHandoverTimeout");
    String why = "no manager answered within " + timeout.toMinutes() + " min of the takeover";
    boolean capped = DialogueService.capReached(d, task);
    Document set = "ai".equals(then)
        ? new Document("state", capped ? DialogueState.BLOCKED.wire() : DialogueState.OPEN.wire())
            .append("stateReason", capped ? "spend cap reached" : "handed back to the AI: " + why)
        : new Document("overdue", true).append("stateReason", why);
    set.append(AWAITING_MANAGER, null);
    // still this takeover, and still unanswered (a manager's answer meanwhile wins)
    Bson waiting = Filters.or(Filters.lte(AWAITING_MANAGER, Date.from(now)), Filters.exists(AWAITING_MANAGER, false));
    return dialogues.update(d.getString("_id"), Filters.and(Filters.eq("state", DialogueState.HUMAN.wire()),
            Filters.eq("humanSince", d.getDate("humanSince")), waiting), new Document("$set", set))
        .map(updated -> {
          if (updated != null) {
            events.state(updated, now);
            if (DialogueState.OPEN.wire().equals(updated.getString("state"))) {
              vertx.eventBus().send(io.parley.EventAddresses.REPLY_DUE, new io.vertx.core.json.JsonObject()
                  .put("dialogueId", updated.getString("_id")));
            }
            if (DialogueState.BLOCKED.wire().equals(updated.getString("state"))) events.blocked(updated, now);
          }
          return null;
        });
  }

  private Future<Void> unanswered(Instant now) {
    if (settings.noAnswerAfterHours() == 0) return Future.succeededFuture();
    Date cutoff = Date.from(now.minus(Duration.ofHours(settings.noAnswerAfterHours())));
    return dialogues.list(Filters.and(Filters.eq("state", DialogueState.OPEN.wire()), Filters.eq("origin", "outreach"),
            Filters.exists("lastIncomingAt", false), Filters.lte("createdAt", cutoff)), null, 0, BATCH)
        .compose(found -> each(found, d -> service.closeWith(d, "no_answer", "system", null, now)
            .<Void>mapEmpty().recover(err -> Future.succeededFuture()))); // closed meanwhile: nothing to do
  }

  private static Future<Void> each(List<Document> docs, java.util.function.Function<Document, Future<Void>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (Document d : docs) chain = chain.compose(v -> step.apply(d));
    return chain;
  }

}
