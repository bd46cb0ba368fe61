import founderKey from './founder-key';
import founderKeyOrPreview from './founder-key-or-preview';

export default { 'founder-key': founderKey, 'founder-key-or-preview': founderKeyOrPreview };
