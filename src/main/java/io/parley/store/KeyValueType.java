package io.parley.store;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * How the embedded store keeps index keys on disk and orders them. H2's default type knows nothing of
 * {@link KeyValue} and compares two keys by Java-serialising both, which made every lookup by {@code _id}
 * cost dozens of serialisations; this type compares the values directly, in MongoDB's order, and writes
 * strings and numbers (every {@code _id} Parley makes) compactly. Anything else falls back to Java
 * serialisation, as before.
 */
final class KeyValueType extends BasicDataType<KeyValue> {
  static final KeyValueType INSTANCE = new KeyValueType();

  private static final byte NULL = 0;
  private static final byte STRING = 1;
  private static final byte DOUBLE = 2;
  private static final byte LONG = 3;
  private static final byte TRUE = 4;
  private static final byte FALSE = 5;
  private static final byte SERIALIZED = 9;

  private KeyValueType() {}

  @Override
  public int compare(KeyValue a, KeyValue b) {
    if (a == b) return 0;
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      int c = x instanceof String s && y instanceof String t ? s.compareTo(t) : ValueComparator.asc().compare(x, y);
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  }

  @Override
  public int getMemory(KeyValue key) {
    int bytes = 48;
    for (Object value : key) bytes += value instanceof String s ? 40 + 2 * s.length() : 32;
    return bytes;
  }

  @Override
  public KeyValue[] createStorage(int size) {
    return new KeyValue[size];
  }

  @Override
  public void write(WriteBuffer buff, KeyValue key) {
    buff.putVarInt(key.size());
    for (Object value : key) {
      if (value == null) {
        buff.put(NULL);
      } else if (value instanceof String s) {
        buff.put(STRING).putVarInt(s.length()).putStringData(s, s.length());
      } else if (value instanceof Double d) {
        buff.put(DOUBLE).putDouble(d);
      } else if (value instanceof Long l) {
        buff.put(LONG).putLong(l);
      } else if (value instanceof Boolean b) {
        buff.put(b ? TRUE : FALSE);
      } else {
        byte[] bytes = JavaSerialized.bytes(value);
        buff.put(SERIALIZED).putVarInt(bytes.length).put(bytes);
      }
    }
  }

  @Override
  public KeyValue read(ByteBuffer buff) {
    int size = DataUtils.readVarInt(buff);
    List<Object> values = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      byte tag = buff.get();
      values.add(switch (tag) {
        case NULL -> null;
        case STRING -> DataUtils.readString(buff, DataUtils.readVarInt(buff));
        case DOUBLE -> buff.getDouble();
        case LONG -> buff.getLong();
        case TRUE -> Boolean.TRUE;
        case FALSE -> Boolean.FALSE;
        case SERIALIZED -> {
          byte[] bytes = new byte[DataUtils.readVarInt(buff)];
          buff.get(bytes);
          yield JavaSerialized.value(bytes);
        }
        default -> throw new IllegalStateException("unknown index key tag " + tag);
      });
    }
    return new KeyValue(values);
  }
}
