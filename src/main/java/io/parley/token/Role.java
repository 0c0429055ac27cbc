package io.parley.token;

/** What a token may do. An admin may do everything any other role may. */
public enum Role {
  MARKETER, MANAGER, INTEGRATION, ADMIN;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Role fromWire(String value) {
    return Role.valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
