package io.parley.audience;

import java.util.Locale;
import java.util.Optional;

/** The shapes an audience upload may take, chosen by the request's Content-Type. */
public enum UploadFormat {
  /** One target per line. */
  TEXT("text/plain"),
  /** RFC 4180 CSV; the header row names the merge fields. */
  CSV("text/csv"),
  /** {@code {"lines": ["...", ...]}}. */
  JSON("application/json");

  private final String mediaType;

  UploadFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /** The format a Content-Type header names (parameters such as charset ignored), if any. */
  public static Optional<UploadFormat> fromContentType(String header) {
    if (header == null) return Optional.empty();
    String type = header.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    for (UploadFormat f : values()) {
      if (f.mediaType.equals(type)) return Optional.of(f);
    }
    return Optional.empty();
  }
}
