import { describe, expect, it } from '@jest/globals';
import { historyPath } from './paths';

describe('historyPath', () => {
  it('keeps the settings at the plugin path, as links and bookmarks have them', () => {
    expect(historyPath('settings')).toBe('/plugins/platform-settings');
    expect(historyPath('settings', 12)).toBe('/plugins/platform-settings/12');
  });

  it('puts every other type under types/<key>', () => {
    expect(historyPath('home-page')).toBe('/plugins/platform-settings/types/home-page');
    expect(historyPath('home-page', 3)).toBe('/plugins/platform-settings/types/home-page/3');
  });
});
