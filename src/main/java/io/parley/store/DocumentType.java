package io.parley.store;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
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
 */
final class DocumentType extends BasicDataType<Document> {

  private static final byte BSON = 'B';
  private static final byte SERIALIZED = 'J';
  /** Pages are saved on H2's own thread, one at a time: one scratch buffer each thread. */
  private static final ThreadLocal<ByteBuf> SCRATCH = ThreadLocal.withInitial(() -> Unpooled.buffer(4096));

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
    ByteBuf scratch = SCRATCH.get().clear();
    try {
      BsonEncoder.encodeDocument(document, scratch);
    } catch (IllegalArgumentException notBson) {
      byte[] bytes = JavaSerialized.bytes(document);
      buff.put(SERIALIZED).putVarInt(bytes.length).put(bytes);
      return;
    }
    int length = scratch.readableBytes();
    buff.put(BSON).putVarInt(length).put(scratch.array(), scratch.arrayOffset() + scratch.readerIndex(), length);
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
