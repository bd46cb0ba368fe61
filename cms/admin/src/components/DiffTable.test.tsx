/** How each kind of settings field reads in a diff: old on the left, new on the right. */
import { describe, expect, it } from '@jest/globals';
import { render, screen, within } from '@testing-library/react';
import { DesignSystemProvider } from '@strapi/design-system';
import { IntlProvider } from 'react-intl';
import type { FieldDiff } from '../../../shared/contracts/settings';
import { DiffTable } from './DiffTable';

const renderDiff = (diff: FieldDiff[]) =>
  render(
    <IntlProvider locale="en">
      <DesignSystemProvider locale="en">
        <DiffTable diff={diff} fromLabel="v1 · before" toLabel="v2 · after" />
      </DesignSystemProvider>
    </IntlProvider>
  );

const row = (container: HTMLElement, field: string) => {
  const element = container.querySelector<HTMLElement>(`tr[data-field="${field}"]`);
  if (!element) throw new Error(`no row for ${field}`);
  const side = (name: 'before' | 'after') =>
    element.querySelector<HTMLElement>(`[data-side="${name}"]`)!;
  return { element, before: side('before'), after: side('after') };
};

describe('DiffTable', () => {
  it('labels the columns and each field', () => {
    const { container } = renderDiff([{ field: 'heroTitle', from: 'Old', to: 'New' }]);
    expect(screen.getByText('v1 · before')).toBeTruthy();
    expect(screen.getByText('v2 · after')).toBeTruthy();
    const { element } = row(container, 'heroTitle');
    expect(within(element).getByText('Hero title')).toBeTruthy();
    expect(within(element).getByText('heroTitle')).toBeTruthy();
  });

  it('short text: old and new, the changed word marked on each side', () => {
    const { container } = renderDiff([
      { field: 'heroTitle', from: 'Build on a platform', to: 'Ship on a platform' },
    ]);
    const { before, after } = row(container, 'heroTitle');
    expect(before.textContent).toBe('Build on a platform');
    expect(after.textContent).toBe('Ship on a platform');
    expect(before.querySelector('del')?.textContent).toBe('Build');
    expect(after.querySelector('ins')?.textContent).toBe('Ship');
    expect(before.querySelector('ins')).toBeNull();
    expect(after.querySelector('del')).toBeNull();
  });

  it('long text: kept whole and wrapped, only the changed part marked', () => {
    const from =
      'Every change is a new version with its author and its diff, so that anyone can see what changed.';
    const to =
      'Every change is a new, immutable version with its author and its diff, so that anyone can see what changed.';
    const { container } = renderDiff([{ field: 'heroSubtitle', from, to }]);
    const { before, after } = row(container, 'heroSubtitle');
    expect(before.textContent).toBe(from);
    expect(after.textContent).toBe(to);
    expect(before.querySelector('del')?.textContent).toBe('new');
    expect(after.querySelector('ins')?.textContent).toBe('new, immutable');
  });

  it('colour: a swatch of each colour next to its hex value', () => {
    const { container } = renderDiff([{ field: 'primaryColor', from: '#4F46E5', to: '#112233' }]);
    const { before, after } = row(container, 'primaryColor');
    const swatch = (cell: HTMLElement) => within(cell).getByTestId('color-swatch');
    expect(getComputedStyle(swatch(before)).backgroundColor).toBe('rgb(79, 70, 229)');
    expect(getComputedStyle(swatch(after)).backgroundColor).toBe('rgb(17, 34, 51)');
    expect(before.textContent).toBe('#4F46E5');
    expect(after.textContent).toBe('#112233');
  });

  it('colour set or cleared: the empty side says so', () => {
    const { container } = renderDiff([{ field: 'accentColor', from: null, to: '#22D3EE' }]);
    const { before, after } = row(container, 'accentColor');
    expect(before.textContent).toBe('(empty)');
    expect(within(before).queryByTestId('color-swatch')).toBeNull();
    expect(within(after).getByTestId('color-swatch')).toBeTruthy();
  });

  it('boolean: On and Off', () => {
    const { container } = renderDiff([{ field: 'maintenanceMode', from: false, to: true }]);
    const { before, after } = row(container, 'maintenanceMode');
    expect(before.textContent).toBe('Off');
    expect(after.textContent).toBe('On');
  });

  it('numbers, including decimals and zero', () => {
    const { container } = renderDiff([
      { field: 'hero3dDensity', from: 1200, to: 0 },
      { field: 'hero3dSpeed', from: 1, to: 1.5 },
    ]);
    expect(row(container, 'hero3dDensity').before.textContent).toBe('1200');
    expect(row(container, 'hero3dDensity').after.textContent).toBe('0');
    expect(row(container, 'hero3dSpeed').after.textContent).toBe('1.5');
  });

  it('text cleared to empty: no highlight, an explicit "(empty)"', () => {
    const { container } = renderDiff([{ field: 'tagline', from: 'Settings that ship', to: '' }]);
    const { before, after } = row(container, 'tagline');
    expect(before.textContent).toBe('Settings that ship');
    expect(before.querySelector('del')).toBeNull();
    expect(after.textContent).toBe('(empty)');
  });

  it('an object set where there was nothing: its fields, marked as added as a whole', () => {
    const { container } = renderDiff([{ field: 'extra', from: null, to: { a: 1 } }]);
    const { before, after } = row(container, 'extra');
    expect(before.textContent).toBe('(empty)');
    expect(after.textContent).toBe('A1');
    expect(after.querySelectorAll('[data-changed="after"]')).toHaveLength(1);
  });

  it('a component: each field with its label, only the field that changed marked', () => {
    const { container } = renderDiff([
      {
        field: 'seo',
        from: { title: 'Launch', description: 'The launch page', shareImage: null },
        to: { title: 'Launch week', description: 'The launch page', shareImage: null },
      },
    ]);
    const { before, after } = row(container, 'seo');
    expect(before.textContent).not.toContain('[object Object]');
    expect(within(before).getByText('Title')).toBeTruthy();
    expect(within(before).getByText('Share image')).toBeTruthy();
    const marked = (cell: HTMLElement, side: string) =>
      [...cell.querySelectorAll(`[data-changed="${side}"]`)].map((part) => part.textContent);
    expect(marked(before, 'before')).toEqual(['Launch']);
    expect(marked(after, 'after')).toEqual(['Launch week']);
  });

  it('a repeatable component or a dynamic zone: numbered items, nested, an added item marked whole', () => {
    const { container } = renderDiff([
      {
        field: 'features',
        from: [{ title: 'Fast', icon: 'bolt' }],
        to: [
          { title: 'Fast', icon: 'rocket' },
          { title: 'Signed', icon: 'shield' },
        ],
      },
      {
        field: 'blocks',
        from: [],
        to: [{ __component: 'home.quote', quote: { text: 'Ship it', by: 'Fay' } }],
      },
    ]);
    const features = row(container, 'features');
    expect(features.after.querySelectorAll('li')).toHaveLength(2);
    expect(within(features.after).getByText('#2')).toBeTruthy();
    const added = [...features.after.querySelectorAll('[data-changed="after"]')].map(
      (part) => part.textContent
    );
    expect(added).toEqual(['rocket', 'TitleSignedIconshield']);
    const blocks = row(container, 'blocks');
    expect(blocks.before.textContent).toBe('(empty)');
    expect(within(blocks.after).getByText('#1 · home.quote')).toBeTruthy();
    expect(within(blocks.after).getByText('Ship it')).toBeTruthy();
    expect(blocks.after.textContent).not.toContain('__component');
  });

  it('says so when there is nothing to show', () => {
    renderDiff([]);
    expect(screen.getByText(/No differences/)).toBeTruthy();
  });
});
