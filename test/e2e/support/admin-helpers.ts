/**
 * What the admin e2e tests share: JSON requests to the app under test, and
 * getting Strapi's announcement banner out of the screenshots.
 */
import type { Page } from 'playwright-core';

/** A JSON request to `baseUrl()`; anything but 2xx throws with the status (and the body). */
export const jsonApi =
  (baseUrl: () => string) =>
  async (method: string, route: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${baseUrl()}${route}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${route} answered ${res.status}: ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  };

/** Strapi's "new Media Library" announcement would sit on top of every screenshot. Best effort. */
export const dismissMediaLibraryBanner = async (page: Page) => {
  const text = page.getByText('Introducing the new Media Library');
  try {
    await text.waitFor({ timeout: 5_000 });
    await page.getByRole('button', { name: /^Close the banner/ }).click({ timeout: 5_000 });
    await text.waitFor({ state: 'hidden', timeout: 5_000 });
  } catch {
    // Not shown in this Strapi version, or shaped differently: screenshots just include it.
  }
};
