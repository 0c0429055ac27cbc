package io.parley.audience;

import io.parley.http.ApiError;
import io.vertx.core.buffer.Buffer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code text/csv}: the first record is the header and names the merge fields. The address is the column
 * named address, phone, username, id or contact (any case, the first such), else the first column; every
 * other column becomes a merge field. A record is numbered by the line it starts on.
 */
final class CsvDecoder implements BodyDecoder {
  static final Set<String> ADDRESS_COLUMNS = Set.of("address", "phone", "username", "id", "contact");
  private static final int MAX_RECORD_CHARS = 256 * 1024;

  private final LineSink sink;
  private final PhysicalLines lines;
  private final StringBuilder record = new StringBuilder();
  private boolean inQuotes;
  private long recordStart;
  private List<String> header;
  private int addressColumn;

  CsvDecoder(LineSink sink) {
    this.sink = sink;
    this.lines = new PhysicalLines(this::physicalLine);
  }

  @Override
  public void feed(Buffer chunk) {
    lines.feed(chunk);
  }

  @Override
  public void end() {
    lines.end();
    if (inQuotes) throw malformed("the quoted value that starts on line " + recordStart + " is never closed");
    if (header == null) throw malformed("the upload has no header row");
  }

  private void physicalLine(long number, String text) {
    if (record.length() == 0 && !inQuotes) {
      recordStart = number;
    } else {
      record.append('\n'); // the line break was inside a quoted value, so it is part of it
    }
    record.append(text);
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '"') inQuotes = !inQuotes; // a doubled quote flips twice
    }
    if (inQuotes) {
      if (record.length() > MAX_RECORD_CHARS) {
        throw malformed("the quoted value that starts on line " + recordStart + " is never closed");
      }
      return;
    }
    String complete = record.toString();
    record.setLength(0);
    if (!complete.isBlank()) handleRecord(recordStart, complete);
  }

  private void handleRecord(long number, String text) {
    List<String> fields;
    try {
      fields = CsvRow.split(text);
    } catch (CsvRow.Malformed e) {
      if (header == null) throw malformed("the header row is not valid CSV: " + e.getMessage());
      sink.reject(number, text, "not valid CSV: " + e.getMessage());
      return;
    }
    if (header == null) {
      readHeader(fields);
    } else if (fields.size() != header.size()) {
      sink.reject(number, text, "has " + fields.size() + " columns, the header has " + header.size());
    } else {
      sink.line(number, fields.get(addressColumn), mergeFields(fields));
    }
  }

  private void readHeader(List<String> names) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).strip();
      // merge fields become keys of a stored document, where '.' and a leading '$' mean something else
      if (name.isEmpty() || name.contains(".") || name.startsWith("$")) {
        throw malformed("column " + (i + 1) + " of the header needs a name without '.' and not starting with '$'");
      }
      if (!seen.add(name)) throw malformed("the header names column \"" + name + "\" twice");
    }
    header = names.stream().map(String::strip).toList();
    addressColumn = 0;
    for (int i = 0; i < header.size(); i++) {
      if (ADDRESS_COLUMNS.contains(header.get(i).toLowerCase(Locale.ROOT))) {
        addressColumn = i;
        break;
      }
    }
  }

  private Map<String, String> mergeFields(List<String> fields) {
    Map<String, String> merge = new LinkedHashMap<>();
    for (int i = 0; i < fields.size(); i++) {
      if (i != addressColumn) merge.put(header.get(i), fields.get(i));
    }
    return merge;
  }

  private static ApiError malformed(String message) {
    return new ApiError(400, "malformed_csv", message, null);
  }
}
