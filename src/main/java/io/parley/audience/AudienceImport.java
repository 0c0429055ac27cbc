package io.parley.audience;

import io.parley.App;
import io.parley.channel.Platform;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.List;

/**
 * Adds targets to a task's audience (§3): each line validated and normalized for the task's platform,
 * duplicates (in the upload or already in the task) counted once, refused lines reported with their
 * number and reason. The caller has checked that the task exists and takes an audience.
 *
 * <p>Both calls fail with an {@link io.parley.http.ApiError} for bad input (malformed body: 400, upload
 * too large: 413, task gone meanwhile: 404) and with the driver's exception if the store fails; in every
 * failure the entries already written by this call are removed again, so a failed upload adds nothing.
 */
public final class AudienceImport {
  private final App app;

  public AudienceImport(App app) {
    this.app = app;
  }

  /** Streams {@code body}, which may arrive paused, never holding more than a few batches of it. */
  public Future<ImportReport> importStream(String taskId, Platform type, ReadStream<Buffer> body, UploadFormat format) {
    ImportSession session = session(taskId, type);
    return session.run(body, BodyDecoder.of(format, session));
  }

  /** Imports lines already in memory, such as the {@code audience} of a task-creation body. */
  public Future<ImportReport> importLines(String taskId, Platform type, List<String> lines) {
    return session(taskId, type).run(lines);
  }

  private ImportSession session(String taskId, Platform type) {
    return new ImportSession(AudienceParser.forPlatform(type), new BatchWriter(app, taskId),
        new ReportBuilder(app.config().audienceMaxRejectedReported()),
        Math.min(app.config().audienceBatchSize(), AudiencePages.SIZE),
        app.config().audienceMaxUploadBytes());
  }
}
