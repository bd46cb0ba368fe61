'use strict';

// `platform-settings/preview`: the helper for the host app's config/admin.ts (see server/src/preview-config.ts).
module.exports = require('./dist/server/src/preview-config');
