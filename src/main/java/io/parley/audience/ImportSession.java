package io.parley.audience;

import io.parley.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.Map;

/**
 * One upload in progress. Lines are parsed as the bytes arrive and gathered into batches; batches are
 * written one after another while reading goes on, and the body is paused whenever two batches wait to
 * be written, so memory stays bounded however large the upload. A failure takes back what was written.
 */
final class ImportSession implements LineSink {
  private static final int MAX_QUEUED_BATCHES = 2;

  private final AudienceParser parser;
  private final BatchWriter writer;
  private final ReportBuilder report;
  private final int batchSize;
  private final long maxBytes;
  private final Promise<ImportReport> result = Promise.promise();
  private ReadStream<Buffer> body;
  private Batch batch;
  private Future<Void> writes = Future.succeededFuture();
  private int queued;
  private long bytes;
  private boolean paused;
  private boolean finished;
  private boolean failing;
  private boolean ended;

  ImportSession(AudienceParser parser, BatchWriter writer, ReportBuilder report, int batchSize, long maxBytes) {
    this.parser = parser;
    this.writer = writer;
    this.report = report;
    this.batchSize = batchSize;
    this.maxBytes = maxBytes;
    this.batch = new Batch(batchSize);
  }

  /** Reads {@code body} (which may arrive paused) through {@code decoder} to its end. */
  Future<ImportReport> run(ReadStream<Buffer> body, BodyDecoder decoder) {
    this.body = body;
    body.handler(chunk -> guarded(() -> chunk(chunk, decoder)));
    body.exceptionHandler(this::fail);
    body.endHandler(v -> guarded(() -> {
      ended = true;
      decoder.end();
      finish();
    }));
    body.resume();
    return result.future();
  }

  /** Imports lines already in memory (a task's creation body), numbered from 1. */
  Future<ImportReport> run(Iterable<String> lines) {
    guarded(() -> {
      long number = 0;
      for (String line : lines) {
        number++;
        if (line != null && !line.isBlank()) line(number, line, Map.of());
      }
      finish();
    });
    return result.future();
  }

  @Override
  public void line(long number, String value, Map<String, String> fields) {
    ParsedLine parsed = parser.parse(value);
    if (parsed instanceof ParsedLine.Target target) {
      batch.add(number, target, fields);
      if (batch.size() >= batchSize) submit();
    } else {
      report.reject(number, value.strip(), ((ParsedLine.Invalid) parsed).reason());
    }
  }

  @Override
  public void reject(long number, String value, String reason) {
    report.reject(number, value, reason);
  }

  private void chunk(Buffer chunk, BodyDecoder decoder) {
    if (finished) return;
    bytes += chunk.length();
    if (bytes > maxBytes) {
      throw new ApiError(413, "payload_too_large", "the upload is larger than " + maxBytes + " bytes", null);
    }
    decoder.feed(chunk);
    if (queued >= MAX_QUEUED_BATCHES && !paused) {
      paused = true;
      body.pause(); // backpressure: the client waits while the store catches up
    }
  }

  private void submit() {
    Batch full = batch;
    batch = new Batch(batchSize);
    queued++;
    writes = writes.compose(v -> writer.write(full)).map(written -> {
      report.written(written);
      queued--;
      if (paused && queued < MAX_QUEUED_BATCHES && !finished) {
        paused = false;
        body.resume();
      }
      return null;
    });
    writes.onFailure(this::fail);
  }

  private void finish() {
    if (finished) return;
    if (!batch.isEmpty() || batch.duplicates() > 0) submit();
    finished = true;
    writes.onSuccess(v -> {
      if (!failing) result.tryComplete(report.build());
    });
  }

  private void guarded(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  private void fail(Throwable error) {
    if (failing) return;
    failing = true;
    finished = true;
    if (body != null && !ended) body.pause();
    // let the write in flight settle, then remove whatever this upload added
    writes.transform(ignored -> writer.rollback()).onComplete(ar -> result.tryFail(error));
  }
}
