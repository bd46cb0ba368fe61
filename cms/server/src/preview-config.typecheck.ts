/**
 * Compile-time only (left out of the build): the hand-written `cms/preview.d.ts`
 * that host apps see must describe `previewConfig` as the source defines it.
 * `npm run typecheck -w cms` fails here when the two drift apart.
 */
import type * as Declared from '../../preview';
import { previewConfig } from './preview-config';

export const declaredMatchesSource: typeof Declared.previewConfig = previewConfig;
export const sourceMatchesDeclared: typeof previewConfig = (
  options: Declared.PreviewConfigOptions
) => previewConfig(options) satisfies Declared.PreviewConfig;
