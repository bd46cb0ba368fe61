/** Route policies, referenced as `plugin::platform-settings.<name>`. */
import { noReadOnlyToken } from './no-read-only-token';

export const NO_READ_ONLY_TOKEN = 'plugin::platform-settings.no-read-only-token';

export default {
  'no-read-only-token': noReadOnlyToken,
};
