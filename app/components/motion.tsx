import { animate, AnimatePresence, motion, press, useReducedMotion, type HTMLMotionProps } from "framer-motion";
import { useCallback, useEffect, useRef, useSyncExternalStore, type ReactNode } from "react";

/**
 * Motion that the server does not pay for. framer-motion's components render on the server like
 * any other (each one sets up its visual state, about 15 µs of server CPU, and a challenge page
 * had about 40), yet what they animate only ever happens in the browser. These render plain
 * elements on the server and at hydration, the same markup the motion component would give, and
 * become motion components once hydrated, where nothing has moved yet; so there is nothing to
 * mismatch and nothing shifts.
 */

const noSubscription = () => () => {};

/**
 * False on the server and while hydrating, true after (and at once on pages rendered in the
 * browser after the first).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false
  );
}

/**
 * `whileTap={{ scale }}` for a plain element: the same press gesture and animation framer-motion's
 * components use, attached after hydration (none while the person prefers reduced motion, nor on
 * a disabled button). Give the returned ref to the element.
 */
export function useTapScale<T extends HTMLElement>(scale: number) {
  const reduceMotion = useReducedMotion();
  const element = useRef<T | null>(null);
  useEffect(() => {
    const target = element.current;
    if (!target || reduceMotion) return;
    return press(target, (pressed) => {
      if (pressed instanceof HTMLButtonElement && pressed.disabled) return;
      animate(pressed, { scale });
      return () => animate(pressed, { scale: 1 });
    });
  }, [scale, reduceMotion]);
  return useCallback((node: T | null) => {
    element.current = node;
  }, []);
}

type Swappable = "span" | "strong";

/**
 * A value that animates out and in when it changes (a count): `AnimatePresence mode="popLayout"`
 * around a motion element keyed by `swapKey`, as a plain element until hydrated.
 */
export function Swap({
  as,
  swapKey,
  className,
  initial,
  animate: to,
  exit,
  transition,
  children,
}: {
  as: Swappable;
  swapKey: string | number;
  className?: string;
  children: ReactNode;
} & Pick<HTMLMotionProps<"span">, "initial" | "animate" | "exit" | "transition">) {
  const hydrated = useHydrated();
  if (!hydrated) {
    const Plain = as;
    return <Plain className={className}>{children}</Plain>;
  }
  const Moving = motion[as];
  return (
    <AnimatePresence mode="popLayout" initial={false}>
      <Moving key={swapKey} className={className} initial={initial} animate={to} exit={exit} transition={transition}>
        {children}
      </Moving>
    </AnimatePresence>
  );
}
