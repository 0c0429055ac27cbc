package io.parley.store;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * How the embedded store keeps documents on disk: as BSON, the form they crossed the wire in, instead of
 * H2's default Java serialisation, which cost a fresh {@code ObjectOutputStream} per document whenever a
 * page was saved and several times the bytes. A document BSON cannot carry (none of Parley's) is kept
 * Java-serialised, marked as such.
 * Documents are written on H2's own thread while the store goes on: {@link EmbeddedCollection} makes sure
 * a stored document is never changed after it was put.
 *
 * <p>H2 saves a changed page whole, so each save would encode again every unchanged document that shares a
 * page with a changed one: with a few dialogues answered many times a second, most of the encoding was of
 * documents encoded a moment before. Their bytes are kept for a while ({@link Encodings}), by identity: a
 * stored document never changes, so the same instance has the same bytes.
 */
final class DocumentType extends BasicDataType<Document> {

  private static final byte BSON = 'B';
  private static final byte SERIALIZED = 'J';
  /** Pages are saved on H2's own thread, one at a time: one scratch buffer each thread. */
  private static final ThreadLocal<ByteBuf> SCRATCH = ThreadLocal.withInitial(() -> Unpooled.buffer(4096));
  private static final ThreadLocal<Encodings> ENCODINGS =
      ThreadLocal.withInitial(() -> new Encodings(1_000_000_000L, 4_096, DocumentType::bson));

  static final DocumentType INSTANCE = new DocumentType();

  private DocumentType() {}

  @Override
  public Document[] createStorage(int size) {
    return new Document[size];
  }

  @Override
  public int getMemory(Document document) {
    return 64 + estimate(document);
  }

  private static int estimate(Object value) {
    if (value instanceof String s) return 40 + 2 * s.length();
    if (value instanceof Map<?, ?> map) {
      int bytes = 48;
      for (Map.Entry<?, ?> entry : map.entrySet()) bytes += 32 + estimate(entry.getKey()) + estimate(entry.getValue());
      return bytes;
    }
    if (value instanceof Collection<?> list) {
      int bytes = 40;
      for (Object item : list) bytes += 8 + estimate(item);
      return bytes;
    }
    return 24;
  }

  @Override
  public void write(WriteBuffer buff, Document document) {
    byte[] bson = ENCODINGS.get().bytes(document, System.nanoTime());
    if (bson != null) {
      buff.put(BSON).putVarInt(bson.length).put(bson);
    } else {
      byte[] bytes = JavaSerialized.bytes(document);
      buff.put(SERIALIZED).putVarInt(bytes.length).put(bytes);
    }
  }

  /** The document as BSON, or null when BSON cannot carry it. */
  private static byte[] bson(Document document) {
    ByteBuf scratch = SCRATCH.get().clear();
    try {
      BsonEncoder.encodeDocument(document, scratch);
    } catch (IllegalArgumentException notBson) {
      return null;
    }
    byte[] bytes = new byte[scratch.readableBytes()];
    scratch.readBytes(bytes);
    return bytes;
  }

  /**
   * The encodings of the documents one thread wrote lately, by identity, in two generations: the current
   * one, which takes every document encoded or found in the one before, and the one before. A generation ends
   * after {@code generationNanos} or once it holds {@code generationSize} documents; what the one before held
   * and the current one did not take is then let go, and is encoded again if written again. So a document
   * saved again and again stays encoded once, and at most two generations of documents, old versions among
   * them, are held here. Not thread-safe: one per saving thread.
   */
  static final class Encodings {
    private final long generationNanos;
    private final int generationSize;
    private final Function<Document, byte[]> encoder;
    private IdentityHashMap<Document, byte[]> current = new IdentityHashMap<>();
    private IdentityHashMap<Document, byte[]> previous = new IdentityHashMap<>();
    private long started = Long.MIN_VALUE;
    private long encoded;

    Encodings(long generationNanos, int generationSize, Function<Document, byte[]> encoder) {
      this.generationNanos = generationNanos;
      this.generationSize = generationSize;
      this.encoder = encoder;
    }

    /** The bytes of {@code document} at {@code now} (nanoseconds, as {@link System#nanoTime}); null when not encodable. */
    byte[] bytes(Document document, long now) {
      if (started == Long.MIN_VALUE) started = now;
      if (now - started >= generationNanos || current.size() >= generationSize) {
        previous = current;
        current = new IdentityHashMap<>();
        started = now;
      }
      byte[] bytes = current.get(document);
      if (bytes != null) return bytes;
      bytes = previous.get(document);
      if (bytes == null) {
        bytes = encoder.apply(document);
        encoded++;
        if (bytes == null) return null;
      }
      current.put(document, bytes);
      return bytes;
    }

    /** How many documents were encoded (not found). */
    long encoded() {
      return encoded;
    }
  }

  private static Document serialized(ByteBuffer slice) {
    byte[] bytes = new byte[slice.remaining()];
    slice.get(bytes);
    return (Document) JavaSerialized.value(bytes);
  }

  @Override
  public Document read(ByteBuffer buff) {
    byte tag = buff.get();
    int length = DataUtils.readVarInt(buff);
    ByteBuffer slice = buff.slice();
    slice.limit(length);
    buff.position(buff.position() + length);
    return switch (tag) {
      case BSON -> BsonDecoder.decodeBson(Unpooled.wrappedBuffer(slice));
      case SERIALIZED -> serialized(slice);
      default -> throw new IllegalStateException("unknown document tag " + tag);
    };
  }
}
