package io.parley.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the resource API tests share: one Parley per test class, its HTTP client, direct store access for
 * before/after comparisons, a marketer's token, and the check that a refused create changes nothing.
 * (Test classes run one after another, so the static fields belong to whichever class is running.)
 */
public abstract class ResourceApiTest {
  protected static TestParley parley;
  protected static Http http;
  protected static DirectStore db;
  protected static String marketer;

  @BeforeAll
  static void startParley() {
    parley = TestParley.start();
    http = parley.http();
    db = new DirectStore(parley);
    marketer = parley.token("marketer");
  }

  @AfterAll
  static void stopParley() {
    parley.close();
  }

  /** POSTs {@code body} to {@code path}: 400 with {@code code} naming {@code field}, and {@code collection} unchanged. */
  protected static void assertRefusedCreate(String path, String collection, JsonObject body, String code, String field) {
    List<Document> before = db.all(collection);
    Http.Response r = http.post(path, marketer, body);
    assertEquals(400, r.status(), r.toString());
    assertEquals(code, r.error().getString("code"), r.toString());
    assertEquals(field, r.error().getString("field"), r.toString());
    assertEquals(before, db.all(collection));
  }
}
