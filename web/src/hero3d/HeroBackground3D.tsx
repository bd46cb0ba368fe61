import { useEffect, useRef } from 'react';
import { createHeroScene, type HeroScene } from './createHeroScene';

export interface HeroBackground3DProps {
  primaryColor: string;
  accentColor: string;
  backgroundColor: string;
  density: number;
  speed: number;
  paused: boolean;
  allowSoftwareWebGL: boolean;
  onFailure: (reason: 'context-lost' | 'create-failed') => void;
}

/**
 * React shell around the three.js scene (lazily loaded, default export for React.lazy). The scene
 * and its WebGL context are created once; live settings changes (colours, density, speed) are
 * applied to it in place, and pausing never re-creates anything.
 */
export default function HeroBackground3D(props: HeroBackground3DProps) {
  const { primaryColor, accentColor, backgroundColor, density, speed, allowSoftwareWebGL } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const sceneRef = useRef<HeroScene | null>(null);
  // Latest props for callbacks and the initial pause state, without re-creating the scene.
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    let scene: HeroScene;
    try {
      // The current look; later changes reach the scene through update() below.
      const look = latest.current;
      scene = createHeroScene(container, {
        primaryColor: look.primaryColor,
        accentColor: look.accentColor,
        backgroundColor: look.backgroundColor,
        density: look.density,
        speed: look.speed,
        allowSoftwareWebGL,
        paused: look.paused,
        onContextLost: () => {
          console.warn('[hero3d] WebGL context lost; switching to the CSS background.');
          latest.current.onFailure('context-lost');
        },
      });
    } catch (error) {
      console.warn('[hero3d] Could not start WebGL; using the CSS background.', error);
      latest.current.onFailure('create-failed');
      return undefined;
    }
    sceneRef.current = scene;
    return () => {
      sceneRef.current = null;
      scene.dispose();
    };
  }, [allowSoftwareWebGL]);

  useEffect(() => {
    sceneRef.current?.update({ primaryColor, accentColor, backgroundColor, density, speed });
  }, [primaryColor, accentColor, backgroundColor, density, speed]);

  useEffect(() => {
    sceneRef.current?.setPaused(props.paused);
  }, [props.paused]);

  return <div ref={containerRef} className="hero-bg__layer" />;
}
