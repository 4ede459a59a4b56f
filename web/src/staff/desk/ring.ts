// The audible ring of an offered contact: the North American ring (440 Hz + 480 Hz together,
// 1 s on, 2 s off) made with Web Audio, so no sound file ships with the site. The AudioContext is
// created on the agent's first click on the desk (browsers start audio only after a gesture).

import { useEffect, useRef } from "react";

export const RING_ON_S = 1;
export const RING_PERIOD_MS = 3000;
const FREQUENCIES = [440, 480];

type AudioContextClass = typeof AudioContext;

function audioContextClass(): AudioContextClass | null {
  const scope = globalThis as unknown as { AudioContext?: AudioContextClass; webkitAudioContext?: AudioContextClass };
  return scope.AudioContext ?? scope.webkitAudioContext ?? null;
}

/** One ring: both tones for RING_ON_S seconds, faded in and out (no clicks). */
export function ringOnce(context: AudioContext): void {
  const start = context.currentTime;
  const gain = context.createGain();
  gain.gain.setValueAtTime(0, start);
  gain.gain.linearRampToValueAtTime(0.08, start + 0.02);
  gain.gain.setValueAtTime(0.08, start + RING_ON_S - 0.02);
  gain.gain.linearRampToValueAtTime(0, start + RING_ON_S);
  gain.connect(context.destination);
  for (const frequency of FREQUENCIES) {
    const tone = context.createOscillator();
    tone.frequency.value = frequency;
    tone.connect(gain);
    tone.start(start);
    tone.stop(start + RING_ON_S);
  }
}

/** Rings while `ringing` (and `enabled`); silent otherwise. */
export function useRing(ringing: boolean, enabled: boolean): void {
  const context = useRef<AudioContext | null>(null);
  // Make (or wake) the AudioContext on a click anywhere: the gesture browsers ask for.
  useEffect(() => {
    const Context = audioContextClass();
    if (!Context) return;
    const wake = () => {
      context.current ??= new Context();
      void context.current.resume?.();
    };
    document.addEventListener("pointerdown", wake);
    document.addEventListener("keydown", wake);
    return () => {
      document.removeEventListener("pointerdown", wake);
      document.removeEventListener("keydown", wake);
    };
  }, []);
  useEffect(() => {
    if (!ringing || !enabled) return;
    const Context = audioContextClass();
    if (!Context) return;
    context.current ??= new Context();
    const ring = () => {
      if (context.current) ringOnce(context.current);
    };
    ring();
    const timer = setInterval(ring, RING_PERIOD_MS);
    return () => clearInterval(timer);
  }, [ringing, enabled]);
}
