package io.parley.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Typed, validating reads of one JSON object's fields. Every failure is an {@link ApiError} naming the
 * field by its full path ({@code workingHours.from}), so nested objects report precisely.
 */
public final class Fields {
  private final JsonObject json;
  private final String prefix;

  private Fields(JsonObject json, String prefix) {
    this.json = json;
    this.prefix = prefix;
  }

  /** Reads {@code json}, refusing any field not in {@code allowed}. */
  public static Fields of(JsonObject json, String... allowed) {
    return new Fields(json, "").allowOnly(allowed);
  }

  public Fields allowOnly(String... allowed) {
    Set<String> known = new LinkedHashSet<>(Arrays.asList(allowed));
    for (String name : json.fieldNames()) {
      if (!known.contains(name)) {
        throw new ApiError(400, "unknown_field", path(name) + " is not a known field (known: "
            + String.join(", ", known) + ")", path(name));
      }
    }
    return this;
  }

  public JsonObject json() {
    return json;
  }

  public boolean has(String name) {
    return json.containsKey(name);
  }

  public boolean isNull(String name) {
    return json.containsKey(name) && json.getValue(name) == null;
  }

  public String path(String name) {
    return prefix + name;
  }

  public String string(String name, int min, int max) {
    return optionalString(name, min, max).orElseThrow(() -> ApiError.missing(path(name)));
  }

  public Optional<String> optionalString(String name, int min, int max) {
    Object v = value(name);
    if (v == null) return Optional.empty();
    if (!(v instanceof String s)) throw wrongType(name, "a string");
    String trimmed = s.trim();
    if (trimmed.length() < min) {
      throw ApiError.invalid(path(name), min == 1 ? path(name) + " must not be empty"
          : path(name) + " must be at least " + min + " characters");
    }
    if (trimmed.length() > max) throw ApiError.invalid(path(name), path(name) + " must be at most " + max + " characters");
    return Optional.of(trimmed);
  }

  public int integer(String name, int min, int max) {
    return optionalInteger(name, min, max).orElseThrow(() -> ApiError.missing(path(name)));
  }

  public Optional<Integer> optionalInteger(String name, int min, int max) {
    Object v = value(name);
    if (v == null) return Optional.empty();
    if (!(v instanceof Number n) || !isWhole(n)) throw wrongType(name, "a whole number");
    BigDecimal d = new BigDecimal(n.toString());
    if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw ApiError.invalid(path(name), path(name) + " must be between " + min + " and " + max);
    }
    return Optional.of(d.intValueExact());
  }

  public boolean bool(String name, boolean fallback) {
    Object v = value(name);
    if (v == null) return fallback;
    if (!(v instanceof Boolean b)) throw wrongType(name, "true or false");
    return b;
  }

  /** An exact decimal amount given as a JSON number or a string such as {@code "2.50"}. */
  public Optional<BigDecimal> optionalDecimal(String name, BigDecimal min, BigDecimal max, int maxScale) {
    Object v = value(name);
    if (v == null) return Optional.empty();
    BigDecimal d;
    try {
      if (v instanceof String s) d = new BigDecimal(s.trim());
      else if (v instanceof Number n) d = new BigDecimal(n.toString());
      else throw wrongType(name, "a decimal number");
    } catch (NumberFormatException e) {
      throw ApiError.invalid(path(name), path(name) + " must be a decimal number such as \"2.50\"");
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw ApiError.invalid(path(name), path(name) + " must be between " + min.toPlainString() + " and " + max.toPlainString());
    }
    if (d.stripTrailingZeros().scale() > maxScale) {
      throw ApiError.invalid(path(name), path(name) + " may have at most " + maxScale + " decimal places");
    }
    return Optional.of(d);
  }

  public <E extends Enum<E>> E enumValue(String name, Class<E> type) {
    return optionalEnum(name, type).orElseThrow(() -> ApiError.missing(path(name)));
  }

  public <E extends Enum<E>> Optional<E> optionalEnum(String name, Class<E> type) {
    Object v = value(name);
    if (v == null) return Optional.empty();
    if (!(v instanceof String s)) throw wrongType(name, "a string");
    for (E e : type.getEnumConstants()) {
      if (wireName(e).equals(s)) return Optional.of(e);
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) names.add(wireName(e));
    throw ApiError.invalid(path(name), path(name) + " must be one of " + String.join(", ", names) + " (got \"" + s + "\")");
  }

  public static String wireName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** A nested object, read with its own allowed fields; empty when absent or null. */
  public Optional<Fields> optionalObject(String name, String... allowed) {
    Object v = value(name);
    if (v == null) return Optional.empty();
    if (!(v instanceof JsonObject o)) throw wrongType(name, "an object");
    return Optional.of(new Fields(o, path(name) + ".").allowOnly(allowed));
  }

  public Fields object(String name, String... allowed) {
    return optionalObject(name, allowed).orElseThrow(() -> ApiError.missing(path(name)));
  }

  /** A list of strings, each trimmed and non-empty, without repeats. */
  public Optional<List<String>> optionalStrings(String name, int minSize, int maxSize) {
    Object v = value(name);
    if (v == null) return Optional.empty();
    if (!(v instanceof JsonArray array)) throw wrongType(name, "an array of strings");
    if (array.size() < minSize) throw ApiError.invalid(path(name), path(name) + " needs at least " + minSize + " item" + (minSize == 1 ? "" : "s"));
    if (array.size() > maxSize) throw ApiError.invalid(path(name), path(name) + " may have at most " + maxSize + " items");
    LinkedHashSet<String> items = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (!(item instanceof String s) || s.isBlank()) {
        throw ApiError.invalid(path(name) + "[" + i + "]", path(name) + "[" + i + "] must be a non-empty string");
      }
      if (!items.add(s.trim())) {
        throw ApiError.invalid(path(name) + "[" + i + "]", path(name) + " lists \"" + s.trim() + "\" twice");
      }
    }
    return Optional.of(new ArrayList<>(items));
  }

  public List<String> strings(String name, int minSize, int maxSize) {
    return optionalStrings(name, minSize, maxSize).orElseThrow(() -> ApiError.missing(path(name)));
  }

  /** An array of objects, each read with its own allowed fields and named by index ({@code rules[2].reply}). */
  public Optional<List<Fields>> optionalObjects(String name, int maxSize, String... allowed) {
    Object v = value(name);
    if (v == null) return Optional.empty();
    if (!(v instanceof JsonArray array)) throw wrongType(name, "an array of objects");
    if (array.size() > maxSize) throw ApiError.invalid(path(name), path(name) + " may have at most " + maxSize + " items");
    List<Fields> items = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String item = path(name) + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw new ApiError(400, "wrong_type", item + " must be an object", item);
      }
      items.add(new Fields(o, item + ".").allowOnly(allowed));
    }
    return Optional.of(items);
  }

  public Object value(String name) {
    return json.getValue(name);
  }

  private ApiError wrongType(String name, String expected) {
    return new ApiError(400, "wrong_type", path(name) + " must be " + expected, path(name));
  }

  private static boolean isWhole(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof BigInteger) return true;
    if (n instanceof BigDecimal d) return d.stripTrailingZeros().scale() <= 0;
    if (n instanceof Double d) return d == Math.rint(d) && !d.isInfinite();
    return false;
  }
}
