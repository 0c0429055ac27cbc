package io.parley.ai;

import io.parley.App;
import io.parley.http.Api;
import io.parley.resource.ReferringTasks;
import io.parley.resource.ResourceEndpoints;
import io.parley.token.Role;

/** {@code /api/ai-profiles}: how replies are written, by the scripted responder or an OpenAI-compatible model. */
public final class AiProfileRoutes {
  private final ResourceEndpoints endpoints;

  public AiProfileRoutes(App app) {
    this.endpoints = new ResourceEndpoints(
        new ResourceEndpoints.Kind("/api/ai-profiles", "AI profile", "ai", Api.roles(Role.MARKETER)),
        new AiProfileStore(app.store()), new AiProfileMapper(), new ReferringTasks(app.store()), app.clock());
  }

  public void mount(Api api) {
    endpoints.mount(api);
  }
}
