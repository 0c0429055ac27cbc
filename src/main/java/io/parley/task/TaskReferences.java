package io.parley.task;

import io.parley.channel.Platform;
import io.parley.http.ApiError;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;

/**
 * Checks what a task points at: channels that exist, are of the task's type and can serve its format;
 * managers, the AI profile and the integration that exist. Fails with an {@link ApiError} naming the
 * offending field, e.g. {@code channels[1]}.
 */
final class TaskReferences {
  private final DocumentStore channels;
  private final DocumentStore managers;
  private final DocumentStore aiProfiles;
  private final DocumentStore integrations;

  TaskReferences(Store store) {
    this.channels = new DocumentStore(store, Collections.CHANNELS);
    this.managers = new DocumentStore(store, Collections.MANAGERS);
    this.aiProfiles = new DocumentStore(store, Collections.AI_PROFILES);
    this.integrations = new DocumentStore(store, Collections.INTEGRATIONS);
  }

  Future<Void> check(TaskDraft draft) {
    return checkChannels(draft)
        .compose(v -> checkAll(managers, "managers", "virtual manager", draft.managers()))
        .compose(v -> checkOne(aiProfiles, "ai", "AI profile", Optional.of(draft.ai())))
        .compose(v -> checkOne(integrations, "integration", "integration", draft.integration()));
  }

  private Future<Void> checkChannels(TaskDraft draft) {
    return byId(channels, draft.channels()).map(found -> {
      for (int i = 0; i < draft.channels().size(); i++) {
        String id = draft.channels().get(i);
        String field = "channels[" + i + "]";
        Document channel = found.get(id);
        if (channel == null) throw new ApiError(400, "unknown_reference", "channel " + id + " does not exist", field);
        String type = channel.getString("type");
        if (!draft.type().wire().equals(type)) {
          throw new ApiError(400, "invalid_value", "channel " + id + " is a " + type + " channel; this task's type is "
              + draft.type().wire(), field);
        }
        if (draft.format().outgoing() && !Platform.valueOf(type.toUpperCase(java.util.Locale.ROOT)).opensDialogues()) {
          throw new ApiError(400, "invalid_value", "channel " + id + " cannot open dialogues, so it cannot serve an "
              + "incoming_outgoing task", field);
        }
      }
      return null;
    });
  }

  private Future<Void> checkAll(DocumentStore store, String field, String what, List<String> ids) {
    return byId(store, ids).map(found -> {
      for (int i = 0; i < ids.size(); i++) {
        if (!found.containsKey(ids.get(i))) {
          throw new ApiError(400, "unknown_reference", what + " " + ids.get(i) + " does not exist", field + "[" + i + "]");
        }
      }
      return null;
    });
  }

  private Future<Void> checkOne(DocumentStore store, String field, String what, Optional<String> id) {
    if (id.isEmpty()) return Future.succeededFuture();
    return store.find(id.get()).map(doc -> {
      if (doc == null) throw new ApiError(400, "unknown_reference", what + " " + id.get() + " does not exist", field);
      return null;
    });
  }

  private static Future<Map<String, Document>> byId(DocumentStore store, List<String> ids) {
    return store.findAll(ids).map(docs -> {
      Map<String, Document> map = new HashMap<>();
      docs.forEach(d -> map.put(d.getString("_id"), d));
      return map;
    });
  }
}
