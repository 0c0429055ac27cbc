package io.parley.dispatch;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;

/**
 * Fills {@code {{field}}} placeholders from a contact's merge fields (CSV columns). {@code {{address}}}
 * is always the contact's address. A field the contact does not have renders empty, the way mail-merge
 * tools behave, with the doubled spaces it would leave collapsed.
 */
public final class MergeFields {
  private static final Pattern FIELD = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");
  private static final Pattern SPACES = Pattern.compile(" {2,}");
  private static final Pattern SPACE_BEFORE_STOP = Pattern.compile(" ([,.!?])");

  private MergeFields() {}

  public static String render(String template, String address, Document fields) {
    Matcher m = FIELD.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      Object value = name.equals("address") ? address : lookup(fields, name);
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value.toString()));
    }
    m.appendTail(out);
    String collapsed = SPACES.matcher(out).replaceAll(" ");
    return SPACE_BEFORE_STOP.matcher(collapsed).replaceAll("$1").strip();
  }

  private static Object lookup(Document fields, String name) {
    for (String key : fields.keySet()) {
      if (key.equalsIgnoreCase(name)) return fields.get(key);
    }
    return null;
  }
}
