package io.parley.token;

import io.vertx.core.Future;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure an admin can get in: installs the configured admin token, or on a first start with none
 * configured generates one and prints it once on standard output (never into the log).
 */
public final class AdminBootstrap {
  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  private AdminBootstrap() {}

  public static Future<Void> run(TokenStore tokens, Optional<String> configured) {
    if (configured.isPresent()) {
      log.info("Admin token taken from the configuration (admin.token / PARLEY_ADMIN_TOKEN)");
      return tokens.installConfiguredAdmin(configured.get());
    }
    return tokens.anyAdmin().compose(exists -> {
      if (exists) return Future.succeededFuture();
      return tokens.create("admin (generated)", Role.ADMIN, "generated").map(issued -> {
        System.out.println();
        System.out.println("=== Parley generated an admin token. It is shown only this once; keep it safe: ===");
        System.out.println(issued.token());
        System.out.println("=== Use it as: Authorization: Bearer <token> ===");
        System.out.println();
        log.info("Generated an admin token on first start and printed it on standard output");
        return null;
      });
    });
  }
}
