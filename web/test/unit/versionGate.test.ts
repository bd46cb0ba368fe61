import { contentOf, createVersionGate, STALE_COPY_MAX_MS } from '../../src/live/versionGate';

describe('createVersionGate', () => {
  it('applies bodies without a version when their content differs (a document not yet versioned)', () => {
    const gate = createVersionGate({ version: null, content: contentOf({ a: 1 }) });
    expect(gate.judge(null, contentOf({ a: 1 }), false)).toBe('same');
    expect(gate.judge(null, contentOf({ a: 2 }), false)).toBe('apply');
    expect(gate.judge(null, contentOf({ a: 2 }), true)).toBe('same');
    // The same content with a version: nothing to show, but its version is kept and compared.
    expect(gate.judge(3, contentOf({ a: 2 }), false)).toBe('same');
    expect(gate.judge(2, contentOf({ a: 1 }), false)).toBe('older-copy');
    expect(gate.judge(4, contentOf({ a: 3 }), false)).toBe('apply');
  });

  it("holds a poll's lower version back until it outlasts a shared cache's stale window", () => {
    let now = 0;
    const gate = createVersionGate({ version: 5, content: 'five' }, () => now);
    expect(gate.judge(4, 'four', false)).toBe('older-copy');
    now = STALE_COPY_MAX_MS;
    expect(gate.judge(4, 'four', false)).toBe('older-copy');
    now = STALE_COPY_MAX_MS + 1;
    expect(gate.judge(4, 'four', false)).toBe('apply');
    // From the stream a lower version is the server's truth at once.
    expect(gate.judge(2, 'two', true)).toBe('apply');
  });

  it('takes a first load that arrives after the gate as what is shown', () => {
    const gate = createVersionGate({ version: null, content: null });
    gate.show({ version: 7, content: 'seven' });
    expect(gate.judge(7, 'seven', true)).toBe('same');
    expect(gate.judge(6, 'six', false)).toBe('older-copy');
    expect(gate.judge(8, 'eight', false)).toBe('apply');
  });
});

describe('contentOf', () => {
  it('compares objects whatever the order of their keys, nested too', () => {
    expect(contentOf({ a: 1, b: { c: [1, { d: 2, e: 3 }] } })).toBe(
      contentOf({ b: { c: [1, { e: 3, d: 2 }] }, a: 1 })
    );
    expect(contentOf({ a: [1, 2] })).not.toBe(contentOf({ a: [2, 1] }));
  });
});
