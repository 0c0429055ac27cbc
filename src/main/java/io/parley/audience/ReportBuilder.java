package io.parley.audience;

import java.util.ArrayList;
import java.util.List;

/** Tallies an upload as it goes; lists refused lines only up to the configured number. */
final class ReportBuilder {
  private static final int MAX_VALUE_CHARS = 200; // a refused line is echoed, not stored: keep the echo short

  private final int maxListed;
  private final List<ImportReport.Rejected> rejected = new ArrayList<>();
  private long accepted;
  private long duplicates;
  private long rejectedTotal;

  ReportBuilder(int maxListed) {
    this.maxListed = maxListed;
  }

  void reject(long line, String value, String reason) {
    rejectedTotal++;
    if (rejected.size() < maxListed) rejected.add(new ImportReport.Rejected(line, shorten(value), reason));
  }

  void written(BatchWriter.Written w) {
    accepted += w.inserted();
    duplicates += w.duplicates();
  }

  ImportReport build() {
    return new ImportReport(accepted, duplicates, rejectedTotal, rejected);
  }

  private static String shorten(String value) {
    return value.length() <= MAX_VALUE_CHARS ? value : value.substring(0, MAX_VALUE_CHARS) + "…";
  }
}
