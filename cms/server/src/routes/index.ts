import admin from './admin';
import contentApi from './content-api';
import ops from './ops';

// `ops` (issue 6): the readiness endpoint.
export default { 'content-api': contentApi, admin, ops };
