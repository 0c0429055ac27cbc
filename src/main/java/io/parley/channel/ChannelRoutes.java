package io.parley.channel;

import io.parley.App;
import io.parley.http.Api;
import io.parley.resource.ReferringTasks;
import io.parley.resource.ResourceEndpoints;
import io.parley.token.Role;

/** {@code /api/channels}: marketers (and admins) manage the bots and numbers tasks send through. */
public final class ChannelRoutes {
  private final ResourceEndpoints endpoints;

  public ChannelRoutes(App app) {
    this.endpoints = new ResourceEndpoints(
        new ResourceEndpoints.Kind("/api/channels", "channel", "channels", Api.roles(Role.MARKETER)),
        new ChannelStore(app.store()), new ChannelMapper(app.vertx()), new ReferringTasks(app.store()), app.clock());
  }

  public void mount(Api api) {
    endpoints.mount(api);
  }
}
