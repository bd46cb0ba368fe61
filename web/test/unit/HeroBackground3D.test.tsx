import { render } from '@testing-library/react';
import { createHeroScene, type HeroScene } from '../../src/hero3d/createHeroScene';
import HeroBackground3D, { type HeroBackground3DProps } from '../../src/hero3d/HeroBackground3D';

// The real scene needs WebGL, which jsdom lacks: a stand-in records how it is driven.
jest.mock('../../src/hero3d/createHeroScene', () => ({ createHeroScene: jest.fn() }));
const create = createHeroScene as jest.MockedFunction<typeof createHeroScene>;

const props: HeroBackground3DProps = {
  primaryColor: '#7C3AED',
  accentColor: '#F472B6',
  backgroundColor: '#0F0A1F',
  density: 800,
  speed: 1.5,
  paused: false,
  allowSoftwareWebGL: false,
  onFailure: () => undefined,
};

describe('HeroBackground3D', () => {
  let scene: jest.Mocked<HeroScene>;
  beforeEach(() => {
    scene = { setPaused: jest.fn(), update: jest.fn(), dispose: jest.fn() };
    create.mockReset();
    create.mockReturnValue(scene);
  });

  it('applies live changes to the same scene instead of creating another', () => {
    const { rerender, unmount } = render(<HeroBackground3D {...props} />);
    expect(create).toHaveBeenCalledTimes(1);

    rerender(<HeroBackground3D {...props} primaryColor="#DC2626" density={2400} speed={3} />);
    rerender(
      <HeroBackground3D {...props} primaryColor="#DC2626" density={2400} speed={3} paused />
    );
    expect(create).toHaveBeenCalledTimes(1);
    expect(scene.dispose).not.toHaveBeenCalled();
    expect(scene.update).toHaveBeenLastCalledWith({
      primaryColor: '#DC2626',
      accentColor: props.accentColor,
      backgroundColor: props.backgroundColor,
      density: 2400,
      speed: 3,
    });
    expect(scene.setPaused).toHaveBeenLastCalledWith(true);

    unmount();
    expect(scene.dispose).toHaveBeenCalledTimes(1);
  });

  it('starts the scene with the current look and pause state', () => {
    render(<HeroBackground3D {...props} paused />);
    expect(create).toHaveBeenCalledWith(
      expect.any(HTMLElement),
      expect.objectContaining({ primaryColor: props.primaryColor, density: 800, paused: true })
    );
  });
});
