type Probe = typeof import('../../src/hero/webglSupport');

function fakeContext(renderer: string) {
  const loseContext = jest.fn();
  const gl = {
    RENDERER: 0x1f01,
    isContextLost: () => false,
    getParameter: jest.fn((p: number) => (p === 0x9246 ? renderer : 'WebKit WebGL')),
    getExtension: jest.fn((name: string) => {
      if (name === 'WEBGL_lose_context') return { loseContext };
      if (name === 'WEBGL_debug_renderer_info') return { UNMASKED_RENDERER_WEBGL: 0x9246 };
      return null;
    }),
  };
  return { gl, loseContext };
}

function loadProbe(context: unknown): { probe: Probe; getContext: jest.SpyInstance } {
  const getContext = jest
    .spyOn(HTMLCanvasElement.prototype, 'getContext')
    .mockImplementation(() => context as RenderingContext);
  let probe!: Probe;
  jest.isolateModules(() => {
    probe = jest.requireActual<Probe>('../../src/hero/webglSupport');
  });
  return { probe, getContext };
}

describe('isWebGL2Available', () => {
  it('probes a WebGL2 context once, releases it and remembers the answer', () => {
    const { gl, loseContext } = fakeContext('ANGLE (NVIDIA GeForce RTX 3060)');
    const { probe, getContext } = loadProbe(gl);
    expect(probe.isWebGL2Available({ allowSoftware: false })).toBe(true);
    expect(probe.isWebGL2Available({ allowSoftware: false })).toBe(true);
    expect(getContext).toHaveBeenCalledTimes(1);
    expect(getContext).toHaveBeenCalledWith(
      'webgl2',
      expect.objectContaining({ failIfMajorPerformanceCaveat: true })
    );
    expect(loseContext).toHaveBeenCalledTimes(1);
  });

  it('reports no WebGL when the context cannot be created', () => {
    const { probe } = loadProbe(null);
    expect(probe.isWebGL2Available({ allowSoftware: false })).toBe(false);
  });

  it('treats a software renderer as unavailable unless explicitly allowed', () => {
    const swiftshader = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))';
    const refused = loadProbe(fakeContext(swiftshader).gl);
    expect(refused.probe.isWebGL2Available({ allowSoftware: false })).toBe(false);

    const allowed = loadProbe(fakeContext(swiftshader).gl);
    expect(allowed.probe.isWebGL2Available({ allowSoftware: true })).toBe(true);
    expect(allowed.getContext).toHaveBeenCalledWith(
      'webgl2',
      expect.objectContaining({ failIfMajorPerformanceCaveat: false })
    );
  });

  it('survives a throwing getContext', () => {
    const { probe } = loadProbe(null);
    jest.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(() => {
      throw new Error('boom');
    });
    expect(probe.isWebGL2Available({ allowSoftware: true })).toBe(false);
  });
});
