import admin from './admin';
import contentApi from './content-api';
import ops from './ops';

// `ops`: the readiness endpoint.
export default { 'content-api': contentApi, admin, ops };
