import founderKey from './founder-key';

export default { 'founder-key': founderKey };
