import type { Clock } from './clock';
import type { Config } from './config';
import type { Logger } from './log';
import type { Metrics } from './metrics';

/**
 * What every long-lived part of one backend process is given by the composition
 * root (app/src/composition/create-backend.ts): its configuration, the one
 * injectable clock (docs/product.md principle 2), the logger and the metrics registry.
 * Modules add their own typed dependencies next to these in their factory's
 * parameter type; nothing is looked up at run time.
 */
export interface BaseDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}
