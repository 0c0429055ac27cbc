package io.parley.token;

/** Who is calling: the token's public id, its name and role. Never holds the token itself. */
public record Principal(String tokenId, String name, Role role) {
  public boolean isAdmin() {
    return role == Role.ADMIN;
  }
}
