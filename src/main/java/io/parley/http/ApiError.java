package io.parley.http;

import io.vertx.core.json.JsonObject;

/**
 * A failure the client caused, carrying its HTTP status and the {@code {"error": {code, message, field}}}
 * body. Thrown or failed anywhere in a request's chain; {@link ErrorHandler} writes it.
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;
  private final String field;

  public ApiError(int status, String code, String message, String field) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  public static ApiError invalid(String field, String message) {
    return new ApiError(400, "invalid_value", message, field);
  }

  public static ApiError missing(String field) {
    return new ApiError(400, "missing_field", field + " is required", field);
  }

  public static ApiError notFound(String what, String id) {
    return new ApiError(404, "not_found", what + " " + id + " does not exist", null);
  }

  public static ApiError conflict(String code, String message, String field) {
    return new ApiError(409, code, message, field);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }

  public JsonObject toJson() {
    JsonObject error = new JsonObject().put("code", code).put("message", getMessage());
    if (field != null) error.put("field", field);
    return new JsonObject().put("error", error);
  }
}
