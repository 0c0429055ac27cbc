package io.parley.resource;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.parley.http.Api;
import io.parley.http.ApiError;
import io.parley.http.Responses;
import io.parley.store.DocumentStore;
import io.parley.store.Ids;
import io.parley.token.Role;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Date;
import org.bson.Document;

/**
 * The create, list, get, patch and delete endpoints shared by the resources outreach tasks refer to
 * (channels, AI profiles, managers, integrations). Only the mapper differs between them.
 */
public final class ResourceEndpoints {
  private final Kind kind;
  private final DocumentStore store;
  private final ResourceMapper mapper;
  private final ReferringTasks tasks;
  private final Clock clock;

  /**
   * @param path the collection's path, such as {@code /api/channels}
   * @param what the resource's name in messages, such as {@code channel}
   * @param taskField the field of a task document that refers to this kind of resource
   */
  public record Kind(String path, String what, String taskField, Role[] roles) {}

  public ResourceEndpoints(Kind kind, DocumentStore store, ResourceMapper mapper, ReferringTasks tasks, Clock clock) {
    this.kind = kind;
    this.store = store;
    this.mapper = mapper;
    this.tasks = tasks;
    this.clock = clock;
  }

  public void mount(Api api) {
    String one = kind.path() + "/:id";
    api.json(HttpMethod.POST, kind.path(), kind.roles(), this::create);
    api.route(HttpMethod.GET, kind.path(), kind.roles(), this::list);
    api.route(HttpMethod.GET, one, kind.roles(), this::get);
    api.json(HttpMethod.PATCH, one, kind.roles(), this::patch);
    api.route(HttpMethod.DELETE, one, kind.roles(), this::delete);
  }

  private void create(RoutingContext ctx, JsonObject body) {
    Date now = Date.from(clock.instant());
    Responses.reply(ctx, 201, mapper.verify(mapper.create(body)).compose(prepared -> {
      Document doc = new Document("_id", Ids.newId()).append("createdAt", now).append("updatedAt", now);
      doc.putAll(prepared.fields());
      return store.insert(doc).map(v -> mapper.toJson(doc).mergeIn(prepared.revealed()));
    }));
  }

  private void list(RoutingContext ctx) {
    Responses.replyList(ctx, store.list(Filters.empty(), Sorts.ascending("createdAt", "_id"), 0, 0)
        .map(docs -> new JsonArray(docs.stream().map(mapper::toJson).toList())));
  }

  private void get(RoutingContext ctx) {
    Responses.reply(ctx, 200, existing(ctx).map(mapper::toJson));
  }

  private void patch(RoutingContext ctx, JsonObject body) {
    Responses.reply(ctx, 200, existing(ctx).compose(stored -> mapper.verify(mapper.patch(stored, body))
        .compose(prepared -> save(stored, prepared))
        .map(mapper::toJson)));
  }

  /** Writes only if nobody changed the resource since it was read, so a patch never undoes another. */
  private Future<Document> save(Document stored, Prepared prepared) {
    Document set = new Document(prepared.fields()).append("updatedAt", Date.from(clock.instant()));
    String id = stored.getString("_id");
    return store.update(id, Filters.eq("updatedAt", stored.get("updatedAt")), new Document("$set", set))
        .compose(saved -> saved != null ? Future.succeededFuture(saved) : whyNotSaved(id));
  }

  /** Deleted meanwhile (404) or changed meanwhile (409): the caller decides whether to retry. */
  private Future<Document> whyNotSaved(String id) {
    return store.find(id).compose(current -> Future.failedFuture(current == null
        ? ApiError.notFound(kind.what(), id)
        : ApiError.conflict("modified", kind.what() + " " + id + " was changed meanwhile; read it again and retry", null)));
  }

  private void delete(RoutingContext ctx) {
    Responses.replyEmpty(ctx, existing(ctx).compose(stored -> {
      String id = stored.getString("_id");
      return tasks.requireUnused(kind.taskField(), id, kind.what())
          .compose(v -> store.delete(id))
          .compose(deleted -> deleted ? Future.succeededFuture() : Future.failedFuture(ApiError.notFound(kind.what(), id)));
    }));
  }

  private Future<Document> existing(RoutingContext ctx) {
    String id = Api.id(ctx, "id", kind.what());
    return store.find(id).compose(doc -> doc != null ? Future.succeededFuture(doc)
        : Future.failedFuture(ApiError.notFound(kind.what(), id)));
  }

  /** The common part of every answer: the public id and the ISO-8601 timestamps. */
  public static JsonObject base(Document stored) {
    return new JsonObject().put("id", stored.getString("_id"))
        .put("createdAt", stored.getDate("createdAt").toInstant().toString())
        .put("updatedAt", stored.getDate("updatedAt").toInstant().toString());
  }
}
