package io.parley.resource;

import io.parley.http.ApiError;
import io.parley.http.Fields;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Field checks the resources share beyond what {@link Fields} offers. Messages never quote the value,
 * because the value may be a secret.
 */
public final class Values {
  private static final int MAX_URL = 2048;

  private Values() {}

  /** An absolute http or https URL, or {@code fallback} when absent. */
  public static String url(Fields f, String name, String fallback) {
    return optionalUrl(f, name).orElse(fallback);
  }

  public static String url(Fields f, String name) {
    return optionalUrl(f, name).orElseThrow(() -> ApiError.missing(f.path(name)));
  }

  public static Optional<String> optionalUrl(Fields f, String name) {
    return f.optionalString(name, 1, MAX_URL).map(s -> {
      if (!isHttpUrl(s)) throw ApiError.invalid(f.path(name), f.path(name) + " must be an http or https URL");
      return s;
    });
  }

  static boolean isHttpUrl(String s) {
    try {
      URI uri = new URI(s);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getUserInfo() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** A string of at most {@code max} characters matching {@code shape}, described as {@code description}. */
  public static Optional<String> optionalMatching(Fields f, String name, int max, Pattern shape, String description) {
    return f.optionalString(name, 1, max).map(s -> {
      if (!shape.matcher(s).matches()) throw ApiError.invalid(f.path(name), f.path(name) + " must be " + description);
      return s;
    });
  }

  public static String matching(Fields f, String name, int max, Pattern shape, String description) {
    return optionalMatching(f, name, max, shape, description).orElseThrow(() -> ApiError.missing(f.path(name)));
  }

  /** One of {@code allowed} (compared exactly), or {@code fallback} when absent. */
  public static String oneOf(Fields f, String name, List<String> allowed, String fallback) {
    return f.optionalString(name, 1, 100).map(s -> {
      if (!allowed.contains(s)) {
        throw ApiError.invalid(f.path(name), f.path(name) + " must be one of " + String.join(", ", allowed));
      }
      return s;
    }).orElse(fallback);
  }
}
