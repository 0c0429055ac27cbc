package io.parley.manager;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.http.ApiError;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.parley.token.Role;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** Checks that a virtual manager's operators are existing tokens of role {@code manager}. */
final class Operators {
  private final MongoCollection<Document> tokens;

  Operators(Store store) {
    this.tokens = store.collection(Collections.TOKENS);
  }

  /** Fails with 400 naming {@code operators[i]}, the first operator that is not a manager token. */
  Future<Void> requireManagers(List<String> operators) {
    if (operators.isEmpty()) return Future.succeededFuture();
    return Rx.list(tokens.find(Filters.in("id", operators)).projection(Projections.include("id", "role")))
        .compose(found -> {
          Map<String, String> roles = new HashMap<>();
          found.forEach(t -> roles.put(t.getString("id"), t.getString("role")));
          for (int i = 0; i < operators.size(); i++) {
            String role = roles.get(operators.get(i));
            if (!Role.MANAGER.wire().equals(role)) return Future.failedFuture(refusal(i, operators.get(i), role));
          }
          return Future.succeededFuture();
        });
  }

  private static ApiError refusal(int i, String id, String role) {
    String field = "operators[" + i + "]";
    return ApiError.invalid(field, role == null
        ? field + ": no token has id " + id
        : field + ": token " + id + " has role " + role + "; operators must be manager tokens");
  }
}
