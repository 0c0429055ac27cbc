package io.parley.audience;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/** Phone numbers written by people ({@code +7 (912) 345-67-89}) turned into E.164 through libphonenumber. */
final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  // E.164 allows at most 15 digits; the shortest valid numbers (some small countries) have 7 or 8.
  private static final int MIN_DIGITS = 7;
  private static final int MAX_DIGITS = 15;

  private PhoneNumbers() {}

  /** How a line spells a number: whether it had a {@code +}, its digits, and whether it had separators. */
  record Spelling(boolean plus, String digits, boolean separated) {}

  /** The line read as a phone number's spelling, or null if it has characters no phone number has. */
  static Spelling spelling(String text) {
    StringBuilder digits = new StringBuilder(text.length());
    boolean plus = text.startsWith("+");
    boolean separated = false;
    for (int i = plus ? 1 : 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') digits.append(c);
      else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.') separated = true;
      else return null;
    }
    return digits.length() == 0 ? null : new Spelling(plus, digits.toString(), separated);
  }

  /** {@code digits} read as an international number (country code first), in E.164 if valid. */
  static ParsedLine international(String digits) {
    if (digits.length() < MIN_DIGITS || digits.length() > MAX_DIGITS) {
      return ParsedLine.invalid("a phone number with its country code has " + MIN_DIGITS + " to " + MAX_DIGITS
          + " digits, this one has " + digits.length());
    }
    try {
      PhoneNumber number = UTIL.parse("+" + digits, "ZZ");
      if (!UTIL.isValidNumber(number)) {
        return ParsedLine.invalid("+" + digits + " is not a valid phone number (check the country code)");
      }
      return new ParsedLine.Target(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164), TargetKind.PHONE);
    } catch (NumberParseException e) {
      return ParsedLine.invalid("+" + digits + " is not a phone number: unknown country code");
    }
  }
}
