package io.parley.followup;

import io.parley.App;
import io.parley.EventAddresses;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Parley's own follow-up tasks from what happens elsewhere: a dialogue handed to a human or blocked,
 * a contact writing into such a dialogue, a callback given up on, and (checked every
 * {@code followup.checkSeconds}) outreach dialogues nobody answered. It also runs the actions a task
 * configures for the outcome a dialogue closed with. Every task it makes has an id derived
 * from its cause, so events seen twice (or by several Parley processes) make one task.
 */
public final class FollowUpVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(FollowUpVerticle.class);
  private static final Set<String> WAITING = Set.of("human", "blocked");
  private final App app;
  private ReplyTasks replies;
  private IntegrationFailures failures;
  private QuietDialogues quiet;
  private DocumentStore messages;
  private DocumentStore dialogues;

  public FollowUpVerticle(App app) {
    this.app = app;
  }

  @Override
  public Future<?> start() {
    ManagerTaskStore tasks = new ManagerTaskStore(app.store());
    ManagerTaskEvents events = new ManagerTaskEvents(vertx);
    replies = new ReplyTasks(app, tasks, events);
    failures = new IntegrationFailures(app, tasks, new Assignees(app.store(), tasks), events);
    quiet = new QuietDialogues(app, tasks, events);
    messages = new DocumentStore(app.store(), Collections.MESSAGES);
    dialogues = new DocumentStore(app.store(), Collections.DIALOGUES);
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(EventAddresses.DIALOGUE_BLOCKED, m -> handle("blocked", blocked(m.body())));
    bus.<JsonObject>consumer(EventAddresses.DIALOGUE_UPDATED, m -> handle("updated", updated(m.body())));
    bus.<JsonObject>consumer(EventAddresses.CALLBACK_GAVE_UP, m -> handle("gave-up", failures.gaveUp(m.body())));
    OutcomeRunner outcomes = new OutcomeRunner(app, tasks, new Assignees(app.store(), tasks), events);
    bus.<JsonObject>localConsumer(EventAddresses.DIALOGUE_OUTCOME, m -> handle("dialogue outcome",
        outcomes.runForDialogue(m.body().getString("dialogueId"), m.body().getString("outcome"), m.body().getString("by"))));
    long period = app.config().followUps().checkSeconds() * 1000L;
    vertx.setPeriodic(period, period, id -> handle("quiet-dialogue check", quiet.check().mapEmpty()));
    return Future.succeededFuture();
  }

  private Future<Void> blocked(JsonObject e) {
    return replies.waiting(e.getString("dialogueId"), e.getString("manager"), ReplyTasks.reason("blocked", e.getString("reason")), null);
  }

  private Future<Void> updated(JsonObject e) {
    String dialogueId = e.getString("dialogueId");
    if (dialogueId == null) return Future.succeededFuture();
    if ("state".equals(e.getString("kind")) && "human".equals(e.getString("state"))) {
      return replies.waiting(dialogueId, e.getString("manager"), ReplyTasks.reason("human", null), null);
    }
    if (!"message".equals(e.getString("kind")) || e.getString("messageId") == null) return Future.succeededFuture();
    if (e.getString("direction") != null && e.getString("state") != null) { // the event says all that is needed
      return "in".equals(e.getString("direction")) && waits(e)
          ? replies.waiting(dialogueId, null, null, e.getString("messageId")) : Future.succeededFuture();
    }
    return messages.find(e.getString("messageId")).compose(message -> {
      if (message == null || !"in".equals(message.getString("direction"))) return Future.succeededFuture();
      return dialogues.find(dialogueId).compose(d -> d == null || !WAITING.contains(d.getString("state"))
          ? Future.succeededFuture()
          : replies.waiting(dialogueId, null, null, message.getString("_id")));
    });
  }

  /**
   * Whether the contact's message of event {@code e} waits for a person: in a dialogue handed over or blocked,
   * or in a closed one that the contact wrote into again (not a reaction, a notice or a stop word: nobody
   * answers a closed dialogue, so without a task that message would only be stored).
   */
  private static boolean waits(JsonObject e) {
    if (WAITING.contains(e.getString("state"))) return true;
    return "closed".equals(e.getString("state")) && e.getString("messageKind") == null
        && !Boolean.TRUE.equals(e.getBoolean("stopWord"));
  }

  private static void handle(String what, Future<?> work) {
    work.onFailure(err -> log.warn("Follow-up tasks: handling {} failed", what, err));
  }
}
