package io.parley.http;

import java.math.BigDecimal;
import org.bson.types.Decimal128;

/**
 * An amount Parley computed (a dialogue's or a task's spend, a message's cost) as the API, the pages and the
 * callbacks write it: an exact decimal string without trailing zeros, so the same amount reads the same
 * everywhere ("0.015", not "0.0150" in one place and "0.015" in another). Amounts someone entered (a spend
 * limit, a price) are shown as they were entered instead.
 */
public final class Money {
  private Money() {}

  /** {@code value} as stored (Decimal128, BigDecimal or any number); "0" when there is none. */
  public static String text(Object value) {
    BigDecimal amount;
    if (value instanceof Decimal128 d) amount = d.bigDecimalValue();
    else if (value instanceof BigDecimal b) amount = b;
    else if (value instanceof Number n) amount = new BigDecimal(n.toString());
    else return "0";
    return amount.stripTrailingZeros().toPlainString();
  }
}
