// The REST API's part of the configuration.
import type { Config } from '../config/load.ts';

export type RestConfig = Config['rest'];
