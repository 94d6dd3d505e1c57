import { resolveAuthKeys, type AuthKeys } from '../auth/authEnv.ts';
import { serviceTokenProvider } from '../auth/tokens.ts';
import { createApiClient, type ApiClient } from '../clients/apiClient.ts';
import type { HttpClientOptions } from '../clients/httpClient.ts';
import type { Api } from '../contracts/endpoint.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { ServiceMetrics } from '../metrics/metrics.ts';
import { metricsAccessFor } from '../metrics/metricsAccess.ts';

/** What every service's dependencies start with. */
export interface ServiceBasics<C> {
  config: C;
  logger: Logger;
  metrics: ServiceMetrics;
  /** The keys that verify tokens (and, for the user-service, sign user tokens). */
  keys: AuthKeys;
  /**
   * The typed client of another service's API at `baseURL`, calling as this service (its service
   * token), with HTTP_TIMEOUT_MS, HTTP_RETRIES and call metrics unless `options` say otherwise.
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
  service: string,
  config: C,
  given: { logger?: Logger } = {},
  options: { needsPrivateKey?: boolean } = {},
): ServiceBasics<C> {
  const logger = given.logger ?? createLogger(service, config.LOG_LEVEL);
  const metrics = new ServiceMetrics(service, metricsAccessFor(config));
  if (metrics.access === 'off') logger.warn('/metrics is off: set METRICS_TOKEN to serve it');
  const keys = resolveAuthKeys(config, { needsPrivateKey: options.needsPrivateKey ?? false });
  const token = serviceTokenProvider(keys.serviceSecret, service);
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
        token,
        metrics,
      }),
  };
}
