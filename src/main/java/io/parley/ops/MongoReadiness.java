package io.parley.ops;

import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/** The readiness procedure for MongoDB: UP when a {@code ping} is answered within the timeout. */
final class MongoReadiness {
  static final String NAME = "mongodb";

  private final Store store;
  private final long timeoutMillis;

  MongoReadiness(Store store, long timeoutMillis) {
    this.store = store;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Always completes the promise with a status, never fails it: the health-check handler answers a
   * failed procedure with 500, and an unreachable store is "not ready" (503), not a server error.
   */
  void check(Promise<Status> result) {
    ping().timeout(timeoutMillis, TimeUnit.MILLISECONDS).onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(Status.OK());
      } else {
        result.complete(Status.KO(new JsonObject().put("reason", "MongoDB did not answer a ping within "
            + timeoutMillis + " ms: " + describe(ar.cause()))));
      }
    });
  }

  private Future<Document> ping() {
    try {
      return Rx.first(store.database().runCommand(new Document("ping", 1)));
    } catch (RuntimeException e) { // a closed client refuses synchronously
      return Future.failedFuture(e);
    }
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    return message == null ? error.getClass().getSimpleName() : message;
  }
}
