package io.parley.conversation;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Deploys the conversation verticles: the router, then {@code conversation.responders} AI responders. */
public final class Conversations {
  private Conversations() {}

  public static Future<Void> deploy(Vertx vertx, ConversationDeps deps) {
    ClaimedBurst.register(vertx.eventBus());
    return vertx.deployVerticle(() -> new AiResponder(deps), new DeploymentOptions().setInstances(deps.settings().responders()))
        .compose(id -> vertx.deployVerticle(new DialogueRouter(deps)))
        .mapEmpty();
  }
}
