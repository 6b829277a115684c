import { MlInputError } from "./errors.js";

/** Typed arrays as base64 of their little-endian bytes: exact, compact and the same on every machine. */
export function encodeFloat64(values: Float64Array): string {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  values.forEach((v, i) => {
    view.setFloat64(i * 8, v, true);
  });
  return Buffer.from(view.buffer).toString("base64");
}

export function encodeInt32(values: Int32Array): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => {
    view.setInt32(i * 4, v, true);
  });
  return Buffer.from(view.buffer).toString("base64");
}

function bytes(text: string, width: number, what: string): DataView {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new MlInputError(`${what} is not base64`);
  const buffer = Buffer.from(text, "base64");
  if (buffer.length % width !== 0) throw new MlInputError(`${what} has ${buffer.length} bytes, not a multiple of ${width}`);
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
}

export function decodeFloat64(text: string, what: string): Float64Array {
  const view = bytes(text, 8, what);
  const out = new Float64Array(view.byteLength / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

export function decodeInt32(text: string, what: string): Int32Array {
  const view = bytes(text, 4, what);
  const out = new Int32Array(view.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}
