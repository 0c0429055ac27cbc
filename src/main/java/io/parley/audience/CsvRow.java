package io.parley.audience;

import java.util.ArrayList;
import java.util.List;

/** Splits one complete CSV record (quoted newlines already joined) into its fields, as RFC 4180 says. */
final class CsvRow {
  private CsvRow() {}

  /** Thrown for a record that breaks the quoting rules; the message says where. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  static List<String> split(String record) throws Malformed {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (true) {
      field.setLength(0);
      if (i < record.length() && record.charAt(i) == '"') {
        i = quoted(record, i + 1, field);
        if (i < record.length() && record.charAt(i) != ',') {
          throw new Malformed("unexpected character after a closing quote in field " + (fields.size() + 1));
        }
      } else {
        int comma = record.indexOf(',', i);
        int stop = comma < 0 ? record.length() : comma;
        field.append(record, i, stop);
        i = stop;
      }
      fields.add(field.toString());
      if (i >= record.length()) return fields;
      i++; // past the comma
    }
  }

  /** Reads a quoted field's content from {@code start} (after its opening quote); answers the index after the closing quote. */
  private static int quoted(String record, int start, StringBuilder into) throws Malformed {
    int i = start;
    while (i < record.length()) {
      char c = record.charAt(i);
      if (c == '"') {
        if (i + 1 < record.length() && record.charAt(i + 1) == '"') {
          into.append('"');
          i += 2;
          continue;
        }
        return i + 1;
      }
      into.append(c);
      i++;
    }
    throw new Malformed("a quoted field is never closed");
  }
}
