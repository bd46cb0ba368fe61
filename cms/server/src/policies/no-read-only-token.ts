/**
 * A route policy for a versioned type's history, verify and version-preview routes: Strapi
 * grants a *read-only* API token every action whose name ends in `find` or `findOne`, and these
 * routes' actions do (`home-page-history.find`). Read-only tokens are what sites and build
 * steps are given; the history names the admins who wrote each version and their notes, and
 * old versions are not what the site should show. So those routes need a custom token (or a
 * Users & Permissions role) granted their action, as the settings' history needs the founder
 * key. The draft route keeps Strapi's semantics: a read-only token reads drafts with
 * `?status=draft` there already.
 */
import { forbidden } from '../utils/errors';

interface Auth {
  strategy?: { name?: string };
  credentials?: { type?: string };
}

export const noReadOnlyToken = (ctx: { state: { auth?: unknown } }): true => {
  const auth = ctx.state.auth as Auth | undefined;
  if (auth?.strategy?.name === 'content-api-token' && auth.credentials?.type === 'read-only') {
    throw forbidden(
      'A read-only API token does not open the history; use a custom token granted this route.'
    );
  }
  return true;
};
