package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import de.bwaldvogel.mongo.bson.Document;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Documents saved again and again are encoded once, by identity, for two generations at most. */
class DocumentEncodingsTest {
  private static final long SECOND = 1_000_000_000L;

  private final List<Document> encoded = new ArrayList<>();

  private DocumentType.Encodings encodings(int generationSize) {
    return new DocumentType.Encodings(SECOND, generationSize, d -> {
      encoded.add(d);
      return d.containsKey("unencodable") ? null : d.toString().getBytes(StandardCharsets.UTF_8);
    });
  }

  @Test
  void theSameDocumentIsEncodedOnceAndAnEqualOneAgain() {
    DocumentType.Encodings encodings = encodings(100);
    Document page = new Document("_id", "d1").append("inSeq", 3L);
    byte[] first = encodings.bytes(page, 0);
    assertSame(first, encodings.bytes(page, SECOND / 2));
    assertSame(first, encodings.bytes(page, SECOND + 1), "found in the generation before, and taken on");
    assertSame(first, encodings.bytes(page, 2 * SECOND + 2), "still kept: the current generation took it");
    assertEquals(1, encodings.encoded());

    Document next = new Document("_id", "d1").append("inSeq", 3L);
    byte[] again = encodings.bytes(next, 2 * SECOND + 3);
    assertArrayEquals(first, again);
    assertEquals(2, encodings.encoded(), "another instance is encoded: only the same instance is known never to have changed");
  }

  @Test
  void aDocumentNotWrittenForTwoGenerationsIsLetGo() {
    DocumentType.Encodings encodings = encodings(100);
    Document old = new Document("_id", "old");
    Document hot = new Document("_id", "hot");
    encodings.bytes(old, 0);
    encodings.bytes(hot, 0);
    encodings.bytes(hot, SECOND); // a new generation: hot taken on, old only in the one before
    encodings.bytes(hot, 2 * SECOND); // and another: old let go
    assertEquals(2, encodings.encoded());
    encodings.bytes(old, 2 * SECOND + 1);
    assertEquals(3, encodings.encoded(), "encoded again");
    encodings.bytes(hot, 2 * SECOND + 1);
    assertEquals(3, encodings.encoded());
  }

  @Test
  void aFullGenerationEndsEarly() {
    DocumentType.Encodings encodings = encodings(2);
    List<Document> docs = List.of(new Document("_id", 1), new Document("_id", 2), new Document("_id", 3), new Document("_id", 4));
    for (Document d : docs) encodings.bytes(d, 0);
    assertEquals(4, encodings.encoded());
    encodings.bytes(docs.get(2), 1);
    encodings.bytes(docs.get(3), 1);
    assertEquals(4, encodings.encoded(), "the last full generation is kept");
    encodings.bytes(docs.get(0), 1);
    assertEquals(5, encodings.encoded(), "the one before it is let go, whatever the time");
  }

  @Test
  void aDocumentBsonCannotCarryIsNeverKept() {
    DocumentType.Encodings encodings = encodings(100);
    Document odd = new Document("_id", "x").append("unencodable", true);
    assertNull(encodings.bytes(odd, 0));
    assertNull(encodings.bytes(odd, 1));
    assertEquals(2, encodings.encoded());
  }
}
