import history from './history';
import rollback from './rollback';
import settings from './settings';

export default { history, rollback, settings };
