import setting from './setting';
import history from './history';

export default { setting, history };
