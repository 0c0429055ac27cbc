package io.parley.followup;

import io.parley.http.ApiError;
import io.parley.store.Ids;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The filters of {@code GET} and {@code PUT /api/manager-tasks}, read from the query string. Unknown or
 * repeated parameters and malformed values are refused with 400 naming the parameter.
 */
record TaskQuery(Set<String> ids, Set<String> types, String dialogue, String task, String assignedTo,
    Boolean isComplete, List<Bound> date, List<Bound> created, View view, Order order) {

  static final List<String> FILTERS = List.of("id", "id__in", "type", "type__in", "dialogue", "task", "assigned_to",
      "is_complete", "date__lt", "date__gt", "date__lte", "date__gte", "created__lt", "created__gt", "created__lte",
      "created__gte", "view", ViewerOffset.PARAM);
  static final List<String> PAGING = List.of("order_by", "limit", "after");
  private static final int MAX_IN = 1000;

  /** {@code field op value}, e.g. {@code date__lt=2026-01-05}. */
  record Bound(String field, String op, TaskDate value) {}

  enum View { INBOX, FUTURE, ARCHIVE }

  enum Order {
    DATE("date"), DATE_DESC("-date"), CREATED("created"), CREATED_DESC("-created");

    final String wire;

    Order(String wire) {
      this.wire = wire;
    }

    boolean descending() {
      return this == DATE_DESC || this == CREATED_DESC;
    }

    boolean byDate() {
      return this == DATE || this == DATE_DESC;
    }
  }

  /** Reads the filters; {@code paging} also allows {@code order_by}, {@code limit} and {@code after}. */
  static TaskQuery parse(MultiMap params, boolean paging) {
    for (String name : params.names()) {
      boolean known = FILTERS.contains(name) || (paging && PAGING.contains(name));
      if (!known) {
        throw new ApiError(400, "unknown_field", name + " is not a known parameter (known: "
            + String.join(", ", FILTERS) + (paging ? ", " + String.join(", ", PAGING) : "") + ")", name);
      }
      if (params.getAll(name).size() > 1) throw ApiError.invalid(name, name + " is given more than once");
    }
    Set<String> ids = ids(params);
    Set<String> types = types(params);
    return new TaskQuery(ids, types, text(params, "dialogue"), text(params, "task"), text(params, "assigned_to"),
        bool(params, "is_complete"), bounds(params, "date"), bounds(params, "created"), view(params), order(params));
  }

  private static Set<String> ids(MultiMap params) {
    Set<String> ids = null;
    if (params.get("id") != null) ids = list(params, "id", List.of(params.get("id")));
    if (params.get("id__in") != null) {
      Set<String> in = list(params, "id__in", List.of(params.get("id__in").split(",", -1)));
      if (ids != null) in.retainAll(ids);
      ids = in;
    }
    if (ids != null) {
      for (String id : ids) {
        if (!Ids.looksValid(id)) throw ApiError.invalid(params.get("id") != null ? "id" : "id__in", "\"" + id + "\" is not a task id");
      }
    }
    return ids;
  }

  private static Set<String> types(MultiMap params) {
    Set<String> types = null;
    if (params.get("type") != null) types = list(params, "type", List.of(params.get("type")));
    if (params.get("type__in") != null) {
      Set<String> in = list(params, "type__in", List.of(params.get("type__in").split(",", -1)));
      if (types != null) in.retainAll(types);
      types = in;
    }
    if (types == null) return null;
    for (String t : types) {
      if (ManagerTaskType.fromWire(t) == null) {
        String field = params.get("type__in") != null ? "type__in" : "type";
        throw ApiError.invalid(field, field + " must name types among " + String.join(", ", ManagerTaskType.wires())
            + " (got \"" + t + "\")");
      }
    }
    return types;
  }

  private static Set<String> list(MultiMap params, String name, List<String> values) {
    if (values.size() > MAX_IN) throw ApiError.invalid(name, name + " may list at most " + MAX_IN + " values");
    Set<String> out = new LinkedHashSet<>();
    for (String v : values) {
      if (v.isBlank()) throw ApiError.invalid(name, name + " must not contain an empty value");
      out.add(v.trim());
    }
    return out;
  }

  private static String text(MultiMap params, String name) {
    String v = params.get(name);
    if (v == null) return null;
    if (v.isBlank() || v.length() > 120) throw ApiError.invalid(name, name + " must be an id");
    return v.trim();
  }

  private static Boolean bool(MultiMap params, String name) {
    String v = params.get(name);
    if (v == null) return null;
    return switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiError.invalid(name, name + " must be true or false (got \"" + v + "\")");
    };
  }

  private static List<Bound> bounds(MultiMap params, String field) {
    List<Bound> out = new ArrayList<>();
    for (String op : List.of("lt", "gt", "lte", "gte")) {
      String name = field + "__" + op;
      String v = params.get(name);
      if (v != null) out.add(new Bound(field, op, TaskDate.parse(name, v.trim())));
    }
    return out;
  }

  private static View view(MultiMap params) {
    String v = params.get("view");
    if (v == null) return null;
    for (View view : View.values()) {
      if (view.name().toLowerCase(Locale.ROOT).equals(v)) return view;
    }
    throw ApiError.invalid("view", "view must be one of inbox, future, archive (got \"" + v + "\")");
  }

  private static Order order(MultiMap params) {
    String v = params.get("order_by");
    if (v == null) return Order.DATE;
    for (Order o : Order.values()) {
      if (o.wire.equals(v)) return o;
    }
    throw ApiError.invalid("order_by", "order_by must be one of date, -date, created, -created (got \"" + v + "\")");
  }
}
