package io.parley.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Map;

/**
 * Reads request bodies as JSON objects. Decimals stay {@link java.math.BigDecimal} (money is exact from
 * the first byte), duplicate keys are refused, and every failure names what is wrong.
 */
public final class JsonBody {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private JsonBody() {}

  /** The request's body as a JSON object; 415 unless the Content-Type is JSON, 400 if malformed. */
  public static JsonObject object(RoutingContext ctx) {
    requireJsonContentType(ctx);
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw new ApiError(400, "malformed_json", "the request body is empty; a JSON object is expected", null);
    }
    return parse(body);
  }

  public static JsonObject parse(Buffer body) {
    try {
      Object value = MAPPER.readValue(body.getBytes(), Object.class);
      if (!(value instanceof Map<?, ?> map)) {
        throw new ApiError(400, "malformed_json", "the request body must be a JSON object", null);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) map;
      return new JsonObject(fields);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new ApiError(400, "malformed_json", "the request body is not valid JSON" + where + ": "
          + e.getOriginalMessage(), null);
    } catch (IOException e) {
      throw new ApiError(400, "malformed_json", "the request body cannot be read as JSON", null);
    }
  }

  static void requireJsonContentType(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ApiError(415, "unsupported_media_type",
          "send the body as JSON with Content-Type: application/json", null);
    }
  }
}
