package io.parley.manager;

import io.parley.App;
import io.parley.http.Api;
import io.parley.resource.ReferringTasks;
import io.parley.resource.ResourceEndpoints;
import io.parley.token.Role;

/** {@code /api/managers}: the virtual managers the AI speaks as, and the people who answer for them. */
public final class ManagerRoutes {
  private final ResourceEndpoints endpoints;

  public ManagerRoutes(App app) {
    this.endpoints = new ResourceEndpoints(
        new ResourceEndpoints.Kind("/api/managers", "manager", "managers", Api.roles(Role.MARKETER)),
        new ManagerStore(app.store()), new ManagerMapper(new Operators(app.store())), new ReferringTasks(app.store()),
        app.clock());
  }

  public void mount(Api api) {
    endpoints.mount(api);
  }
}
