package io.parley.token;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Bearer tokens, stored by the SHA-256 of the token as {@code _id} so a request is authenticated with
 * one lookup by {@code _id}; the token itself is never stored.
 */
public final class TokenStore {
  private final MongoCollection<Document> tokens;
  private final Clock clock;

  public TokenStore(Store store, Clock clock) {
    this.tokens = store.collection(Collections.TOKENS);
    this.clock = clock;
  }

  /** The caller behind {@code token}, or {@code null} when the token is unknown. */
  public Future<Principal> authenticate(String token) {
    return Rx.first(tokens.find(Filters.eq("_id", Secrets.hash(token))).limit(1))
        .map(doc -> doc == null ? null : new Principal(doc.getString("id"), doc.getString("name"),
            Role.fromWire(doc.getString("role"))));
  }

  /** Creates a token and answers it in clear text: the only moment it is ever visible. */
  public Future<IssuedToken> create(String name, Role role, String source) {
    String token = Secrets.newToken();
    String id = Ids.newId();
    Document doc = new Document("_id", Secrets.hash(token)).append("id", id).append("name", name)
        .append("role", role.wire()).append("source", source).append("createdAt", Date.from(clock.instant()));
    return Rx.done(tokens.insertOne(doc)).map(v -> new IssuedToken(id, name, role, token));
  }

  /** Makes {@code token} the configured admin token, replacing a previously configured one. */
  public Future<Void> installConfiguredAdmin(String token) {
    String hash = Secrets.hash(token);
    Document doc = new Document("_id", hash).append("id", "admin-configured").append("name", "admin (configured)")
        .append("role", Role.ADMIN.wire()).append("source", "config").append("createdAt", Date.from(clock.instant()));
    return Rx.done(tokens.deleteMany(Filters.and(Filters.eq("source", "config"), Filters.ne("_id", hash))))
        .compose(v -> Rx.done(tokens.replaceOne(Filters.eq("_id", hash), doc, new ReplaceOptions().upsert(true))));
  }

  public Future<Boolean> anyAdmin() {
    return Rx.first(tokens.find(Filters.eq("role", Role.ADMIN.wire())).limit(1)).map(d -> d != null);
  }

  public Future<List<Document>> list() {
    return Rx.list(tokens.find().sort(Sorts.ascending("createdAt")));
  }

  /** Deletes by public id; answers whether a token was deleted. */
  public Future<Boolean> delete(String id) {
    return Rx.first(tokens.deleteOne(Filters.eq("id", id))).map(r -> r.getDeletedCount() > 0);
  }

  public record IssuedToken(String id, String name, Role role, String token) {}
}
