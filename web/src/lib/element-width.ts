import { type RefObject, useLayoutEffect, useState } from "react";

/**
 * The element's content width in CSS pixels, following resizes (0 until it is laid out). The first
 * width is read before the browser paints, so what depends on it (a query's window) starts a frame sooner.
 */
export function useElementWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const style = getComputedStyle(element);
    const padding = Number.parseFloat(style.paddingLeft) + Number.parseFloat(style.paddingRight);
    setWidth(Math.floor(element.getBoundingClientRect().width - (Number.isFinite(padding) ? padding : 0)));
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (box) setWidth(Math.floor(box.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
