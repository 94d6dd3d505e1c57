import { resolveAuthKeys, type AuthKeys } from '../auth/authEnv.ts';
import { serviceTokenProvider } from '../auth/tokens.ts';
import { createApiClient, type ApiClient } from '../clients/apiClient.ts';
import type { HttpClientOptions } from '../clients/httpClient.ts';
import type { Api, ServiceName } from '../contracts/endpoint.ts';
import { SHOP_APIS, callersOf } from '../contracts/trust.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { ServiceMetrics } from '../metrics/metrics.ts';
import { metricsAccessFor } from '../metrics/metricsAccess.ts';

/** What every service's dependencies start with. */
export interface ServiceBasics<C> {
  config: C;
  logger: Logger;
  metrics: ServiceMetrics;
  /** The keys that verify tokens and sign this service's calls (and, for the user-service, user tokens). */
  keys: AuthKeys;
  /**
   * The typed client of another service's API at `baseURL`, calling as this service (a service
   * token signed with its own key, for that API's service alone), with HTTP_TIMEOUT_MS, HTTP_RETRIES and call metrics unless `options` say otherwise.
   */
  neighbour<A extends Api>(
    api: A,
    baseURL: string,
    options?: Partial<Pick<HttpClientOptions, 'timeoutMs' | 'retries'>>,
  ): ApiClient<A>;
}

type BasicConfig = Parameters<typeof resolveAuthKeys>[0] & {
  LOG_LEVEL: string;
  METRICS_TOKEN?: string;
  HTTP_TIMEOUT_MS: number;
  HTTP_RETRIES: number;
};

/**
 * The logger (or the one a test hands in), the metrics registry, the token keys and the way to call
 * the other services, from a service's configuration: the first lines of every buildDependencies.
 */
export function serviceBasics<C extends BasicConfig>(
  service: ServiceName,
  config: C,
  given: { logger?: Logger } = {},
  options: { needsPrivateKey?: boolean } = {},
): ServiceBasics<C> {
  const logger = given.logger ?? createLogger(service, config.LOG_LEVEL);
  const metrics = new ServiceMetrics(service, metricsAccessFor(config));
  if (metrics.access === 'off') logger.warn('/metrics is off: set METRICS_TOKEN to serve it');
  const keys = resolveAuthKeys(config, {
    service,
    callers: callersOf(SHOP_APIS[service]),
    needsPrivateKey: options.needsPrivateKey ?? false,
  });
  // One token provider per target service: a token names the one service it is meant for.
  const tokens = new Map<string, () => string>();
  const tokenFor = (target: string) => {
    let provider = tokens.get(target);
    if (!provider) tokens.set(target, (provider = serviceTokenProvider(keys.signingKey, service, target)));
    return provider;
  };
  return {
    config,
    logger,
    metrics,
    keys,
    neighbour: (api, baseURL, overrides = {}) =>
      createApiClient(api, {
        baseURL,
        timeoutMs: overrides.timeoutMs ?? config.HTTP_TIMEOUT_MS,
        retries: overrides.retries ?? config.HTTP_RETRIES,
        token: tokenFor(api.service),
        metrics,
      }),
  };
}
