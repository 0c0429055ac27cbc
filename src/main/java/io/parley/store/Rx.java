package io.parley.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The one place where the MongoDB driver's Reactive Streams publishers become Vert.x futures. Results
 * are handed back on the caller's Vert.x context, so handlers never run on the driver's threads.
 */
public final class Rx {
  private Rx() {}

  /** The first item, or {@code null} when the publisher completes empty. */
  public static <T> Future<T> first(Publisher<T> publisher) {
    return collect(publisher, 1).map(list -> list.isEmpty() ? null : list.get(0));
  }

  /** Every item, in order. */
  public static <T> Future<List<T>> list(Publisher<T> publisher) {
    return collect(publisher, Long.MAX_VALUE);
  }

  /** Completes when the publisher does, ignoring items. */
  public static Future<Void> done(Publisher<?> publisher) {
    return collect(publisher, Long.MAX_VALUE).mapEmpty();
  }

  /** Feeds every item to {@code each} on the caller's context and completes after the last. */
  public static <T> Future<Void> forEach(Publisher<T> publisher, Consumer<T> each) {
    return collect(publisher, Long.MAX_VALUE).map(items -> {
      items.forEach(each);
      return null;
    });
  }

  private static <T> Future<List<T>> collect(Publisher<T> publisher, long max) {
    Context context = Vertx.currentContext();
    Promise<List<T>> promise = Promise.promise();
    publisher.subscribe(new Subscriber<T>() {
      private final List<T> items = new ArrayList<>();
      private Subscription subscription;
      private boolean finished;

      @Override
      public void onSubscribe(Subscription s) {
        subscription = s;
        s.request(max);
      }

      @Override
      public void onNext(T item) {
        if (finished) return;
        items.add(item);
        if (items.size() >= max) {
          subscription.cancel();
          finish(() -> promise.tryComplete(items));
        }
      }

      @Override
      public void onError(Throwable error) {
        finish(() -> promise.tryFail(error));
      }

      @Override
      public void onComplete() {
        finish(() -> promise.tryComplete(items));
      }

      private void finish(Runnable action) {
        if (finished) return;
        finished = true;
        if (context == null) action.run();
        else context.runOnContext(v -> action.run());
      }
    });
    return promise.future();
  }
}
