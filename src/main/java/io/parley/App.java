package io.parley;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.config.ParleyConfig;
import io.parley.store.Store;
import io.parley.token.TokenStore;
import io.vertx.core.Vertx;
import java.time.Clock;

/** What every feature is built from: handed to constructors, never looked up statically. */
public record App(Vertx vertx, ParleyConfig config, Store store, Clock clock, PrometheusMeterRegistry registry,
    TokenStore tokens) {}
