package io.parley.channel.whatsapp;

/**
 * WhatsApp names people by their phone number's digits ({@code 79123456789}); Parley's audience keeps
 * E.164 ({@code +79123456789}). Both spellings meet here.
 */
final class Phones {
  private Phones() {}

  /** {@code +} and the digits of {@code phone}, whichever way it was written. */
  static String e164(String phone) {
    StringBuilder digits = new StringBuilder(phone.length() + 1).append('+');
    for (int i = 0; i < phone.length(); i++) {
      char c = phone.charAt(i);
      if (c >= '0' && c <= '9') digits.append(c);
    }
    return digits.toString();
  }

  /** The digits alone, as the Cloud API's {@code to} and {@code wa_id}. */
  static String digits(String phone) {
    return e164(phone).substring(1);
  }
}
